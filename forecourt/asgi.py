"""ASGI entry point."""

import os
import sys

from django.core.asgi import get_asgi_application

from forecourt.core.config import ConfigError, get_config

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forecourt.settings")
try:
    get_config()
except ConfigError as error:
    print(error, file=sys.stderr)
    raise SystemExit(2) from None

application = get_asgi_application()
