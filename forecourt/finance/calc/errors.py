"""The one error the calculators raise for bad input, with a message per field.

It is a ValueError so pure callers can catch it as such; the API maps it to a 422 with the
field messages and the forms show the messages inline.
"""

from __future__ import annotations


class CalcInputError(ValueError):
    """Input a calculation refuses: `errors` maps each offending field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class Checks:
    """Collects every refusal before raising, so one response names all bad fields."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def require(self, condition: bool, field: str, message: str) -> None:
        if not condition and field not in self.errors:
            self.errors[field] = message

    def raise_if_any(self) -> None:
        if self.errors:
            raise CalcInputError(self.errors)
