"""The OpenAPI document is a contract: it changes only on purpose (make openapi)."""

import json

import pytest
from django.test import Client

from forecourt.core.management.commands.export_openapi import SNAPSHOT, openapi_document, render

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def operations():
    document = openapi_document()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", operation


def test_openapi_document_matches_the_snapshot():
    assert SNAPSHOT.exists(), "run `make openapi` to create docs/api/openapi.json"
    assert render(openapi_document()) == SNAPSHOT.read_text(), (
        "The API changed. If intended, run `make openapi` and commit docs/api/openapi.json."
    )


def test_document_is_openapi_3_1_under_api_v1():
    document = openapi_document()
    assert document["openapi"].startswith("3.1")
    assert all(path.startswith("/api/v1/") for path in document["paths"])


@pytest.mark.parametrize(("name", "operation"), list(operations()))
def test_every_operation_has_summary_tag_and_documented_errors(name, operation):
    assert operation.get("summary"), f"{name} needs a summary"
    assert operation.get("tags"), f"{name} needs a tag"
    errors = {s for s in operation["responses"] if s.startswith(("4", "5"))}
    assert "401" in errors, f"{name} must document 401"
    for status in errors:
        content = operation["responses"][status]["content"]["application/json"]["schema"]
        assert content["$ref"].endswith("/ErrorResponse"), f"{name} {status} uses the error shape"
    if name.startswith(("POST", "PUT", "PATCH")):
        assert "422" in errors, f"{name} must document 422"


def test_openapi_json_and_docs_are_served_without_login():
    client = Client()
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert json.loads(response.content)["info"]["title"] == "Forecourt API"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    body = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
