"""Demo data seeders: each app adds its own, `forecourt seed-demo` runs them in order.

    register_seeder("inventory", seed_demo_vehicles, order=20)

A seeder takes the command's `DemoOptions`, adds only what is missing (running it again adds
nothing twice) and returns the line the command prints. Core stays below the apps: it never
imports them, they register here from `AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoOptions:
    vehicles: int | None = None  # top the demo inventory up to this many (None: the app's default)
    customers: int | None = None


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    rooftops: str


@dataclass(frozen=True)
class Seeder:
    name: str
    seed: Callable[[DemoOptions], str]
    order: int


_SEEDERS: dict[str, Seeder] = {}
_LOGINS: list[Callable[[], tuple[str, list[DemoLogin]]]] = []


def register_seeder(name: str, seed: Callable[[DemoOptions], str], order: int = 100) -> None:
    _SEEDERS[name] = Seeder(name, seed, order)


def register_logins(logins: Callable[[], tuple[str, list[DemoLogin]]]) -> None:
    """`logins()` -> (the shared demo password, one login per role) for the command to print."""
    _LOGINS[:] = [logins]


def seeders() -> list[Seeder]:
    return sorted(_SEEDERS.values(), key=lambda s: (s.order, s.name))


def demo_logins() -> tuple[str, list[DemoLogin]] | None:
    return _LOGINS[0]() if _LOGINS else None
