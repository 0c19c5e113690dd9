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


Polygon = list[tuple[int, int]]


@dataclass(frozen=True)
class Shapes:
    body: Polygon
    windows: list[Polygon]


@dataclass(frozen=True)
class View:
    key: str
    label: str
    top: int

    def contains(self, x: float, y: float) -> bool:
        return 0 <= x <= WIDTH and self.top <= y <= self.top + VIEW_HEIGHT

    def shapes(self) -> Shapes:
        """The car's outline and windows in diagram coordinates (front to the left on the
        left side and from above, to the right on the right side)."""
        body, windows = (TOP_BODY, TOP_WINDOWS) if self.key == "top" else (SIDE_BODY, SIDE_WINDOWS)
        mirror = self.key == "right"
        return Shapes(
            body=[self._place(p, mirror) for p in body],
            windows=[[self._place(p, mirror) for p in w] for w in windows],
        )

    def _place(self, point: tuple[int, int], mirror: bool) -> tuple[int, int]:
        x, y = point
        return (WIDTH - x if mirror else x, self.top + y)


# Outlines in a view's own coordinates (0-600 across, 0-160 down).
SIDE_BODY = [
    (40, 120),
    (40, 88),
    (60, 72),
    (170, 64),
    (220, 30),
    (385, 30),
    (450, 64),
    (535, 70),
    (560, 88),
    (560, 120),
]
SIDE_WINDOWS = [
    [(228, 62), (250, 38), (300, 38), (300, 62)],
    [(310, 62), (310, 38), (380, 38), (425, 62)],
]
TOP_BODY = [(70, 30), (530, 30), (555, 45), (555, 115), (530, 130), (70, 130), (45, 115), (45, 45)]
TOP_WINDOWS = [
    [(185, 42), (230, 48), (230, 112), (185, 118)],
    [(420, 48), (455, 42), (455, 118), (420, 112)],
]
SIDE_WHEELS = [(150, 120), (450, 120)]
TOP_WHEELS = [(150, 28), (450, 28), (150, 132), (450, 132)]


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
    """Wheel centres in diagram coordinates."""
    centres = TOP_WHEELS if view.key == "top" else SIDE_WHEELS
    return [view._place(c, view.key == "right") for c in centres]


def points(shape: list[tuple[int, int]]) -> str:
    """An SVG `points` attribute."""
    return " ".join(f"{x},{y}" for x, y in shape)
