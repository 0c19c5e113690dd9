"""ListQuery: the one way list screens build their page, sort and export links."""

from django.http import QueryDict

from forecourt.core.list_urls import ListQuery


def test_links_carry_every_filter_and_the_change():
    links = ListQuery.of("/leads/list/", {"status": ["new", "contacted"], "owner": 4}, {})
    assert links.url() == "/leads/list/?status=new&status=contacted&owner=4"
    assert links.url(cursor="abc") == "/leads/list/?status=new&status=contacted&owner=4&cursor=abc"
    assert links.query(owner=None) == "status=new&status=contacted"


def test_an_explicit_any_over_a_default_is_kept():
    any_status = QueryDict("status=&make=Ford")
    links = ListQuery.of("/inventory/", {"make": "Ford"}, any_status, defaulted=("status",))
    assert links.url(sort="year") == "/inventory/?make=Ford&status=&sort=year"
    default = ListQuery.of("/inventory/", {}, QueryDict(""), defaulted=("status",))
    assert default.url() == "/inventory/"
