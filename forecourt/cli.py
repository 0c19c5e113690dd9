"""The `forecourt` command: Django's management commands and ours, no manage.py needed.

`forecourt seed-demo` runs the `seed_demo` command; hyphens and underscores are the same.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "forecourt"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forecourt.settings")

    from forecourt.core.config import ConfigError, get_config

    try:
        get_config()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2

    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if "--traceback" in argv:
            raise
        # One readable line for operators; --traceback shows the details.
        print(f"forecourt: error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


def run() -> None:  # pragma: no cover - console entry point
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
