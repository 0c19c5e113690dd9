"""Condition reads: comparing two reports of a vehicle (at purchase vs at delivery)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from forecourt.purchasing.condition.diagram import CHECKS, TYRES
from forecourt.purchasing.condition.models import ConditionReport

# Two markers of the same type and view this close (diagram units) are the same damage.
SAME_PLACE = 20.0


@dataclass
class Comparison:
    earlier: ConditionReport
    later: ConditionReport
    new: list[dict[str, Any]]  # on the later report only
    gone: list[dict[str, Any]]  # on the earlier report only
    unchanged: list[dict[str, Any]]
    tyres: list[tuple[str, str | None, str | None]]  # (wheel, earlier, later)
    checks: list[tuple[str, str | None, str | None]]  # changed checks only


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    close = math.hypot(a["x"] - b["x"], a["y"] - b["y"]) <= SAME_PLACE
    return a["view"] == b["view"] and a["type"] == b["type"] and close


def compare(first: ConditionReport, second: ConditionReport) -> Comparison:
    """What changed between two reports of the same vehicle, the earlier one first."""
    earlier, later = sorted((first, second), key=lambda r: (r.signed_at, r.pk))
    unmatched = list(later.markers)
    gone, unchanged = [], []
    for marker in earlier.markers:
        match = next((m for m in unmatched if _same(marker, m)), None)
        if match is None:
            gone.append(marker)
        else:
            unmatched.remove(match)
            unchanged.append(match)
    tyres = [(w, earlier.tyres.get(w), later.tyres.get(w)) for w in TYRES]
    checks = [
        (c, earlier.checks.get(c), later.checks.get(c))
        for c in CHECKS
        if earlier.checks.get(c) != later.checks.get(c)
    ]
    return Comparison(earlier, later, unmatched, gone, unchanged, tyres, checks)
