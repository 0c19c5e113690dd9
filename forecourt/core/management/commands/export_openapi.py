"""forecourt export-openapi: write the OpenAPI document (the snapshot the tests compare)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

SNAPSHOT = Path(__file__).resolve().parents[3].parent / "docs" / "api" / "openapi.json"


def openapi_document() -> dict[str, Any]:
    from forecourt.api import api

    # Through JSON once, so status codes are strings exactly as clients see them.
    return dict(json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1"))))


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the API's OpenAPI 3.1 document to docs/api/openapi.json (or --output)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", type=Path, default=SNAPSHOT)

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(render(openapi_document()))
        self.stdout.write(f"Wrote {output}")
