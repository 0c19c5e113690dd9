"""The bare-view floor of `make bench` (served by bench/run.sh with granian, as the app is).

One Django view, no middleware, no authentication, no logging: it runs search page 1's SQL
(the statement pgbench runs, `BENCH_BARE_SQL` names its file) through Django's cursor and
returns the rows as JSON with orjson -- the "raw-cursor Django view" of issue #3's probe.
Between pgbench (the SQL alone) and the app (everything production needs), it says how much
of a request's cost is Python, Django and HTTP serving at their leanest on this machine.
Never part of the application: it answers every path with the same page.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import django
import orjson
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import re_path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forecourt.settings")
django.setup()
SQL = Path(os.environ["BENCH_BARE_SQL"]).read_text(encoding="utf-8").strip().rstrip(";")


def _default(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def page(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(SQL)
        names = [column.name for column in cursor.description]
        items = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return HttpResponse(orjson.dumps({"items": items}, default=_default), "application/json")


urlpatterns = [re_path(r"", page)]
settings.MIDDLEWARE = []
settings.ROOT_URLCONF = __name__
application = WSGIHandler()
