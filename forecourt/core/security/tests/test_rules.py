"""Input/output rules checked over the whole code base and the running app."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import forecourt
from forecourt.api import api
from forecourt.core.security.tests.errors_urls import SECRET_DETAIL

PACKAGE = Path(forecourt.__file__).parent
BIN = Path(sys.executable).parent


def source_files(*suffixes: str) -> list[Path]:
    return [
        path
        for path in PACKAGE.rglob("*")
        if path.suffix in suffixes
        and "/tests/" not in str(path)
        and "/migrations/" not in str(path)
        and "/static/" not in str(path)
    ]


def test_no_form_or_schema_takes_all_fields():
    offenders = [
        str(path)
        for path in source_files(".py")
        if re.search(r"""fields\s*=\s*["']__all__["']""", path.read_text())
    ]
    assert offenders == []


def test_nothing_marks_text_safe_or_turns_autoescaping_off():
    pattern = re.compile(r"mark_safe|SafeString|\|\s*safe\b|autoescape\s+off|\bsafeseq\b")
    offenders = [
        f"{path}:{n}"
        for path in source_files(".py", ".html", ".txt")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_every_api_request_body_refuses_unknown_fields():
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    bodies = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            for media, body in content.items():
                ref = body["schema"].get("$ref")
                if not ref:
                    continue
                name = ref.rsplit("/", 1)[-1]
                bodies += 1
                assert components[name].get("additionalProperties") is False, (
                    f"{method.upper()} {path} ({media}): {name} must extend StrictInput"
                )
    assert bodies > 0


def test_oversized_json_body_is_refused_not_a_server_error(db, client_for, owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = client_for(owner)
    response = client.post(
        "/api/v1/tokens", '{"name": "' + "x" * 4000 + '"}', content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


@pytest.mark.urls("forecourt.core.security.tests.errors_urls")
def test_ui_500_shows_the_request_id_and_no_details(db, client_for, owner, settings):
    settings.DEBUG = False
    client = client_for(owner)
    client.raise_request_exception = False
    response = client.get("/broken/", HTTP_X_REQUEST_ID="req-12345678")
    assert response.status_code == 500
    body = response.content.decode()
    assert "req-12345678" in body
    assert "Traceback" not in body
    assert "SELECT" not in body
    assert "RuntimeError" not in body


@pytest.mark.urls("forecourt.core.security.tests.errors_urls")
def test_api_500_uses_the_error_shape_with_the_request_id(db, settings, client_for, owner):
    settings.DEBUG = False
    client = client_for(owner)
    client.raise_request_exception = False
    response = client.get("/api/broken-test/broken", HTTP_X_REQUEST_ID="req-87654321")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert response.json()["error"]["request_id"] == "req-87654321"
    assert SECRET_DETAIL not in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_bandit_finds_nothing_of_medium_severity_or_above():
    result = subprocess.run(  # noqa: S603 - our own tool on our own package
        [
            str(BIN / "bandit"),
            "--recursive",
            "--severity-level",
            "medium",
            "--confidence-level",
            "medium",
            "--quiet",
            "--exclude",
            "*/tests/*,*/migrations/*",
            str(PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


PRODUCTION_ENV = {
    "FORECOURT_ENV": "production",
    "SECRET_KEY": "p" * 30 + "9Xr2-pQ7zL0wB4vN8sT1yU6iO3eA5cD-deploy",
    "DATABASE_URL": "postgres://forecourt:pw@127.0.0.1:5432/forecourt",
    "ALLOWED_HOSTS": "dms.example.com",
    "FIELD_ENCRYPTION_KEYS": "k1:" + "A" * 43 + "=",
    "FIELD_HASH_KEY": "B" * 43 + "=",
    "BACKUP_ENCRYPTION_KEY": "b" * 64,
    "EMAIL_URL": "smtp://forecourt:pw@mail.example.com:587",
}


def run_production(*args: str) -> subprocess.CompletedProcess[str]:
    # Only what a production process would have: nothing leaks in from the test run.
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "forecourt", *args],
        env={**env, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_hashes_passwords_with_full_cost_argon2id():
    """The test suite's cheap Argon2 (settings, FORECOURT_ENV=test) never reaches production."""
    code = (
        "from django.contrib.auth.hashers import make_password as m; "
        "from django.conf import settings as s; print(s.PASSWORD_HASHERS[0], m('x' * 14))"
    )
    result = run_production("shell", "-c", code)
    assert result.returncode == 0, result.stderr
    hasher, encoded = result.stdout.splitlines()[-1].split()
    assert hasher == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert encoded.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")


def test_production_settings_turn_on_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG, s.RATE_LIMITS_ENABLED)"
    )
    result = run_production("shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "False",
        "True",
    ]
