"""Where the machine's CPU goes during one wrk scenario (run by bench/run.sh).

    cpu_share.py snapshot FILE                 before the scenario
    cpu_share.py report FILE SERVER_PID WRK_JSON   after it: JSON on stdout

From /proc: CPU time of the server's processes (the pid and its descendants), PostgreSQL's
and Redis's processes, and the whole machine's busy time (/proc/stat); what the machine spent
beyond those three is wrk, the kernel's own work and anything else running. Reported as CPU
microseconds per request, so the app's share can be set against the SQL's and the rest's.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[str, int, int]]:
    """pid -> (command name, parent pid, CPU ticks used so far)."""
    found: dict[int, tuple[str, int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # ended meanwhile
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry)] = (name, int(fields[1]), int(fields[11]) + int(fields[12]))
    return found


def _machine_busy() -> int:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle, iowait = values[3], values[4]
    return sum(values[:8]) - idle - iowait


def snapshot() -> dict[str, object]:
    return {"processes": {str(k): v for k, v in _processes().items()}, "busy": _machine_busy()}


def _descendants(root: int, processes: dict[int, tuple[str, int, int]]) -> set[int]:
    family = {root}
    grew = True
    while grew:
        grew = False
        for pid, (_, parent, _) in processes.items():
            if parent in family and pid not in family:
                family.add(pid)
                grew = True
    return family


def report(before: dict[str, object], server_pid: int, requests: int) -> dict[str, int]:
    earlier = {int(k): v for k, v in before["processes"].items()}  # type: ignore[attr-defined]
    now = _processes()
    server = _descendants(server_pid, now)
    used = {"app": 0, "postgresql": 0, "redis": 0}
    for pid, (name, _, ticks) in now.items():
        spent = ticks - (earlier[pid][2] if pid in earlier else 0)
        if pid in server:
            used["app"] += spent
        elif name.startswith("postgres"):
            used["postgresql"] += spent
        elif name.startswith("redis"):
            used["redis"] += spent
    busy = _machine_busy() - int(before["busy"])  # type: ignore[call-overload]
    used["other"] = max(0, busy - sum(used.values()))
    per_request = {k: round(v / TICK / requests * 1e6) for k, v in used.items()}
    per_request["total"] = sum(per_request.values())
    return per_request


def main() -> None:
    if sys.argv[1] == "snapshot":
        Path(sys.argv[2]).write_text(json.dumps(snapshot()))
        return
    before = json.loads(Path(sys.argv[2]).read_text())
    requests = json.loads(Path(sys.argv[4]).read_text())["requests"]
    print(json.dumps({"cpu_us_per_request": report(before, int(sys.argv[3]), requests)}))


if __name__ == "__main__":
    main()
