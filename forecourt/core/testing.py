"""Helpers for the test suites of every app (fixtures live in forecourt/conftest.py)."""

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test-only credential


def bearer(raw_token: str) -> dict[str, str]:
    """Django test-client headers that authenticate with an API token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}
