"""Every route of the project, from the URL resolver, with its path parameters filled in.

Used by the proof tests (headers, GET safety, authorization matrix, IDOR): they iterate
whatever the resolver holds, so a new route is covered (or flagged) without editing them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

API_PREFIX = "api/v1/"
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
MISSING_ID = 987654321

# Which model an id parameter names: by parameter name, else by the path segment before it.
MODEL_BY_PARAM = {
    "rooftop_id": "accounts.Rooftop",
    "token_id": "accounts.ApiToken",
    "vehicle_id": "inventory.Vehicle",
    "photo_id": "inventory.VehiclePhoto",
    "photo_pk": "inventory.VehiclePhoto",
    "job_id": "inventory.ImportJob",
}
MODEL_BY_SEGMENT = {
    "rooftops": "accounts.Rooftop",
    "users": "accounts.User",
    "tokens": "accounts.ApiToken",
    "vehicles": "inventory.Vehicle",
    "photos": "inventory.VehiclePhoto",
    "imports": "inventory.ImportJob",
    "vehicle-imports": "inventory.ImportJob",
}
# Non-id parameters: a value the route accepts.
PLAIN_VALUES = {
    "language": "en",
    "fmt": "csv",
    "direction": "up",
    "variant": "thumb",
    "uidb64": "MQ",
    "token": "not-a-real-token",
}


# Apps added after the proof tests declare their own routes' rules, id parameters and test
# objects in `<app>/tests/routes.py` (EXPECTED, MODEL_BY_PARAM, MODEL_BY_SEGMENT, PLAIN_VALUES,
# populate(owner, rooftop)), so two apps never edit the same table.
APP_ROUTE_MODULES = [
    "forecourt.accounts.tests.routes",
    "forecourt.customers.tests.routes",
    "forecourt.leads.tests.routes",
    "forecourt.purchasing.tests.routes",
    "forecourt.deals.tests.routes",
    "forecourt.finance.tests.routes",
]


def app_route_modules() -> list[Any]:
    import importlib

    return [importlib.import_module(name) for name in APP_ROUTE_MODULES]


for _module in app_route_modules():
    MODEL_BY_PARAM.update(getattr(_module, "MODEL_BY_PARAM", {}))
    MODEL_BY_SEGMENT.update(getattr(_module, "MODEL_BY_SEGMENT", {}))
    PLAIN_VALUES.update(getattr(_module, "PLAIN_VALUES", {}))


@dataclass(frozen=True)
class Route:
    template: str  # "inventory/vehicles/<int:pk>/photos/"
    name: str  # "inventory:photo-panel"; API routes: "api:get_vehicle"

    @property
    def is_api(self) -> bool:
        return self.template.startswith(API_PREFIX)

    @property
    def params(self) -> list[tuple[str, str]]:
        return [(m["name"], m["converter"] or "str") for m in _PARAM.finditer(self.template)]

    def model_of(self, param: str) -> str | None:
        if param in MODEL_BY_PARAM:
            return MODEL_BY_PARAM[param]
        before = self.template.split(f":{param}>")[0].split(f"<{param}>")[0]
        segment = before.rstrip("/").split("/")[-1] if "/" in before else before
        return MODEL_BY_SEGMENT.get(segment)

    def fill(self, values: dict[str, Any]) -> str:
        return "/" + _PARAM.sub(lambda m: str(values[m["name"]]), self.template)


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            routes += _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = namespace + pattern.name if pattern.name else prefix + str(pattern.pattern)
            routes.append(Route(prefix + str(pattern.pattern), name))
    return routes


def all_routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        # ninja lists one pattern per operation on a path; the first one serves them all.
        seen.setdefault(route.template, route)
    return list(seen.values())


def rooftop_filter(model: Any, rooftop: Any) -> dict[str, Any]:
    lookup = getattr(model.objects.all(), "rooftop_lookup", None)
    if lookup is None:
        return {}
    return {f"{lookup}__in": [rooftop.pk]}


def object_id(label: str | None, rooftop: Any) -> Any:
    """The id of an existing object of `label` in `rooftop` (MISSING_ID when there is none)."""
    if label is None:
        return MISSING_ID
    model = apps.get_model(label)
    rows = model._default_manager.filter(**rooftop_filter(model, rooftop))
    obj = rows.order_by("pk").first()
    return obj.pk if obj is not None else MISSING_ID


def values_for(route: Route, rooftop: Any) -> dict[str, Any]:
    """Path parameter values: real object ids of `rooftop` where the route names a model."""
    values: dict[str, Any] = {}
    for name, converter in route.params:
        label = route.model_of(name)
        if name == "vin":
            vehicle_model = apps.get_model("inventory.Vehicle")
            vehicle = vehicle_model.objects.filter(rooftop=rooftop).first()
            values[name] = vehicle.vin if vehicle else "1HGCM82633A004352"
        elif label is not None or converter == "int" or name in {"pk", "id"}:
            values[name] = object_id(label, rooftop)
        else:
            values[name] = PLAIN_VALUES.get(name, "x")
    return values
