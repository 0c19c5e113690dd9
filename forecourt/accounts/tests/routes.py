"""The accounts app's onboarding routes in the route-driven proof tests
(forecourt/core/security/tests/): rooftop editing and invitations.

EXPECTED: who may GET each route; MODEL_BY_PARAM / MODEL_BY_SEGMENT: which model an id in a
path names; populate(owner, rooftop): one of each object, created through the actions.
"""

from __future__ import annotations

from typing import Any

from forecourt.accounts.invitations.actions import invite_user
from forecourt.accounts.roles import Role

PUBLIC = "public"
POST_ONLY = "post-only"

EXPECTED: dict[str, str] = {
    # Pages
    "accounts:rooftop-create": "accounts.add_rooftop",
    "accounts:rooftop-edit": "accounts.change_rooftop",
    "accounts:user-invite": "accounts.add_user",
    "accounts:invitation-resend": POST_ONLY,
    "accounts:invitation-revoke": POST_ONLY,
    # The invitee has no account yet; the link's token is the credential (checked on accept).
    "accounts:invitation-open": PUBLIC,
    "accounts:invitation-accept": PUBLIC,
    # API (the create and update share their paths with list_rooftops and get_rooftop)
    "api:list_invitations": "accounts.view_user",
    "api:resend_invitation": POST_ONLY,
    "api:revoke_invitation": POST_ONLY,
}
MODEL_BY_PARAM = {"invitation_id": "accounts.Invitation"}
MODEL_BY_SEGMENT = {"invitations": "accounts.Invitation"}


def populate(owner: Any, rooftop: Any) -> None:
    invite_user(
        owner,
        email=f"invitee-{rooftop.code}@example.com",
        full_name="Invited Person",
        roles=[Role.SALESPERSON],
        rooftops=[rooftop],
    )
