"""Fixtures shared by every app's tests: rooftops, users per role, API clients."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from forecourt.accounts.models import Country, Currency, Rooftop, User
from forecourt.accounts.roles import Role
from forecourt.core.testing import TEST_PASSWORD

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
        client = Client()
        client.force_login(user)
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
