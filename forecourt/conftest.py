"""Fixtures shared by every app's tests: rooftops, users per role, API clients."""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from forecourt.accounts.models import Country, Currency, Rooftop, User
from forecourt.accounts.roles import Role
from forecourt.core.testing import TEST_PASSWORD, watch_console

_sequence = itertools.count(1)


@pytest.fixture
def make_rooftop(db: Any) -> Callable[..., Rooftop]:
    def make(**fields: Any) -> Rooftop:
        n = next(_sequence)
        defaults = {
            "code": f"rooftop-{n}",
            "name": f"Rooftop {n}",
            "country": Country.US,
            "currency": Currency.USD,
        }
        return Rooftop.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture
def rooftop(make_rooftop: Callable[..., Rooftop]) -> Rooftop:
    return make_rooftop(name="Springfield")


@pytest.fixture
def other_rooftop(make_rooftop: Callable[..., Rooftop]) -> Rooftop:
    return make_rooftop(name="Leeds", country=Country.GB, currency=Currency.GBP)


@pytest.fixture
def make_user(db: Any, rooftop: Rooftop) -> Callable[..., User]:
    def make(
        role: Role | None = Role.SALESPERSON, rooftops: list[Rooftop] | None = None, **fields: Any
    ) -> User:
        n = next(_sequence)
        fields.setdefault("email", f"user{n}@example.com")
        fields.setdefault("full_name", f"User {n}")
        user = User.objects.create_user(password=TEST_PASSWORD, **fields)
        if role is not None:
            user.groups.set([Group.objects.get(name=role.value)])
        user.rooftops.set(rooftops if rooftops is not None else [rooftop])
        return user

    return make


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user(Role.OWNER)


@pytest.fixture
def salesperson(make_user: Callable[..., User]) -> User:
    return make_user(Role.SALESPERSON)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        from forecourt.core.security.testing import pass_mfa

        client = Client()
        client.force_login(user)
        pass_mfa(client, user)  # MFA verified and recently re-authenticated (sudo mode)
        return client

    return make


@pytest.fixture
def token_for(db: Any) -> Callable[..., str]:
    """A raw API token for `user` with `scopes`, created through the action."""

    def make(user: User, scopes: tuple[str, ...] = ("read", "write")) -> str:
        from forecourt.accounts.actions import create_api_token

        admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
            f"root{next(_sequence)}@example.com", TEST_PASSWORD, full_name="Root"
        )
        _token, raw = create_api_token(admin, user=user, name="test", scopes=scopes)
        return raw

    return make


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Any:
    """Expose each phase's report on the test item, so fixtures can act on failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- Browser tests (Playwright driving Debian's Chromium) -------------------------------

# A form sent with mistakes is answered 422 with the form and its messages (by design);
# Chromium logs every 4xx answer as a console error.
FORM_ERROR_ANSWERS = (r"Failed to load resource: the server responded with a status of 422",)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("FORECOURT_TEST_ARTIFACTS", "test-artifacts"))


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Skip browser tests where Chromium is missing, except in CI, where that is a failure."""
    if Path(CHROMIUM).exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (.ci/run installs it)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def page(request: Any, live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless Chromium page; a screenshot lands in test-artifacts/ when the test fails."""
    # Playwright's sync API runs an event loop in this thread; the test body's ORM use is
    # still synchronous and safe. monkeypatch undoes it, so later tests are unaffected.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.set_default_timeout(10_000)
        problems = watch_console(page)
        yield page
        failed = getattr(request.node, "rep_call", None) and request.node.rep_call.failed
        if failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()
        marker = request.node.get_closest_marker("console_errors_expected")
        expected = (*FORM_ERROR_ANSWERS, *(marker.args if marker else ()))
        unexpected = [text for text in problems if not any(re.search(p, text) for p in expected)]
        if unexpected and not failed:
            pytest.fail(f"browser console errors (a CSP violation?): {unexpected}")


@pytest.fixture
def browser_sign_in(page: Any, live_server: Any) -> Callable[[Client], None]:
    """Give the browser the session of a test client (signed in, second factor passed)."""
    from django.conf import settings

    def sign_in(client: Client) -> None:
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )

    return sign_in
