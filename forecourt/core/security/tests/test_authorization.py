"""Authorization matrix and IDOR, driven by the URL resolver.

EXPECTED below names, for every route, who may GET it. A route the resolver knows but
this table does not fails `test_every_route_has_an_expectation`: whoever adds a route
decides its rule here. Rules:
    PUBLIC      anyone, signed in or not
    SIGNED_IN   every signed-in user, whatever the role
    POST_ONLY   GET is not served (405, or for a page's form a redirect to that page, for
                users; anonymous users are sent to sign in)
    "app.perm"  the roles whose patterns grant that permission (forecourt/accounts/roles.py)
Each route is requested by an anonymous client, one user per role (rooftop A), and an
outsider (a Sales Manager of rooftop B only) with ids of rooftop A's objects.
"""

import pytest
from django.test import Client

from forecourt.accounts.roles import Role, granted
from forecourt.core.post_only import page_of
from forecourt.core.security.tests.routes import (
    MISSING_ID,
    Route,
    all_routes,
    app_route_modules,
    values_for,
)
from forecourt.core.security.tests.test_get_is_safe import changed, snapshot
from forecourt.core.security.tests.world import world as world_fixture

world = world_fixture  # the fixture, under its own name for pytest

PUBLIC = "public"
SIGNED_IN = "signed-in"
POST_ONLY = "post-only"
VEHICLES = "inventory.view_vehicle"

EXPECTED: dict[str, str] = {
    # API (GET operations; writes are covered by the IDOR test and schemathesis)
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:api-root": PUBLIC,
    "api:me": SIGNED_IN,
    "api:list_rooftops": "accounts.view_rooftop",
    "api:get_rooftop": "accounts.view_rooftop",
    "api:list_tokens": "accounts.view_apitoken",
    "api:revoke_token": POST_ONLY,
    "api:list_vehicles": VEHICLES,
    "api:get_vehicle": VEHICLES,
    "api:get_vehicle_by_vin": VEHICLES,
    "api:change_price": POST_ONLY,
    "api:change_status": POST_ONLY,
    "api:hold_vehicle": POST_ONLY,
    "api:list_costs": "inventory.view_vehicle_cost",
    "api:vehicle_history": VEHICLES,
    "api:decode_vin": VEHICLES,
    "api:list_photos": VEHICLES,
    "api:reorder_photos": POST_ONLY,
    "api:set_primary_photo": POST_ONLY,
    "api:delete_photo": POST_ONLY,
    "api:buyers_guide": VEHICLES,
    "api:window_sticker": VEHICLES,
    "api:get_warranty": VEHICLES,
    "api:start_import": POST_ONLY,
    "api:get_import": "inventory.view_importjob",
    # Accounts
    "accounts:login": PUBLIC,
    "accounts:logout": POST_ONLY,
    "accounts:email-change": SIGNED_IN,
    "accounts:rooftop-list": SIGNED_IN,
    "accounts:rooftop-detail": "accounts.view_rooftop",
    "accounts:user-list": "accounts.view_user",
    "accounts:token-list": "accounts.view_apitoken",
    "accounts:token-create": "accounts.add_apitoken",
    "accounts:token-revoke": POST_ONLY,
    # Inventory
    "inventory:vehicle-list": VEHICLES,
    "inventory:vehicle-bulk": POST_ONLY,
    "inventory:vehicle-receive": "inventory.add_vehicle",
    "inventory:vehicle-detail": VEHICLES,
    "inventory:vehicle-edit": "inventory.change_vehicle",
    "inventory:vehicle-price": POST_ONLY,
    "inventory:vehicle-status": POST_ONLY,
    "inventory:vehicle-hold": POST_ONLY,
    "inventory:vehicle-release": POST_ONLY,
    "inventory:vehicle-cost": POST_ONLY,
    "inventory:buyers-guide": VEHICLES,
    "inventory:window-sticker": VEHICLES,
    "inventory:warranty-edit": "inventory.change_vehiclewarranty",
    "inventory:photo-panel": VEHICLES,
    "inventory:photo-upload": POST_ONLY,
    "inventory:photo-primary": POST_ONLY,
    "inventory:photo-move": POST_ONLY,
    "inventory:photo-delete": POST_ONLY,
    "inventory:photo-file": VEHICLES,
    "inventory:public-photo": PUBLIC,
    "inventory:import-new": "inventory.add_importjob",
    "inventory:import-detail": "inventory.view_importjob",
    "inventory:import-progress": "inventory.view_importjob",
    "inventory:export": "inventory.export_vehicles",
    # Security (MFA, sessions, access review)
    "security:mfa-manage": SIGNED_IN,
    "security:mfa-setup": SIGNED_IN,
    "security:mfa-verify": SIGNED_IN,
    "security:mfa-recovery-regenerate": POST_ONLY,
    "security:mfa-device-remove": POST_ONLY,
    "security:passkey-register-begin": POST_ONLY,
    "security:passkey-register-complete": POST_ONLY,
    "security:passkey-verify-begin": POST_ONLY,
    "security:passkey-verify-complete": POST_ONLY,
    "security:passkey-messages": SIGNED_IN,
    "security:passkey-remove": POST_ONLY,
    "security:reauth": SIGNED_IN,
    "security:password-change": SIGNED_IN,
    "security:password-reset": PUBLIC,
    "security:password-reset-done": PUBLIC,
    "security:password-reset-confirm": PUBLIC,
    "security:password-reset-complete": PUBLIC,
    "security:sessions": SIGNED_IN,
    "security:session-end": POST_ONLY,
    "security:sessions-end-others": POST_ONLY,
    "security:access-review": "security.review_access",
    "security:access-review-export": POST_ONLY,
    "security:deactivate-idle": POST_ONLY,
    "security:user-end-sessions": POST_ONLY,
    "security:user-unlock": POST_ONLY,
    "security:user-reset-mfa": POST_ONLY,
    # Monitoring
    "observability:status": "observability.view_system_status",
    "observability:security-events": "observability.view_securityevent",
    "metrics": PUBLIC,  # its own check: bearer token or allowed IPs (403 otherwise)
    # Core
    "core:dashboard": SIGNED_IN,
    "core:audit-list": "core.view_auditentry",
    "core:search": SIGNED_IN,  # each finder scopes its own hits (core/global_search.py)
    "core:health-live": PUBLIC,
    "core:health-ready": PUBLIC,
}
for _module in app_route_modules():
    EXPECTED.update(_module.EXPECTED)

# Answers that mean "not for you" (a scoped miss is 404 by design: no hint the object exists).
DENIED = {401, 403, 404}


def is_denied(response) -> bool:
    if response.status_code in DENIED:
        return True
    location = response.get("Location", "") if response.status_code in {301, 302} else ""
    return "/accounts/login/" in location


def sent_to_its_page(path: str, response) -> bool:
    """A GET of a POST-only page URL is redirected to the page its form is on (the same
    answer for any id, existing or not: core/post_only.py)."""
    return response.status_code == 302 and response.get("Location") == page_of(path)


def role_allowed(rule: str, role: Role) -> bool:
    if rule in {PUBLIC, SIGNED_IN}:
        return True
    return granted(role, rule)


def test_every_route_has_an_expectation():
    names = {route.name for route in all_routes()}
    missing = sorted(names - EXPECTED.keys())
    assert missing == [], f"add these routes to EXPECTED in {__file__}: {missing}"
    stale = sorted(EXPECTED.keys() - names)
    assert stale == [], f"remove routes that no longer exist from EXPECTED: {stale}"


@pytest.fixture
def role_clients(world, make_user, client_for):
    return {role: client_for(make_user(role, rooftops=[world.rooftop])) for role in Role}


def _path(route: Route, world) -> tuple[str, bool]:
    values = values_for(route, world.rooftop)
    return route.fill(values), MISSING_ID not in values.values()


def test_authorization_matrix(world, role_clients):
    anonymous = Client()
    mismatches = []
    for route in all_routes():
        rule = EXPECTED.get(route.name)
        if rule is None:
            continue  # reported by test_every_route_has_an_expectation
        path, objects_exist = _path(route, world)
        response = anonymous.get(path)
        if rule == PUBLIC:
            if is_denied(response) and response.status_code != 404 and route.name != "metrics":
                mismatches.append(f"anonymous GET {path}: {response.status_code}")
        elif not is_denied(response) and response.status_code != 405:
            mismatches.append(f"anonymous GET {path}: {response.status_code}, expected denied")
        if rule == PUBLIC:
            continue
        for role, client in role_clients.items():
            response = client.get(path)
            if rule == POST_ONLY:
                if response.status_code < 400 and not sent_to_its_page(path, response):
                    mismatches.append(f"{role} GET {path}: {response.status_code} (POST only)")
                continue
            allowed = role_allowed(rule, role)
            if allowed and not objects_exist:
                continue  # nothing to show: only refusals are meaningful here
            if allowed == is_denied(response):
                mismatches.append(
                    f"{role} GET {path}: {response.status_code}, expected "
                    + ("allowed" if allowed else "denied")
                )
    assert mismatches == [], "\n".join(mismatches)


def test_idor_other_rooftops_objects_are_not_found_and_unchanged(world, client_for):
    """The outsider (Sales Manager of rooftop B) asks for every object of rooftop A.

    Every method is refused (403/404, or 400/422 when the body is checked before the
    lookup), and the answer is the same as for an id that does not exist at all, so it
    tells nothing about rooftop A. No row changes.
    """
    outsider = client_for(world.outsider)
    before = snapshot()
    checked = 0
    for route in all_routes():
        values = values_for(route, world.rooftop)
        if MISSING_ID in values.values():
            continue
        id_params = [name for name, _ in route.params if route.model_of(name)]
        if not id_params:
            continue
        path = route.fill(values)
        missing_path = route.fill({**values, **dict.fromkeys(id_params, MISSING_ID)})
        for method in ("get", "post", "put", "patch", "delete"):
            response = getattr(outsider, method)(path, content_type="application/json")
            if response.status_code == 405 or sent_to_its_page(path, response):
                continue
            where = f"{method.upper()} {path} as another rooftop's user"
            assert response.status_code in {400, 403, 404, 422}, f"{where}: {response.status_code}"
            missing = getattr(outsider, method)(missing_path, content_type="application/json")
            assert response.status_code == missing.status_code, f"{where}: an existence oracle"
            checked += 1
    after = snapshot()
    assert not changed(before, after), changed(before, after)
    assert checked > 5
