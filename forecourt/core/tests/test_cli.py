"""The `forecourt` console script, run as an operator would run it."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from forecourt.cli import main


def run_forecourt(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(  # noqa: S603 - our own console script
        [sys.executable, "-m", "forecourt", *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=60,
        check=False,
    )


def test_check_config_prints_masked_configuration():
    result = run_forecourt("check-config", DATABASE_URL="postgres://u:hunter2pass@db/x")
    assert result.returncode == 0, result.stderr
    assert "Configuration is valid." in result.stdout
    assert "hunter2pass" not in result.stdout
    assert "postgres://u:********@db/x" in result.stdout


def test_invalid_configuration_exits_2_with_one_message_and_no_traceback():
    result = run_forecourt("check-config", FORECOURT_ENV="production", LOG_LEVEL="loud")
    assert result.returncode == 2
    # Other production-required variables (e.g. FIELD_ENCRYPTION_KEYS) are listed too.
    assert result.stderr.startswith("Forecourt configuration is invalid (")
    for variable in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "LOG_LEVEL"):
        assert f"- {variable}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_command_has_help():
    result = run_forecourt("seed-demo", "--help")
    assert result.returncode == 0
    assert "Refused in production" in result.stdout


def test_failure_is_one_line_and_non_zero(capsys):
    code = main(["forecourt", "export-openapi", "--output", "/proc/forbidden/openapi.json"])
    assert code == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("forecourt: error:")
    assert "\n" not in err


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    from forecourt.accounts.demo import DEMO_USERS
    from forecourt.accounts.models import Rooftop, User

    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert User.objects.count() == len(DEMO_USERS)
    assert Rooftop.objects.count() == 2
    assert "2 rooftop(s) and 11 user(s) added" in first
    assert "0 rooftop(s) and 0 user(s) added" in second
    assert "owner@demo.forecourt.test" in second


@pytest.mark.django_db
def test_seed_demo_is_refused_in_production(settings):
    from django.core.management.base import CommandError

    settings.FORECOURT_ENV = "production"
    with pytest.raises(CommandError, match="refused in production"):
        call_command("seed_demo")
