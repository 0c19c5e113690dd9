"""Django settings. Every value comes from the typed configuration (forecourt.core.config)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP

from forecourt.core.config import get_config, parse_rate
from forecourt.core.logging import logging_config
from forecourt.core.observability.conf import monitoring_from_config
from forecourt.core.security.mail_settings import mailers

CONFIG = get_config()
BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = CONFIG.data_dir.resolve()

SECRET_KEY = CONFIG.effective_secret_key
DEBUG = CONFIG.debug_enabled
ALLOWED_HOSTS = CONFIG.effective_allowed_hosts
FORECOURT_ENV = CONFIG.env
FORECOURT_TRUSTED_PROXY_HOPS = CONFIG.trusted_proxy_hops
MONITORING = monitoring_from_config(CONFIG)  # thresholds, alert channels, metrics access
VIN_DECODER = CONFIG.vin_decoder
VIN_DECODER_URL = CONFIG.vin_decoder_url
VIN_DECODER_TIMEOUT = CONFIG.vin_decoder_timeout

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "corsheaders",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "forecourt.core",
    "forecourt.core.security",
    "forecourt.core.observability",
    "forecourt.core.backups",
    "forecourt.accounts",
    "forecourt.inventory",
    "forecourt.customers",
    "forecourt.leads",
    "forecourt.purchasing",
    "forecourt.deals",
    "forecourt.finance",
]

if CONFIG.env == "test":
    # A model with encrypted fields of its own, so the encryption tests need no domain app.
    INSTALLED_APPS.append("forecourt.core.security.tests.encryption_app")

MIDDLEWARE = [
    # First: the header baseline for answers the inner middleware never sees (static files,
    # the 400 bad-Host page); then every /api/ error in the API's shape (after the request id).
    "forecourt.core.security.headers.BaselineHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "forecourt.core.middleware.RequestIdMiddleware",
    "forecourt.core.api_errors.ApiErrorShapeMiddleware",
    "forecourt.core.observability.middleware.RequestLogMiddleware",
    "forecourt.core.security.headers.SecurityHeadersMiddleware",
    "forecourt.core.security.ratelimit.RateLimitMiddleware",  # also the 413 body-size check
    "corsheaders.middleware.CorsMiddleware",
    # Before anything reads a parameter: a NUL must never reach a query (422/400, named).
    "forecourt.core.security.control_chars.ControlCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "forecourt.core.security.middleware.SessionTimeoutMiddleware",
    "forecourt.core.security.middleware.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the 429 page
]

# The API-token lane (forecourt/core/lanes.py, docs/architecture.md "The request path"): an
# /api/ request with `Authorization: Bearer` and no Cookie header has no session, so it runs
# MIDDLEWARE without the browser-only entries below. It keeps, in the same order: security
# headers (SecurityMiddleware, SecurityHeaders, X-Frame-Options, CSP), request id, access
# log and metrics, rate limits, CORS, CommonMiddleware; token auth, permissions and rooftop
# scope run in the API itself. Any cookie, or no bearer token, means the full list.
BROWSER_ONLY_MIDDLEWARE = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, never under /api/
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",  # cookies only; ninja checks its own
        "django_otp.middleware.OTPMiddleware",
        "django.contrib.auth.middleware.LoginRequiredMiddleware",  # the API answers 401
        "django.contrib.messages.middleware.MessageMiddleware",
        "forecourt.core.security.middleware.SessionTimeoutMiddleware",
        "forecourt.core.security.middleware.MfaRequiredMiddleware",
        "axes.middleware.AxesMiddleware",  # sign-in lockouts
    }
)
API_TOKEN_MIDDLEWARE = [
    # No session to read the user from: anonymous until the API authenticates the token.
    "forecourt.core.lanes.AnonymousUntilTokenMiddleware"
    if name == "django.contrib.auth.middleware.AuthenticationMiddleware"
    else name
    for name in MIDDLEWARE
    if name not in BROWSER_ONLY_MIDDLEWARE
]

ROOT_URLCONF = "forecourt.urls"
WSGI_APPLICATION = "forecourt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forecourt.core.navigation.navigation",
                "forecourt.core.security.context.security",
            ],
        },
    }
]

# Database: PostgreSQL in production, SQLite (WAL) as the zero-setup default.
DATABASES = {"default": dj_database_url.parse(CONFIG.effective_database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE avoids upgrade deadlocks.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
else:
    # Django's backend, with a health check that polls the socket before sending SELECT 1
    # (forecourt/core/db/postgresql/base.py): no round trip per request when all is well.
    DATABASES["default"]["ENGINE"] = "forecourt.core.db.postgresql"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        # Parameters travel apart from the SQL, so the API's hot reads (compiled once,
        # forecourt/core/compiled.py) run as prepared statements: PostgreSQL skips parsing,
        # and planning where its plan cache picks the generic plan (the token lookup; the
        # list pages keep value-specific plans: docs/performance.md). Nothing else is prepared
        # (psycopg's automatic preparing stays off, as Django leaves it). Behind PgBouncer
        # this needs session pooling, or transaction pooling with max_prepared_statements
        # > 0 (PgBouncer 1.21+): docs/performance.md.
        "server_side_binding": CONFIG.db_server_side_binding,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if CONFIG.redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CONFIG.redis_url,
            "KEY_PREFIX": "forecourt",
        }
    }
else:
    # A plain per-process cache: nothing may rely on it for coordination between processes.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if CONFIG.env == "test":
    # Argon2id with the lowest cost, ahead of the real one (same algorithm name, so it
    # hashes and verifies): forecourt/core/security/testing.py.
    PASSWORD_HASHERS.insert(0, "forecourt.core.security.testing.CheapArgon2PasswordHasher")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "forecourt.core.security.passwords.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
    {"NAME": "forecourt.core.security.passwords.ContextSpecificWordsValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Authentication, MFA, lockout, sessions: forecourt/core/security (docs/authentication.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out sign-ins before the password
    "forecourt.accounts.backends.ForecourtModelBackend",
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # reset links: single use (Django's tokens), one hour
FORECOURT_MFA_DEMO_EXEMPT = CONFIG.mfa_demo_exempt_enabled  # development only
FORECOURT_DEMO_EMAIL_DOMAIN = "demo.forecourt.test"  # the demo accounts (accounts/demo.py)
OTP_TOTP_ISSUER = "Forecourt"
OTP_TOTP_THROTTLE_FACTOR = 1  # failed codes wait 1, 2, 4, 8... seconds (django-otp)
OTP_STATIC_THROTTLE_FACTOR = 1
# Passkeys (django-otp-webauthn) as a second factor only: the relying party is this site's
# public host, and only its own origin may answer a ceremony.
_PUBLIC_URL = urlsplit(CONFIG.public_base_url)
OTP_WEBAUTHN_RP_ID = _PUBLIC_URL.hostname or "localhost"
OTP_WEBAUTHN_RP_NAME = "Forecourt"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"{_PUBLIC_URL.scheme}://{_PUBLIC_URL.netloc}"]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # the password stays the first factor
if not CONFIG.is_production:
    # Browsers offer passkeys only on https or localhost; a plain-http development address
    # goes without them instead of stopping the app. In production the check stands.
    SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E031"]
AXES_FAILURE_LIMIT = 5  # per (account, client IP)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Refused attempts during a lock are not failures: the cool-off runs from the last real one.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "forecourt.core.net.client_ip"
AXES_USERNAME_CALLABLE = "forecourt.core.security.lockout.submitted_username"
AXES_HANDLER = "forecourt.core.security.lockout.ForecourtAxesHandler"
AXES_LOCKOUT_CALLABLE = "forecourt.core.security.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_DISABLE_ACCESS_LOG = True  # sessions (UserSession) and audit entries record sign-ins
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
FORECOURT_LOGIN_IP_FAILURE_LIMIT = CONFIG.login_ip_failure_limit
FORECOURT_LOGIN_ACCOUNT_THROTTLE_AFTER = CONFIG.login_account_throttle_after
FORECOURT_LOGIN_ACCOUNT_THROTTLE_MAX_SECONDS = CONFIG.login_account_throttle_max_seconds
FORECOURT_SESSION_IDLE_TIMEOUT_MINUTES = CONFIG.session_idle_timeout_minutes
MAILERS = mailers(
    CONFIG.email_url.get_secret_value() if CONFIG.email_url else None,
    redact_links=CONFIG.console_email_in_production,
)
DEFAULT_FROM_EMAIL = SERVER_EMAIL = CONFIG.email_from

SESSION_ENGINE = "forecourt.core.security.sessions"
SESSION_COOKIE_AGE = CONFIG.session_max_age_hours * 60 * 60  # the absolute limit
# __Host- cookies are only accepted over HTTPS, for this exact host, path /.
SESSION_COOKIE_NAME = "__Host-sessionid" if CONFIG.is_production else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CONFIG.is_production else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CONFIG.is_production
CSRF_COOKIE_SECURE = CONFIG.is_production
CSRF_TRUSTED_ORIGINS = CONFIG.allowed_origins

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if CONFIG.is_production:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading commits the dealer's whole domain to HTTPS in every browser for good: it is
    # their decision (submitting the domain), not a default; check --deploy stays quiet on it.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^health/"]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Rate limits (forecourt/core/security/ratelimit.py): tier -> rates, all shared by every process.
RATE_LIMITS_ENABLED = CONFIG.rate_limiting_enabled
RATE_LIMITS = {
    "global": [parse_rate(CONFIG.rate_limit_global)],
    "auth": [parse_rate(CONFIG.rate_limit_auth)],
    "api": [parse_rate(CONFIG.rate_limit_api), parse_rate(CONFIG.rate_limit_api_daily)],
    "expensive": [parse_rate(CONFIG.rate_limit_expensive)],
}
RATE_LIMIT_REDIS_URL = CONFIG.redis_url  # None: count in the database instead
RATE_LIMIT_KEY_PREFIX = "forecourt:rl"
# Routes whose unsafe requests count as authentication attempts (view names or paths, globs).
RATE_LIMIT_AUTH_ROUTES = [
    "accounts:login",
    "*password_reset*",
    "*password-reset*",
    "*mfa*",
    "*otp*",
    "*webauthn*",
    "*passkey*",
    "*two_factor*",
    "*reauth*",
    "*sudo*",
]

# Request size: bodies read into memory, and any request at all (uploads included).
DATA_UPLOAD_MAX_MEMORY_SIZE = CONFIG.max_request_body_bytes
FILE_UPLOAD_MAX_MEMORY_SIZE = CONFIG.max_request_body_bytes
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FORECOURT_MAX_UPLOAD_BYTES = CONFIG.max_upload_bytes
# Inventory photos and marketplace feeds (forecourt/inventory/media/).
FORECOURT_PHOTO_MAX_BYTES = CONFIG.photo_max_bytes
FORECOURT_PUBLIC_BASE_URL = CONFIG.public_base_url

# CORS: only the configured origins, only the API, never with cookies (tokens travel in headers).
CORS_ALLOWED_ORIGINS = CONFIG.allowed_origins
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = False

# Features no page of ours uses are switched off (WebAuthn passkeys need publickey-credentials).
PERMISSIONS_POLICY = {
    "accelerometer": "()",
    "camera": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
    "publickey-credentials-create": "(self)",
    "publickey-credentials-get": "(self)",
}

# Customer-field encryption (forecourt/core/security/encryption.py): current key first.
FIELD_ENCRYPTION_KEYS = CONFIG.effective_field_encryption_keys
FIELD_HASH_KEY = CONFIG.effective_field_hash_key

LANGUAGE_CODE = "en-us"
TIME_ZONE = CONFIG.time_zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if CONFIG.is_production
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not CONFIG.is_production
if not CONFIG.is_production:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic fills it in production

# Background work: Django's Tasks framework. The database backend needs nothing extra and
# is shared by every app process and worker; tests run tasks immediately, in-process.
TASKS = {
    "default": {
        "BACKEND": (
            # The same backends, carrying the request id into each task (observability).
            "forecourt.core.observability.tasking.TracedImmediateBackend"
            if CONFIG.env == "test"
            else "forecourt.core.observability.tasking.TracedDatabaseBackend"
        ),
        "QUEUES": ["default", "alerts", "maintenance"],
    }
}

LOGGING = logging_config(CONFIG.log_level, CONFIG.effective_log_format)

# The Django admin is not installed: every write goes through actions.py and our own UI.
NINJA_PAGINATION_PER_PAGE = 50
