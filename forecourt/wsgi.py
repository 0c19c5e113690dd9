"""WSGI entry point for production servers (gunicorn, granian)."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from forecourt.core.config import ConfigError, get_config

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forecourt.settings")
try:
    get_config()
except ConfigError as error:
    print(error, file=sys.stderr)
    raise SystemExit(2) from None

application = get_wsgi_application()
