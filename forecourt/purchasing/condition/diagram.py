"""The damage diagram: one SVG of a car seen from the left, from above and from the right,
stacked (it fits a phone held upright). Markers are stored in its coordinates; a marker
must fall inside one of the three views (anything else is outside the diagram).

The geometry lives here once: the template draws the views from VIEWS and the PDF draws
the same shapes, so a marker is where it was placed on every rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 600
VIEW_HEIGHT = 160
HEIGHT = VIEW_HEIGHT * 3


@dataclass(frozen=True)
class View:
    key: str
    label: str
    top: int

    def contains(self, x: float, y: float) -> bool:
        return 0 <= x <= WIDTH and self.top <= y <= self.top + VIEW_HEIGHT

    @property
    def body(self) -> tuple[int, int, int, int]:
        """The car's body (x, y, width, height): the part of the view that is the car."""
        if self.key == "top":
            return (60, self.top + 30, 480, 100)
        return (40, self.top + 50, 520, 70)


VIEWS = (
    View("left", "Left side", 0),
    View("top", "From above", VIEW_HEIGHT),
    View("right", "Right side", VIEW_HEIGHT * 2),
)
VIEW_BY_KEY = {view.key: view for view in VIEWS}
DAMAGE_TYPES = ("scratch", "dent", "chip", "crack", "rust", "missing")
SEVERITIES = ("minor", "moderate", "severe")
TYRES = ("front_left", "front_right", "rear_left", "rear_right")
CHECKS = ("lights", "glass", "interior")
CHECK_RESULTS = ("ok", "attention", "fail")


def view_at(x: float, y: float) -> View | None:
    for view in VIEWS:
        if view.contains(x, y):
            return view
    return None


def wheels(view: View) -> list[tuple[int, int]]:
    """Wheel centres of a side view (the top view shows tyres as the body's corners)."""
    if view.key == "top":
        x, y, w, h = view.body
        return [(x + 90, y - 6), (x + w - 90, y - 6), (x + 90, y + h + 6), (x + w - 90, y + h + 6)]
    x, y, w, h = view.body
    return [(x + 110, y + h), (x + w - 110, y + h)]
