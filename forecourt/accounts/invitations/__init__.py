"""Staff invitations: invite, resend, revoke, expire, accept (docs/authentication.md)."""
