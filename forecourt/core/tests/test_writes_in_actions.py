"""Every write to a domain row, and every audit entry, happens in an `actions` module.

Views, API endpoints, tasks, forms and helpers call actions; they never save, create, update
or delete a domain row themselves, and never write the audit log. This test reads the source
(no import, no database) and lists each place that breaks the rule with its file and line,
so a new module that writes outside `actions` fails `make test` (docs/architecture.md).

What counts as a write (a syntactic reading):
- anywhere: `audit.record(...)` / `audit.entry_rows(...)` (or those names imported from
  core.audit), except in core/audit.py, which is the writer;
- in a domain app's modules: `<Model>.objects....create/update/delete/bulk_create/
  bulk_update/get_or_create/update_or_create(...)` and the same on any manager chain or
  related manager (`x_set`); `.save()` / `.delete()` with no positional argument (a model
  instance or a model form: Pillow's `image.save(buffer)` and a cache's `delete(key)` take
  one). Core's own bookkeeping tables (job runs, counters, heartbeats, alerts) are not
  domain rows: core cannot import a domain model (the layer contract), so only its audit
  writes are checked.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
DOMAIN_APPS = (
    "accounts",
    "inventory",
    "customers",
    "leads",
    "purchasing",
    "deals",
    "finance",
    "reports",
)
AUDIT_WRITERS = {"record", "entry_rows"}
MANAGER_WRITES = {
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
INSTANCE_WRITES = {"save", "delete"}
NOT_A_ROW = {"request", "session", "cache"}

# Modules of domain apps that write outside `actions`, each for its reason. Keep it short.
ALLOWED = {
    "forecourt/core/audit.py": "the audit log's own writer",
    "forecourt/accounts/auth.py": "a token's last-used time, touched by authentication itself",
    "forecourt/accounts/models.py": "UserManager.create_user, Django's manager contract",
    "forecourt/accounts/roles.py": "role groups re-synced after every migrate",
}
# Demo data is bulk-loaded without audit entries on purpose (docs/architecture.md).
DEMO_MODULES = {"demo.py"}


def _chain(node: ast.expr) -> list[str]:
    """Names along an attribute/call chain: `A.objects.filter(x).update` ->
    ["A", "objects", "filter", "update"]."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        else:
            if isinstance(node, ast.Name):
                names.append(node.id)
            return list(reversed(names))


def _audit_aliases(tree: ast.AST) -> set[str]:
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("core.audit")
        for alias in node.names
        if alias.name in AUDIT_WRITERS
    }


def _is_audit_write(chain: list[str], aliases: set[str]) -> bool:
    method = chain[-1]
    via_module = len(chain) >= 2 and chain[-2] == "audit" and method in AUDIT_WRITERS
    return via_module or (len(chain) == 1 and method in aliases)


def _is_row_write(chain: list[str], node: ast.Call) -> bool:
    method, links = chain[-1], chain[:-1]
    if not links:
        return False
    if method in MANAGER_WRITES and (
        "objects" in links or any(name.endswith("_set") for name in links)
    ):
        return True
    return (
        method in INSTANCE_WRITES
        and not node.args
        and links[0] not in NOT_A_ROW
        and "session" not in links
    )


def writes_in(source: str, *, domain: bool = True) -> list[str]:
    """`line: call` for each write in `source`; `domain=False` looks at audit writes only."""
    tree = ast.parse(source)
    aliases = _audit_aliases(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not (chain := _chain(node.func)):
            continue
        if _is_audit_write(chain, aliases) or (domain and _is_row_write(chain, node)):
            found.append(f"{node.lineno}: {'.'.join(chain)}()")
    return found


def _checked_modules() -> list[tuple[Path, bool]]:
    """(module, whether row writes are checked) for every module outside actions."""
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if {"tests", "migrations", "actions"} & set(parts) or path.stem == "actions":
            continue
        if path.name == "conftest.py" or path.name in DEMO_MODULES:
            continue
        if str(path.relative_to(PACKAGE.parent)) in ALLOWED:
            continue
        modules.append((path, parts[0] in DOMAIN_APPS))
    return modules


def test_no_module_outside_actions_writes_domain_rows_or_audit_entries() -> None:
    problems = [
        f"{path.relative_to(PACKAGE.parent)}:{write}"
        for path, domain in _checked_modules()
        for write in writes_in(path.read_text(), domain=domain)
    ]
    assert problems == [], "Writes outside actions:\n" + "\n".join(problems)


def test_the_check_catches_each_kind_of_write() -> None:
    """A deliberate violation of each kind is reported: the check can fail."""
    source = (
        "from forecourt.core import audit\n"
        "from forecourt.core.audit import record\n"
        "def view(request, vehicle, form):\n"
        "    audit.record(request.user, 'x', vehicle, {})\n"
        "    record(request.user, 'x', vehicle, {})\n"
        "    Vehicle.objects.create(vin='X')\n"
        "    Vehicle.objects.filter(pk=1).update(status='sold')\n"
        "    vehicle.save()\n"
        "    vehicle.photo_set.all().delete()\n"
        "    form.save()\n"
    )
    lines = [int(found.split(":")[0]) for found in writes_in(source)]
    assert sorted(lines) == [4, 5, 6, 7, 8, 9, 10]
    assert [int(f.split(":")[0]) for f in writes_in(source, domain=False)] == [4, 5]


def test_reads_and_non_row_saves_are_not_writes() -> None:
    source = (
        "def view(request, image, buffer, totals):\n"
        "    Vehicle.objects.filter(pk=1).first()\n"
        "    image.save(buffer, format='JPEG')\n"
        "    request.session.save()\n"
        "    cache.delete('key')\n"
        "    totals.update({'a': 1})\n"
    )
    assert writes_in(source) == []
