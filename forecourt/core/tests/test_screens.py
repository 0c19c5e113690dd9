"""Core's screen pieces: one way to show an empty value, the navigation registry (the bar,
the Admin menu, the user's menu) and the header search, as a signed-in user sees them."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from forecourt.core import global_search, navigation
from forecourt.core.global_search import Hit, register_finder
from forecourt.core.navigation import ADMIN, PERSONAL, NavItem, register_nav


def render(source: str, **context: object) -> str:
    return Template("{% load display %}" + source).render(Context(context))


@pytest.mark.parametrize("empty", [None, "", "   ", []])
def test_an_empty_value_shows_one_muted_mark_read_as_not_recorded(empty):
    html = render("{{ value|or_blank }}", value=empty)
    assert 'class="blank"' in html
    assert "Not recorded" in html
    assert "None" not in html


def test_a_present_value_is_shown_and_still_escaped():
    assert render("{{ value|or_blank }}", value=0) == "0"
    assert render("{{ value|or_blank }}", value="<b>V8</b>") == "&lt;b&gt;V8&lt;/b&gt;"


@pytest.fixture
def restore_registry():
    saved = dict(navigation._registry)
    saved_finders = dict(global_search._FINDERS)
    yield
    navigation._registry.clear()
    navigation._registry.update(saved)
    global_search._FINDERS.clear()
    global_search._FINDERS.update(saved_finders)


def nav_context(user):
    request = RequestFactory().get("/")
    request.user = user
    return navigation.navigation(request)


@pytest.mark.django_db
def test_departments_fill_the_bar_administration_and_personal_items_their_menus(owner):
    context = nav_context(owner)
    bar = [item["label"] for item in context["nav_items"]]
    admin = [item["label"] for item in context["nav_admin_items"]]
    personal = [item["label"] for item in context["nav_personal_items"]]
    assert bar == [
        "Dashboard",
        "Inventory",
        "Customers",
        "Leads",
        "My day",
        "Deals",
        "Buying",
        "Recon",
        "Finance",
    ]
    assert admin == [
        "Rooftops",
        "Users",
        "API tokens",
        "Retention",
        "Audit log",
        "System status",
        "Access review",
    ]
    assert personal == ["My sessions", "Two-factor authentication", "Change password"]


@pytest.mark.django_db
def test_an_app_adds_its_department_from_its_own_code(restore_registry, owner, salesperson):
    register_nav(
        NavItem("Showroom", "core:dashboard", "accounts.view_user", order=99),
        NavItem("Lenders", "core:audit-list", "accounts.view_user", ADMIN, order=5),
    )
    owner_nav = nav_context(owner)
    assert [i["label"] for i in owner_nav["nav_items"]][-1] == "Showroom"
    assert owner_nav["nav_admin_items"][0]["label"] == "Lenders"
    sales_nav = nav_context(salesperson)  # no accounts.view_user: neither shows
    assert "Showroom" not in [i["label"] for i in sales_nav["nav_items"]]
    assert "Lenders" not in [i["label"] for i in sales_nav["nav_admin_items"]]


def test_a_nav_entry_names_a_known_section():
    with pytest.raises(ValueError, match="section"):
        NavItem("Oops", "core:dashboard", section="sidebar")
    assert NavItem("Mine", "core:dashboard", section=PERSONAL).section == PERSONAL


@pytest.mark.django_db
def test_the_owners_header_has_departments_an_admin_menu_and_a_user_menu(client_for, owner):
    html = client_for(owner).get("/").content.decode()
    bar = html[html.index('<ul class="main-nav">') : html.index("</ul>", html.index("main-nav"))]
    assert ">Inventory<" in bar
    for elsewhere in (">Users<", ">Audit log<", ">My sessions<"):
        assert elsewhere not in bar
    admin = html[html.index('class="dropdown admin-menu"') : html.index("</details>")]
    for label in (">Users<", ">Audit log<", ">System status<"):
        assert label in admin
    user_menu = html[html.index('class="dropdown user-menu"') :]
    assert ">My sessions<" in user_menu
    assert ">Sign out<" in user_menu
    assert 'aria-keyshortcuts="/"' in html


@pytest.mark.django_db
def test_the_header_search_asks_every_finder_the_user_may_use(
    restore_registry, client_for, salesperson
):
    global_search._FINDERS.clear()
    register_finder(
        "Widgets", lambda user, q, limit: [Hit(f"Widget {q}", "/w/1/", "blue")], None, 1
    )
    register_finder("Secrets", lambda user, q, limit: [Hit("Secret", "/s/")], "accounts.add_user")
    html = client_for(salesperson).get("/search/", {"q": "  7a  "}).content.decode()
    assert re.search(r'<a href="/w/1/">Widget 7a</a>', html)
    assert "Secret" not in html
    global_search._FINDERS.clear()
    register_finder("Nothing", lambda user, q, limit: [])
    assert "Nothing matches" in client_for(salesperson).get("/search/?q=zz").content.decode()
    empty = client_for(salesperson).get("/search/").content.decode()
    assert "Type a VIN" in empty
