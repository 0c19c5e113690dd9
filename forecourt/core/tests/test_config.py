import re
from pathlib import Path

import pytest

from forecourt.core.config import (
    DEVELOPMENT_SECRET_KEY,
    ConfigError,
    ForecourtConfig,
    load_config,
    mask_url,
    render_env_example,
    variable_name,
)

VARIABLES = [variable_name(name) for name in ForecourtConfig.model_fields]
STRONG_KEY = "k" * 30 + "9Xr2-pQ7zL0wB4vN8sT1yU6iO3eA5cD"
FIELD_KEYS = {  # customer-field encryption keys, required in production
    "FIELD_ENCRYPTION_KEYS": "k1:" + "A" * 43 + "=",
    "FIELD_HASH_KEY": "B" * 43 + "=",
    "BACKUP_ENCRYPTION_KEY": "C" * 48,  # backups, required in production
    "EMAIL_URL": "smtp://forecourt:mailpw@mail.example.com:587",  # required in production
}


@pytest.fixture
def env(monkeypatch):
    """A clean environment: only what each test sets."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values: str) -> None:
        for key, value in values.items():
            monkeypatch.setenv(key, value)

    return set_env


def problems_of(error: ConfigError) -> dict[str, str]:
    return {variable: message for variable, message, _example in error.problems}


def test_development_defaults_need_no_environment(env):
    config = load_config()
    assert config.env == "development"
    assert config.debug_enabled is True
    assert config.effective_secret_key == DEVELOPMENT_SECRET_KEY
    assert config.effective_database_url.startswith("sqlite:///")
    assert config.effective_database_url.endswith("var/forecourt.sqlite3")
    assert config.effective_log_format == "console"
    assert config.redis_url is None


def test_production_lists_every_problem_at_once(env):
    env(FORECOURT_ENV="production", SECRET_KEY="short", DEBUG="true", ALLOWED_HOSTS="*")
    with pytest.raises(ConfigError) as caught:
        load_config()
    problems = problems_of(caught.value)
    assert set(problems) == {
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "FIELD_ENCRYPTION_KEYS",
        "FIELD_HASH_KEY",
        "BACKUP_ENCRYPTION_KEY",
        "EMAIL_URL",
    }
    assert "at least 50 characters" in problems["SECRET_KEY"]
    assert "(got 5)" in problems["SECRET_KEY"]
    message = str(caught.value)
    assert message.startswith("Forecourt configuration is invalid (8 problem(s)):")
    assert "example: DATABASE_URL=postgres://" in message
    assert "Traceback" not in message


def test_production_refuses_the_development_key(env):
    env(
        FORECOURT_ENV="production",
        SECRET_KEY=DEVELOPMENT_SECRET_KEY,
        DATABASE_URL="postgres://u:p@db/forecourt",
        ALLOWED_HOSTS="dms.example.com",
        **FIELD_KEYS,
    )
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert list(problems_of(caught.value)) == ["SECRET_KEY"]
    assert "development default" in problems_of(caught.value)["SECRET_KEY"]


def test_valid_production_configuration(env):
    env(
        FORECOURT_ENV="production",
        SECRET_KEY=STRONG_KEY,
        DATABASE_URL="postgres://forecourt:pw@db:5432/forecourt",
        ALLOWED_HOSTS="dms.example.com, www.dms.example.com",
        ALLOWED_ORIGINS="https://www.example-motors.com",
        REDIS_URL="redis://cache:6379/0",
        LOG_LEVEL="warning",
        **FIELD_KEYS,
    )
    config = load_config()
    assert config.is_production
    assert config.debug_enabled is False
    assert config.allowed_hosts == ["dms.example.com", "www.dms.example.com"]
    assert config.log_level == "WARNING"
    assert config.effective_log_format == "json"
    masked = config.masked()
    assert STRONG_KEY not in str(masked)
    assert masked["DATABASE_URL"] == "postgres://forecourt:********@db:5432/forecourt"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("DATABASE_URL", "mysql://x@y/z", "scheme must be postgres:// or sqlite://"),
        ("REDIS_URL", "http://cache", "must start with redis://"),
        ("LOG_LEVEL", "LOUD", "Input should be"),
        ("LOG_FORMAT", "xml", "Input should be"),
        ("ALLOWED_ORIGINS", "example.com", "is not an origin"),
        ("TIME_ZONE", "Mars/Olympus", "is not an IANA time zone"),
        ("TRUSTED_PROXY_HOPS", "-1", "greater than or equal to 0"),
        ("FORECOURT_ENV", "staging", "Input should be"),
        ("DEBUG", "maybe", "valid boolean"),
    ],
)
def test_bad_values_are_named_with_the_reason(env, variable, value, expected):
    env(**{variable: value})
    with pytest.raises(ConfigError) as caught:
        load_config()
    problems = problems_of(caught.value)
    assert list(problems) == [variable]
    assert expected in problems[variable]


def test_mask_url_keeps_urls_without_password():
    assert mask_url("redis://cache:6379/0") == "redis://cache:6379/0"
    assert mask_url("postgres://u:secret@h/db") == "postgres://u:********@h/db"


def test_env_example_is_in_sync_with_the_schema():
    example = (Path(__file__).resolve().parents[3] / ".env.example").read_text()
    assert example == render_env_example(), "run `make env-example` and commit .env.example"
    documented = set(re.findall(r"^# ([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert documented == set(VARIABLES)
    assert all(
        ForecourtConfig.model_fields[name].description for name in ForecourtConfig.model_fields
    )


PRODUCTION = {
    "FORECOURT_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "DATABASE_URL": "postgres://forecourt:pw@db:5432/forecourt",
    "ALLOWED_HOSTS": "dms.example.com",
}


@pytest.mark.parametrize("email_url", [None, "", "console://"])
def test_production_refuses_to_start_without_a_mail_transport(env, email_url):
    keys = {k: v for k, v in FIELD_KEYS.items() if k != "EMAIL_URL"}
    env(**PRODUCTION, **keys, **({} if email_url is None else {"EMAIL_URL": email_url}))
    with pytest.raises(ConfigError) as caught:
        load_config()
    problems = problems_of(caught.value)
    assert list(problems) == ["EMAIL_URL"]
    assert "required in production" in problems["EMAIL_URL"]
    assert "UNSAFE_CONSOLE_EMAIL_IN_PRODUCTION" in problems["EMAIL_URL"]


def test_the_loud_opt_out_starts_with_console_mail_and_check_config_says_so(env):
    keys = {k: v for k, v in FIELD_KEYS.items() if k != "EMAIL_URL"}
    env(**PRODUCTION, **keys, UNSAFE_CONSOLE_EMAIL_IN_PRODUCTION="true")
    config = load_config()
    assert config.console_email_in_production is True
    assert "UNSAFE_CONSOLE_EMAIL_IN_PRODUCTION" in config.masked()["EMAIL_URL"]
    assert "no mail is delivered" in config.masked()["EMAIL_URL"]


def test_check_config_fails_in_production_without_mail(env):
    import subprocess
    import sys

    keys = {k: v for k, v in FIELD_KEYS.items() if k != "EMAIL_URL"}
    environment = {**PRODUCTION, **keys, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "forecourt", "check-config"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "EMAIL_URL: is required in production" in result.stdout + result.stderr
