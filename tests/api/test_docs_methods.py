"""The API's documentation page is a page: it answers GET and HEAD, and any other method,
OPTIONS included, a clear 405 rather than a 500."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["options", "post", "put", "delete"])
def test_other_methods_on_the_docs_page_answer_405_naming_the_allowed_ones(client, method):
    response = getattr(client, method)("/api/v1/docs/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_the_docs_page_still_answers_get_and_head(client):
    assert client.get("/api/v1/docs/").status_code == 200
    assert client.head("/api/v1/docs/").status_code == 200
