"""The site's navigation links, drawn once per process for each page that shows them. They hold
nobody's data, only which page is current; reversing their twenty-odd URLs and rendering their
includes on every request was about a seventh of a cached /trends/ page (docs/scaling.md)."""

import functools

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString

register = template.Library()

LINKS = {"journal": "includes/journal_links.html", "account": "includes/account_links.html"}


@register.simple_tag(takes_context=True)
def nav_links(context: template.Context, which: str) -> SafeString:
    """The "journal" or "account" links as list items, the current page marked."""
    request = context.get("request")
    match = request and request.resolver_match  # none on an error page drawn without them
    return _drawn(LINKS[which], match.view_name if match else "", get_script_prefix())


@functools.lru_cache(maxsize=256)
def _drawn(name: str, current: str, script_prefix: str) -> SafeString:
    # The script prefix is part of every URL drawn (a deployment under a path), so of the key.
    return render_to_string(name, {"current": current})
