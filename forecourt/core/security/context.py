from typing import Any

from django.conf import settings
from django.http import HttpRequest


def security(request: HttpRequest) -> dict[str, Any]:
    """Template flags: the development-only MFA exemption shows a banner on every page."""
    return {"mfa_demo_exempt": bool(settings.FORECOURT_MFA_DEMO_EXEMPT)}
