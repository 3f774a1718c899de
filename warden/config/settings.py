"""Warden settings. Everything that differs between machines comes from the environment.

WARDEN_DATABASE_URL   database (default: SQLite file under ./var/)
WARDEN_SECRET_KEY     Django secret key (default: a development key, refused when WARDEN_PRODUCTION=1)
WARDEN_DATA_DIR       where uploads, keys and the SQLite file live (default: ./var)
WARDEN_AUDIT_KEY      path of the Ed25519 signing key for audit checkpoints
WARDEN_AUDIT_KEY_PEM  the same key given inline (PEM), e.g. from a secrets manager; wins over the path
WARDEN_AUDIT_KEYRING  file of public keys trusted for older checkpoints (after `warden audit rotate-key`)
WARDEN_AUDIT_CHECKPOINT_EVERY  verify checks the signature and root of a checkpoint every this many entries (default 1000)
WARDEN_AUDIT_WITNESS  file outside the database that every signed checkpoint is appended to (default:
                      $WARDEN_DATA_DIR/witness/audit-checkpoints.jsonl; in production, another machine's mount)
WARDEN_AUDIT_SEQUENCER  PostgreSQL: "commit" (default) or "background" (`warden audit sequencer` numbers entries)
WARDEN_DEBUG          1 to enable Django debug pages (refused when WARDEN_PRODUCTION=1)
WARDEN_PRODUCTION     1 for production: refuses the development or a short secret key and debug; TLS only
                      (SSL redirect, HSTS: WARDEN_SSL_REDIRECT, WARDEN_HSTS_SECONDS, WARDEN_HSTS_PRELOAD)
WARDEN_TRUSTED_PROXY  address(es) of the reverse proxy whose X-Forwarded-Proto / X-Forwarded-For are believed
WARDEN_EMAIL_BACKEND  Django mail backend (default: files under $WARDEN_DATA_DIR/mail; SMTP: see "Mail" below)
WARDEN_PASSWORD_RESET_SECONDS  how long a password reset link works (default 7200)
WARDEN_LOGIN_MAX_FAILURES / WARDEN_LOGIN_LOCKOUT_SECONDS  sign-in lock-out per account (default 5 in 900 s)
WARDEN_LOGIN_ADDRESS_MAX_FAILURES / WARDEN_LOGIN_ADDRESS_LOCKOUT_SECONDS  the same per address (30 in 900 s)
WARDEN_REQUIRE_2FA    1: authority staff sign in with a TOTP code (default: 1 in production, 0 otherwise)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent  # the warden package
DATA_DIR = Path(os.environ.get("WARDEN_DATA_DIR", Path.cwd() / "var")).resolve()
UPLOAD_DIR = DATA_DIR / "uploads"  # outside any web root; served only through a permission-checked view

PRODUCTION = os.environ.get("WARDEN_PRODUCTION") == "1"
DEBUG = os.environ.get("WARDEN_DEBUG") == "1"
_DEVELOPMENT_KEY = "warden-development-key-not-for-production"  # noqa: S105 (public; refused in production)
SECRET_KEY = os.environ.get("WARDEN_SECRET_KEY", "") or _DEVELOPMENT_KEY
if PRODUCTION:
    from warden.config.production import refuse_unsafe

    refuse_unsafe(secret_key=SECRET_KEY, development_key=_DEVELOPMENT_KEY, debug=DEBUG)

ALLOWED_HOSTS = [
    h for h in os.environ.get("WARDEN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("WARDEN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves Swagger UI's files from our static files: /api/docs works without internet access
    "warden.accounts",
    "warden.audit",
    "warden.legislation",
    "warden.screening",
    "warden.cases",
    "warden.licences",
    "warden.denials",
    "warden.catchall",
    "warden.inbox",
    "warden.enduse",
    "warden.ogl",
    "warden.region",
    "warden.reports",
    "warden.transparency",
    "warden.web",
    "warden.oversight",
    # TOTP second factor (warden.accounts.second_factor).
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    # An over-limit body is refused from its Content-Length, before anything reads it.
    "warden.web.upload_limits.RequestSizeLimitMiddleware",
    # Integers past 2^63 in the path or query string: 404/400 here, not OverflowError/DataError in a view.
    "warden.web.huge_ints.HugeIntegerGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the WSGI process, compressed and with far-future cache headers.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The Content-Security-Policy header on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Refusals (warden.lib.errors) and data that has run out (the bank-holiday calendar): a page, not a 500.
    "warden.web.errors.DataErrorMiddleware",
]

# Benchmarks only (bench/load.py): the production map plus a bare comparison page. Never set in production.
ROOT_URLCONF = "warden.config.bench_urls" if os.environ.get("WARDEN_BENCH") == "1" else "warden.config.urls"
WSGI_APPLICATION = "warden.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'warden.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("WARDEN_DATABASE_URL", _default_db),
        # Persistent connections: measured faster than reconnecting per request under gunicorn sync workers.
        conn_max_age=int(os.environ.get("WARDEN_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web server, a worker and the CLI share the file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # A password close to the username, name or e-mail is the first thing guessed (issue 14 §3).
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sessions and cookies: HttpOnly, SameSite, Secure when served over TLS in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_AGE = 8 * 3600
# Database sessions (Django's own backend): a logout or deactivation takes effect at once in every worker,
# unlike per-process cached sessions. The backend joins the user's team and organisation (warden.web.auth).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AUTHENTICATION_BACKENDS = ["warden.web.auth.WardenBackend"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Production is served over TLS only: redirect plain HTTP, and tell browsers (HSTS) never to try it again.
# `manage.py check --deploy` is clean with WARDEN_PRODUCTION=1 (warden/config/tests/test_production_settings.py).
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("WARDEN_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("WARDEN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("WARDEN_HSTS_PRELOAD", "1") == "1"
# The reverse proxy in front of Warden, by address (comma-separated). Only then are its X-Forwarded-Proto
# (is the request HTTPS?) and X-Forwarded-For (the client's address, for login throttling) believed: from
# anyone else those headers are whatever the client chose to send.
TRUSTED_PROXIES = frozenset(
    p.strip() for p in os.environ.get("WARDEN_TRUSTED_PROXY", "").split(",") if p.strip()
)
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Mail (password reset links, warden.accounts.passwords; notifications). By default each message is written as
# a file under $WARDEN_DATA_DIR/mail, so nothing leaves the machine until SMTP is configured:
# WARDEN_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with WARDEN_EMAIL_HOST, _PORT, _USER,
# _PASSWORD, _USE_TLS. WARDEN_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend prints them.
EMAIL_BACKEND = os.environ.get("WARDEN_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("WARDEN_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = os.environ.get("WARDEN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("WARDEN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("WARDEN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("WARDEN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("WARDEN_EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("WARDEN_EMAIL_FROM", "Warden <warden@localhost>")
# A password reset link works once, and for this long (Django's default is three days).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("WARDEN_PASSWORD_RESET_SECONDS", str(2 * 3600)))

# Two-step sign-in (warden.accounts.second_factor): authority staff must use a TOTP code. On by default in
# production, off otherwise so that tests and the demo sign in with a password alone (the demo says so).
REQUIRE_2FA = os.environ.get("WARDEN_REQUIRE_2FA", "1" if PRODUCTION else "0") == "1"
OTP_TOTP_ISSUER = "Warden"
# django-otp's own per-device back-off is off: codes go through Warden's atomic sign-in throttle instead
# (per account and per address), and the back-off would refuse a right code typed just after a wrong one.
OTP_TOTP_THROTTLE_FACTOR = 0

# Content-Security-Policy (django-csp, issue 14 §3): only Warden's own files run or style a page, so an
# injected <script> or style attribute does nothing. The UI has no inline script or style for that reason
# (warden/static/css and js); htmx's own indicator <style> is switched off in base.html and lives in
# warden.css. img-src allows data: for the inline QR codes; frame-ancestors 'none' as X-Frame-Options DENY.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# Login throttling (warden.accounts.throttle), counted separately: failures for one account from any address,
# and from one address for any account, each within its window (since the last failure) before lock-out. The
# address limit is higher: an office behind one address has many people who mistype.
LOGIN_MAX_FAILURES = int(os.environ.get("WARDEN_LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("WARDEN_LOGIN_LOCKOUT_SECONDS", "900"))
LOGIN_ADDRESS_MAX_FAILURES = int(os.environ.get("WARDEN_LOGIN_ADDRESS_MAX_FAILURES", "30"))
LOGIN_ADDRESS_LOCKOUT_SECONDS = int(os.environ.get("WARDEN_LOGIN_ADDRESS_LOCKOUT_SECONDS", "900"))

# Uploaded documents: PDF only, checked by content; size cap in bytes.
DOCUMENT_MAX_BYTES = int(os.environ.get("WARDEN_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = DOCUMENT_MAX_BYTES + 1024 * 1024
# The whole request body (warden.web.upload_limits): one document and its form, or a few legislation files.
REQUEST_MAX_BYTES = int(os.environ.get("WARDEN_REQUEST_MAX_BYTES", str(2 * DOCUMENT_MAX_BYTES + 1024 * 1024)))

# Audit checkpoint signing key (Ed25519, PEM or raw 32-byte seed). Never in the repository.
AUDIT_SIGNING_KEY_PATH = os.environ.get("WARDEN_AUDIT_KEY", str(DATA_DIR / "keys" / "audit-ed25519.pem"))
AUDIT_KEYRING_PATH = os.environ.get("WARDEN_AUDIT_KEYRING", str(DATA_DIR / "keys" / "audit-keyring.txt"))
AUDIT_CHECKPOINT_EVERY = int(os.environ.get("WARDEN_AUDIT_CHECKPOINT_EVERY", "1000"))
# Every checkpoint (one per commit that appends) is also appended here, outside the database (audit/witness.py).
AUDIT_WITNESS_PATH = os.environ.get(
    "WARDEN_AUDIT_WITNESS", str(DATA_DIR / "witness" / "audit-checkpoints.jsonl")
)
# PostgreSQL: "commit" numbers each audit entry inside its transaction's COMMIT; "background" leaves it to the
# `warden audit sequencer` process (`warden serve` starts one), for many concurrent writers. SQLite: ignored.
AUDIT_SEQUENCER = os.environ.get("WARDEN_AUDIT_SEQUENCER", "commit")
if AUDIT_SEQUENCER not in {"commit", "background"}:
    raise ImproperlyConfigured(
        f"WARDEN_AUDIT_SEQUENCER must be 'commit' or 'background', not {AUDIT_SEQUENCER!r}"
    )
AUDIT_LOG_ORIGIN = os.environ.get("WARDEN_AUDIT_ORIGIN", "warden.example/audit")

# Screening configuration: see README "Screening thresholds" for measured precision/recall per setting.
SCREENING_THRESHOLD = float(os.environ.get("WARDEN_SCREENING_THRESHOLD", "0.70"))
SCREENING_CERTAINTY = float(os.environ.get("WARDEN_SCREENING_CERTAINTY", "0.90"))
# Open matches at or above this score must be reviewed before a case is decided (warden.screening.gate).
SCREENING_REVIEW_THRESHOLD = float(
    os.environ.get("WARDEN_SCREENING_REVIEW_THRESHOLD", str(SCREENING_THRESHOLD))
)
# Matcher weights (warden.screening.matcher.score.Weights field names), e.g. '{"conflict": 2.5, "extra": 0.2}'.
SCREENING_WEIGHTS = json.loads(os.environ.get("WARDEN_SCREENING_WEIGHTS", "{}"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if os.environ.get("WARDEN_TASKS_IMMEDIATE") == "1":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WARDEN_LOG_LEVEL", "WARNING")},
}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION or os.environ.get("WARDEN_SERVE_STATIC") == "1"
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Source maps (Ninja's Swagger/ReDoc bundles carry 6 MB of them) are for developers' tools: compressing them
# made collectstatic, run by every `warden serve` and `warden demo`, take about 50-64 s instead of about 15 s.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf", "flv"),
    *("woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv"),
    "map",
]

# The public side (warden.transparency): the address printed on licence PDFs for verification, and the
# redaction policy of the public dashboard (warden.transparency.redaction reads these, tests pin them).
PUBLIC_BASE_URL = os.environ.get("WARDEN_PUBLIC_BASE_URL", "http://localhost:8000")
# A published count below this is suppressed, with complementary cells, so it cannot be recovered from a total.
TRANSPARENCY_SUPPRESS_BELOW = int(os.environ.get("WARDEN_TRANSPARENCY_SUPPRESS_BELOW", "3"))
# ISO codes of the destinations shown by name ("*": every destination); the others count under
# "Other destinations (not itemised)" and never in their region's row.
TRANSPARENCY_DESTINATIONS = [
    c.strip().upper() for c in os.environ.get("WARDEN_TRANSPARENCY_DESTINATIONS", "*").split(",") if c.strip()
]
# The appeal route a refusal letter states (warden.transparency.refusal_letter); the deadline is
# warden.cases.transitions.APPEAL_WINDOW_DAYS after the decision. Illustrative wording: set the real law's.
REFUSAL_APPEAL_ROUTE = os.environ.get(
    "WARDEN_REFUSAL_APPEAL_ROUTE",
    "You may appeal against this refusal once, in writing, stating your grounds: from this application's page "
    "in Warden (Appeal) or by letter to the licensing authority. The appeal is reviewed by officers who took "
    "no part in this decision.",
)
REFUSAL_APPEAL_CITATION = os.environ.get(
    "WARDEN_REFUSAL_APPEAL_CITATION",
    "National export control regulations, appeals procedure (illustrative; set WARDEN_REFUSAL_APPEAL_CITATION)",
)
