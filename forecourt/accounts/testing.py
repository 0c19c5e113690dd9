"""Test helpers that need accounts (core's test helpers stay below every app)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from forecourt.accounts.roles import sync_roles


def restore_roles() -> None:
    """A transactional test flushes every table, the role groups included: put them back."""
    sync_roles(Group, Permission)
