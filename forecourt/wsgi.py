"""WSGI entry point for production servers (gunicorn, granian)."""

import gc
import os
import sys

from django.core.wsgi import get_wsgi_application

from forecourt.core.config import ConfigError, get_config
from forecourt.core.lanes import LaneDispatcher

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forecourt.settings")
try:
    get_config()
except ConfigError as error:
    print(error, file=sys.stderr)
    raise SystemExit(2) from None

django_application = get_wsgi_application()  # sets Django up

# API requests with a bearer token and no cookie skip the browser-only middleware
# (forecourt/core/lanes.py); every other request runs the full MIDDLEWARE list.
application = LaneDispatcher(django_application)

# What start-up built (settings, URL patterns, models, compiled SQL and regexes: most of the
# heap) lives as long as the process. Frozen, the garbage collector's full passes stop
# walking it: one such pass took ~120 ms in a measured run of 4,000 requests, a tail-latency
# spike for whichever request triggered it (docs/performance.md).
gc.collect()
gc.freeze()
