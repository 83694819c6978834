"""The shape of the query-count tests: a page reads no more queries when it has
more to show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def reads_flat(client, url, make_more, django_assert_max_num_queries):
    """Read `url` once to warm up and count the queries of a second read; then
    `make_more()` (more rows for the page) and read it again in no more queries.
    The last response, a 200."""
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make_more()
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200
    return response
