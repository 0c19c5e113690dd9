"""The finance app's part of the route-driven proof tests (forecourt/core/security/tests/).

EXPECTED: who may GET each route (rules as in test_authorization.py). MODEL_BY_PARAM /
MODEL_BY_SEGMENT: which model an id in a path names. populate(owner, rooftop): one of each
object the routes name, through actions.
"""

from __future__ import annotations

from typing import Any

SIGNED_IN = "signed-in"
POST_ONLY = "post-only"

EXPECTED: dict[str, str] = {
    # API: the calculators compute and store nothing
    "api:finance_quote": SIGNED_IN,
    "api:finance_solve": SIGNED_IN,
    "api:finance_scenarios": SIGNED_IN,
    "api:finance_lease": SIGNED_IN,
    "api:finance_uk": SIGNED_IN,
}
MODEL_BY_PARAM: dict[str, str] = {}
MODEL_BY_SEGMENT: dict[str, str] = {}
PLAIN_VALUES: dict[str, str] = {}


def populate(owner: Any, rooftop: Any) -> None:
    """Nothing yet: the calculator routes name no objects."""
