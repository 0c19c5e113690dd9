"""Every checkbox and radio on every page sits inside its own label (consent boxes are legal
records: a box beside the wrong label records the wrong consent). Crawls every route's page
as an owner and reads the HTML each one renders."""

from __future__ import annotations

from html.parser import HTMLParser

from forecourt.core.security.tests.routes import all_routes, values_for
from forecourt.core.security.tests.world import world as world_fixture

world = world_fixture  # the fixture, under its own name for pytest

TOGGLES = {"checkbox", "radio"}


class ToggleLabels(HTMLParser):
    """Each checkbox/radio with the labels open around it, and each label's toggle count."""

    def __init__(self) -> None:
        super().__init__()
        self.open_labels: list[dict[str, int]] = []
        self.toggles: list[tuple[str, int]] = []  # (description, labels around it)
        self.crowded: list[str] = []  # labels holding more than one toggle

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "label":
            self.open_labels.append({"toggles": 0})
        elif tag == "input" and (values.get("type") or "").lower() in TOGGLES:
            name = f"{values.get('type')} {values.get('name')}={values.get('value')}"
            self.toggles.append((name, len(self.open_labels)))
            if self.open_labels:
                self.open_labels[-1]["toggles"] += 1
                if self.open_labels[-1]["toggles"] > 1:
                    self.crowded.append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.open_labels:
            self.open_labels.pop()


def toggles_outside_labels(html: str) -> tuple[list[str], list[str]]:
    parser = ToggleLabels()
    parser.feed(html)
    return [name for name, depth in parser.toggles if depth == 0], parser.crowded


def test_parser_flags_a_box_beside_its_label_and_passes_one_inside():
    beside = '<label for="a">May we call?</label><input type="checkbox" name="a">'
    inside = '<label for="a"><input type="checkbox" name="a"> May we call?</label>'
    two = "<label><input type=radio name=m value=1><input type=radio name=m value=2></label>"
    assert toggles_outside_labels(beside) == (["checkbox a=None"], [])
    assert toggles_outside_labels(inside) == ([], [])
    assert toggles_outside_labels(two)[1] == ["radio m=2"]


def test_every_checkbox_and_radio_on_every_page_is_inside_its_own_label(world, client_for):
    client = client_for(world.owner)
    checked, problems = 0, []
    for route in all_routes():
        if route.is_api:
            continue
        path = route.fill(values_for(route, world.rooftop))
        response = client.get(path, follow=True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        outside, crowded = toggles_outside_labels(html)
        problems += [f"{path}: {name} outside a label" for name in outside]
        problems += [f"{path}: {name} shares a label" for name in crowded]
        checked += html.count('type="checkbox"') + html.count('type="radio"')
    assert not problems
    assert checked > 10  # the walk-in's consent boxes, the import modes, the list selections
