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

VIEW = "customers.view_customer"

EXPECTED: dict[str, str] = {
    # Pages
    "customers:customer-list": VIEW,
    "customers:customer-create": "customers.add_customer",
    "customers:customer-detail": VIEW,
    "customers:customer-edit": "customers.change_customer",
    "customers:customer-consent": POST_ONLY,
    "customers:customer-reveal": POST_ONLY,
    "customers:customer-merge": POST_ONLY,
    "customers:customer-export": POST_ONLY,  # audited: never on GET
    # API
    "api:list_customers": VIEW,
    "api:get_customer": VIEW,
    "api:record_customer_consent": POST_ONLY,
    "api:reveal_customer_field": POST_ONLY,
    "api:merge_customer": POST_ONLY,
    # Compliance: OFAC, legal hold, retention (urls_compliance.py, api_compliance.py)
    "customers:compliance": VIEW,
    "customers:ofac-screen": POST_ONLY,
    "customers:ofac-clear": POST_ONLY,
    "customers:legal-hold-set": POST_ONLY,
    "customers:legal-hold-lift": POST_ONLY,
    "customers:dispose": "customers.dispose_customer",  # GET: the confirmation page
    "customers:retention-report": "customers.dispose_customer",
    "customers:retention-report-export": POST_ONLY,  # audited: never on GET
    "api:customer_ofac": VIEW,
    "api:clear_customer_ofac": POST_ONLY,
    "api:customer_legal_hold": POST_ONLY,
}
MODEL_BY_PARAM: dict[str, str] = {"customer_id": "customers.Customer"}
MODEL_BY_SEGMENT: dict[str, str] = {"customers": "customers.Customer"}
PLAIN_VALUES: dict[str, str] = {}


def populate(owner: Any, rooftop: Any) -> None:
    """Two customers (a merge needs a pair), with a consent and a sensitive value on file."""
    from forecourt.customers.tests.factories import make_customer

    make_customer(owner, rooftop, ssn="123-45-6789", consent_sms=True)
    make_customer(owner, rooftop)
