"""The shape of customers and leads, checked: writes only in actions, and customers never
imports leads (it learns what it needs through customers/registry.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import forecourt

ROOT = Path(forecourt.__file__).parent
APPS = ("customers", "leads")
# Demo data is bulk-loaded without audit entries on purpose (docs/customers.md).
NOT_CHECKED = {"demo.py"}
ROW_WRITES = {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERY_WRITES = {"create", "update", "delete"}
MANAGERS = {"objects", "_base_manager", "_default_manager"}


def _modules(app: str) -> list[Path]:
    return [
        path
        for path in sorted((ROOT / app).rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
        and path.name not in NOT_CHECKED
    ]


def _in_actions(path: Path) -> bool:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return "actions" in parts


def _names_in(node: ast.AST) -> set[str]:
    return {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)} | {
        n.id for n in ast.walk(node) if isinstance(n, ast.Name)
    }


def writes_in(source: str) -> list[str]:
    """Each call in `source` that writes a row or an audit entry, as "line: call"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, node.func.value
        if method in {"record", "entry_rows"} and _names_in(receiver) == {"audit"}:
            found.append(f"{node.lineno}: audit.{method}")
        elif method in ROW_WRITES or (method in QUERY_WRITES and MANAGERS & _names_in(receiver)):
            found.append(f"{node.lineno}: .{method}()")
    return found


def test_the_check_sees_the_writes_it_looks_for():
    source = (
        "audit.record(actor, 'x', obj, {})\n"
        "Lead.objects.filter(pk=1).update(notes='')\n"
        "lead.save()\n"
        "row.update({'a': 1})\n"  # a dict, not a row
    )
    assert writes_in(source) == ["1: audit.record", "2: .update()", "3: .save()"]


def test_every_write_of_customers_and_leads_is_in_an_actions_module():
    outside = {
        str(path.relative_to(ROOT)): writes
        for app in APPS
        for path in _modules(app)
        if not _in_actions(path) and (writes := writes_in(path.read_text()))
    }
    assert outside == {}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_customers_never_imports_leads():
    customers = [*_modules("customers"), *sorted((ROOT / "customers" / "tests").rglob("*.py"))]
    importing = {
        str(path.relative_to(ROOT)): sorted(m for m in _imports(path) if "forecourt.leads" in m)
        for path in customers
    }
    assert {path: names for path, names in importing.items() if names} == {}
