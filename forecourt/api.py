"""The JSON API at /api/v1/: one NinjaAPI, each app adds its router here."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from forecourt import __version__
from forecourt.accounts.api import router as accounts_router
from forecourt.accounts.auth import ApiSessionAuth, ApiTokenAuth
from forecourt.core.api_errors import describe_errors, install_error_handlers
from forecourt.core.security.api import router as security_router
from forecourt.customers.api import router as customers_router
from forecourt.customers.compliance.api import router as compliance_router
from forecourt.deals.api import router as deals_router
from forecourt.finance.api import router as finance_router
from forecourt.finance.contracts.api import router as deal_finance_router
from forecourt.finance.desking.api import router as finance_calculators_router
from forecourt.inventory.api import router as inventory_router
from forecourt.leads.api import router as leads_router
from forecourt.purchasing.api import router as purchasing_router
from forecourt.purchasing.condition.api import router as condition_router
from forecourt.purchasing.recon.api import router as recon_router
from forecourt.purchasing.stocking.api import router as stocking_router


class ForecourtAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return describe_errors(super().get_openapi_schema(*args, **kwargs))


api = ForecourtAPI(
    title="Forecourt API",
    version=__version__,
    description=(
        "The Forecourt dealership management API. Authenticate with an API token "
        "(`Authorization: Bearer fc_...`, created by an admin) or, from the browser, "
        "a session with its CSRF token. Every error has the shape "
        '`{"error": {"code", "message", "request_id", "fields"}}`.'
    ),
    urls_namespace="api",
    auth=[ApiTokenAuth(), ApiSessionAuth(csrf=True)],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

api.add_router("/", accounts_router)
api.add_router("/", inventory_router)
api.add_router("/", customers_router)
api.add_router("/", compliance_router)
api.add_router("/", leads_router)
api.add_router("/", purchasing_router)
api.add_router("/", stocking_router)
api.add_router("/", recon_router)
api.add_router("/", condition_router)
api.add_router("/", deals_router)
api.add_router("/", finance_calculators_router)
api.add_router("/", finance_router)
api.add_router("/", deal_finance_router)
api.add_router("/security", security_router)
