"""Every source together: each file is told from its content (whatever its name), Hearth's own
files are not mistaken for another app's, and any bytes at all, read as any source, are
imported whole or refused whole with a message, never an error page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from portability import importers
from tests.factories import DailyEntryFactory
from tests.portability.importer_files import (
    HYPOTHESIS,
    URL,
    asleep,
    bearable_csv,
    drip_csv,
    drip_row,
    export_xml,
    export_zip,
    fitbit_log,
    fitbit_sleep,
    flaredown_csv,
    flaredown_wide_csv,
    import_whole_or_refuse_whole,
)

pytestmark = pytest.mark.usefixtures("clock")

NIGHT = export_xml(asleep("2026-11-09 23:00:00 +0000", "2026-11-10 06:00:00 +0000"))
SAMPLES = {
    "apple_health": [NIGHT, export_zip(NIGHT)],
    "fitbit": [fitbit_sleep(fitbit_log(1, "2026-11-10", 420))],
    "flaredown": [flaredown_csv(("2026-11-01", "Condition", "Lupus", "2"))],
    "flaredown_wide": [
        flaredown_wide_csv(["Lupus", "Ibuprofen"], ["2026-11-01", "2", "1 x", "", ""])
    ],
    "drip": [drip_csv(drip_row("2026-11-01", sex_solo="true"))],
    "bearable": [bearable_csv(("2026-11-01", "Sleep", "7:30", ""))],
}


@pytest.mark.parametrize(
    ("source", "content"),
    [(source, content) for source, files in SAMPLES.items() for content in files],
)
def test_each_source_is_told_from_its_content(source, content):
    assert importers.detect(io.BytesIO(content)) == source


@pytest.mark.parametrize(
    "content",
    [
        b'{"format": "hearth-export", "version": 1, "days": []}',
        b"day,stress,sleep_hours\n2026-11-01,3,7\n",
        b"date,stress\n2026-11-01,3\n",
    ],
)
def test_hearths_own_files_and_unknown_csvs_are_not_taken_for_another_apps(content):
    assert importers.detect(io.BytesIO(content)) is None


def mutated(draw_bytes: bytes, cut: int, noise: bytes) -> bytes:
    return draw_bytes[:cut] + noise + draw_bytes[cut:]


@HYPOTHESIS
@given(
    source=st.sampled_from(sorted(SAMPLES)),
    data=st.data(),
)
def test_any_bytes_read_as_any_source_are_imported_whole_or_refused_whole(user, source, data):
    base = data.draw(st.sampled_from(SAMPLES[source]))
    content = data.draw(
        st.one_of(
            st.binary(max_size=300),
            st.builds(
                mutated,
                st.just(base),
                st.integers(0, len(base)),
                st.binary(min_size=1, max_size=8),
            ),
        )
    )

    import_whole_or_refuse_whole(user, source, content)


@HYPOTHESIS
@given(
    source=st.sampled_from(["", "hearth", *sorted(SAMPLES)]),
    content=st.one_of(
        st.binary(max_size=200), st.sampled_from([c for files in SAMPLES.values() for c in files])
    ),
)
def test_the_import_page_answers_any_upload_without_an_error(signed_in, source, content):
    response = signed_in.post(
        URL,
        {"file": SimpleUploadedFile("file.csv", content), "existing": "skip", "source": source},
    )

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert signed_in.get(response["Location"]).status_code == 200
        signed_in.post("/account/data/import/preview/", {"cancel": ""})


def preview_queries(client, content: bytes) -> int:
    client.post(URL, {"file": SimpleUploadedFile("x.csv", content), "existing": "skip"})
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/account/data/import/preview/").status_code == 200
    return len(queries)


def test_the_preview_costs_the_same_queries_for_a_week_or_a_season(signed_in, user):
    days = [f"2026-{month:02}-{day:02}" for month in (8, 9, 10) for day in range(1, 29)]
    for day in days[::10]:
        DailyEntryFactory(user=user, day=day)

    def file_of(count: int) -> bytes:
        return flaredown_csv(
            *(
                row
                for day in days[:count]
                for row in (
                    (day, "Condition", "Lupus", "2"),
                    (day, "Symptom", "Headache", "1"),
                    (day, "Treatment", "Hydroxychloroquine", "200 mg"),
                )
            )
        )

    assert preview_queries(signed_in, file_of(7)) == preview_queries(signed_in, file_of(84))
