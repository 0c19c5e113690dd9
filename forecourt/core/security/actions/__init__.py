"""Every security write: one function per operation, one transaction, audited.

from forecourt.core.security import actions
actions.confirm_totp(request, code)
"""

from forecourt.core.security.actions.access import (
    deactivate_idle_users,
    export_access_review,
    unlock_account,
)
from forecourt.core.security.actions.mfa import (
    confirm_totp,
    regenerate_recovery_codes,
    register_passkey,
    remove_passkey,
    remove_totp_device,
    reset_mfa,
    verify_second_factor,
)
from forecourt.core.security.actions.reveal import reveal_field
from forecourt.core.security.actions.sessions import (
    change_password,
    end_own_session,
    end_user_sessions,
)

__all__ = [
    "change_password",
    "confirm_totp",
    "deactivate_idle_users",
    "end_own_session",
    "end_user_sessions",
    "export_access_review",
    "regenerate_recovery_codes",
    "register_passkey",
    "remove_passkey",
    "remove_totp_device",
    "reset_mfa",
    "reveal_field",
    "unlock_account",
    "verify_second_factor",
]
