"""The layer contract (pyproject.toml, import-linter) holds, and it fails on a violation.

`make lint` runs `lint-imports` on the tree; these tests show the contract is the one we
declare and that it really refuses an upward import (a lower layer importing a higher one).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contract() -> dict:
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = config["contracts"]
    return contract


def _run(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own venv's tool, fixed arguments
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )


def test_the_layers_run_from_core_up_to_the_departments() -> None:
    layers = [name.strip("()") for name in _contract()["layers"]]
    assert layers[-5:] == [
        "forecourt.leads",
        "forecourt.customers",
        "forecourt.inventory",
        "forecourt.accounts",
        "forecourt.core",
    ]


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """A copy of the contract over a tiny package: core importing leads is refused."""
    package = tmp_path / "forecourt"
    for layer in ("core", "accounts", "inventory", "customers", "leads"):
        (package / layer).mkdir(parents=True)
        (package / layer / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "leads" / "models.py").write_text("from forecourt.customers import registry\n")
    (package / "customers" / "registry.py").write_text("")
    config = tmp_path / "contract.toml"
    layers = ",\n".join(f'    "{name}"' for name in _contract()["layers"])
    config.write_text(
        '[tool.importlinter]\nroot_package = "forecourt"\n\n'
        '[[tool.importlinter.contracts]]\nname = "layers"\ntype = "layers"\n'
        f"layers = [\n{layers},\n]\n"
    )
    assert _run(config, tmp_path).returncode == 0  # leads -> customers: downward, allowed

    (package / "core" / "views.py").write_text("from forecourt.leads import models\n")
    result = _run(config, tmp_path)
    assert result.returncode == 1
    assert "forecourt.core is not allowed to import forecourt.leads" in result.stdout
