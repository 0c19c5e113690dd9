"""The README's opening says what Forecourt does today and what is still coming: a dealer
judging the product must not be promised an app that is not installed."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps

README = Path(__file__).resolve().parents[3] / "README.md"
# Areas the README may name only as coming, until an app of that name is installed.
NOT_YET_BUILT = {
    "service": "service and parts",
    "parts": "service and parts",
    "accounting": "accounting",
}


def opening() -> str:
    return README.read_text().split("\n## ", 1)[0]


def test_readme_names_unbuilt_areas_only_as_coming():
    text = opening()
    today, _, coming = text.partition("Coming next:")
    assert coming, "the README's opening says what is coming"
    installed = {config.label for config in apps.get_app_configs()}
    for label, words in NOT_YET_BUILT.items():
        if label in installed:
            continue
        assert words not in today, f"{words!r} is promised as existing"
        assert words in coming


def test_readme_names_the_apps_that_exist():
    today = opening().partition("Coming next:")[0]
    for words in ("vehicle inventory", "customers", "leads"):
        assert words in today
