"""A list screen's filters as URL parameters, gathered once per request.

Every link a list draws (the next and first page, each column's sort, the export links)
is built from one `ListQuery`, so a filter chosen on page 1 is still chosen on page 7,
after a sort and in the exported file. A filter with a default when it is absent (the
inventory list shows available units unless asked otherwise) is carried as an explicit
empty value when the user chose "Any", so a later page does not fall back to the default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode


@dataclass(frozen=True)
class ListQuery:
    path: str
    params: Mapping[str, Any]

    @classmethod
    def of(
        cls,
        path: str,
        filters: Mapping[str, Any],
        request_params: Mapping[str, Any],
        *,
        defaulted: Iterable[str] = (),
    ) -> ListQuery:
        """`filters`: the list's filters as query values (its `as_query()`); `defaulted`:
        the names of filters that take a default when absent from the request."""
        params = dict(filters)
        for name in defaulted:
            if name in request_params and name not in params:
                params[name] = ""  # "Any", chosen over the default
        return cls(path, params)

    def query(self, **changes: Any) -> str:
        """The parameters with `changes` applied (a None value removes a parameter)."""
        merged = {**self.params, **changes}
        return urlencode({k: v for k, v in merged.items() if v is not None}, doseq=True)

    def url(self, **changes: Any) -> str:
        query = self.query(**changes)
        return f"{self.path}?{query}" if query else self.path
