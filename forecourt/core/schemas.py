"""Base classes for API schemas."""

from ninja import Schema
from pydantic import ConfigDict


class StrictInput(Schema):
    """Request bodies refuse fields they do not know, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
