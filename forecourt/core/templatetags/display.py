"""`{% load display %}`: one way to show a value that is not recorded, on every page.

`{{ vehicle.engine|or_blank }}` prints the value, or a muted dash that screen readers read as
"not recorded" when it is empty (None, "", or a choice display of an unset field). Pages
never print "None", "-" or half-empty pairs such as "- / -": show each field on its own line.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

register = template.Library()

NOT_RECORDED = "Not recorded"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


@register.filter(name="or_blank")
def or_blank(value: Any) -> Any:
    """The value itself when present (left for autoescaping), else the blank mark."""
    if is_blank(value):
        return blank_mark()
    return value


@register.simple_tag(name="blank_mark")
def blank_mark() -> str:
    return format_html(
        '<span class="blank" title="{0}"><span aria-hidden="true">—</span>'
        '<span class="visually-hidden">{0}</span></span>',
        NOT_RECORDED,
    )
