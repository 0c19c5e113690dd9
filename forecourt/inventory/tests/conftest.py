"""Fixtures every inventory test module may use."""

from pathlib import Path

import pytest

from forecourt.accounts.roles import Role


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:
    """Uploads, photos, imports and feeds go to a fresh folder, not the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def manager(make_user):
    return make_user(Role.SALES_MANAGER)
