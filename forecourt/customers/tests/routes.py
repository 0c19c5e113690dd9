"""The customers app's part of the route-driven proof tests (forecourt/core/security/tests/).

EXPECTED: who may GET each route (rules as in test_authorization.py: "public", "signed-in",
"post-only" or a permission). MODEL_BY_PARAM / MODEL_BY_SEGMENT: which model an id in a path
names. populate(owner, rooftop): create one of each object the routes name, through actions.
"""

from __future__ import annotations

from typing import Any

PUBLIC = "public"
SIGNED_IN = "signed-in"
POST_ONLY = "post-only"

EXPECTED: dict[str, str] = {}
MODEL_BY_PARAM: dict[str, str] = {}
MODEL_BY_SEGMENT: dict[str, str] = {}
PLAIN_VALUES: dict[str, str] = {}


def populate(owner: Any, rooftop: Any) -> None:
    """Nothing yet."""
