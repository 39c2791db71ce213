"""Reading what a page shows, for tests."""

import html
import json
import re

# The flare calendar's mark of a day with sexual activity (tracker/includes/day_mark.html).
ACTIVITY_MARK = (
    '<svg class="day-mark" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" '
    'focusable="false"><circle cx="5" cy="5" r="4"/></svg>'
)


def page(response) -> str:
    """The response's HTML with entities decoded, as a person would read the text."""
    return html.unescape(response.content.decode())


def words(response) -> str:
    """The page's text with tags removed and runs of white space made single spaces."""
    return " ".join(re.sub(r"<[^>]+>", "", page(response)).split())


def trend_data(response) -> dict:
    """The numbers the charts draw: the #trend-data JSON, read back from the page."""
    script = re.search(
        r'<script id="trend-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        flags=re.S,
    )
    return json.loads(script[1])
