"""A small dealership group for the route-driven proof tests: two rooftops with objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from forecourt.accounts.models import Rooftop, User
from forecourt.accounts.roles import Role


@dataclass
class World:
    rooftop: Rooftop  # "A": the users' own rooftop
    other_rooftop: Rooftop  # "B": nobody but the outsider and owner-level roles see it
    owner: User
    outsider: User  # a Sales Manager of rooftop B only


def _populate(rooftop: Rooftop, admin: User, token_for: Any, make_user: Any) -> None:
    """One of each object the routes name, created through the apps' actions."""
    member = make_user(Role.SALESPERSON, rooftops=[rooftop])
    token_for(member)
    try:
        from forecourt.inventory.tests.factories import receive
    except ImportError:  # pragma: no cover - inventory not built yet
        return
    receive(admin, rooftop)
    from forecourt.core.security.tests.routes import app_route_modules

    for module in app_route_modules():
        populate = getattr(module, "populate", None)
        if populate is not None:
            populate(admin, rooftop)


@pytest.fixture
def world(settings, rooftop, other_rooftop, make_user, token_for) -> World:
    # Password hashing strength is not under test here; Argon2 would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    owner = make_user(Role.OWNER, rooftops=[rooftop, other_rooftop])
    _populate(rooftop, owner, token_for, make_user)
    _populate(other_rooftop, owner, token_for, make_user)
    outsider = make_user(Role.SALES_MANAGER, rooftops=[other_rooftop])
    return World(rooftop, other_rooftop, owner, outsider)
