"""Django settings, read from environment variables.

Every variable is documented in docs/configuration.md; a test fails when one
is read here but missing there. Defaults run the product on SQLite under
``var/`` with no other service; ``DATABASE_URL`` switches to PostgreSQL and
``REDIS_URL`` adds a shared cache.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from watwerkt.lib.env import SettingError, env_bool, env_choice, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("WATWERKT_VAR_DIR", "var")).resolve()

DEBUG = env_bool("WATWERKT_DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/."""
    key = env_str("SECRET_KEY", "")
    if key:
        if len(key) < 32:
            raise SettingError("SECRET_KEY: must be at least 32 characters long")
        return key
    path = VAR_DIR / "secret.key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "watwerkt.catalogue",
    "watwerkt.status",
    "watwerkt.audit",
    "watwerkt.accounts",
    "watwerkt.incidents",
    "watwerkt.history",
    "watwerkt.authoring",
    "watwerkt.search",
    "watwerkt.public",
    "watwerkt.console",
    "watwerkt.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Outside LocaleMiddleware: machine outputs do not vary on Accept-Language.
    "watwerkt.public.pages.SameInEveryLanguage",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "watwerkt.urls"
WSGI_APPLICATION = "watwerkt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL", "")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'watwerkt.sqlite3'}"
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as exc:
        raise SettingError(f"DATABASE_URL: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # mode=rw: a missing file is an error, never a new empty database that
        # would serve an empty site (`watwerkt migrate` creates it: ops/database.py).
        if config["NAME"] and config["NAME"] != ":memory:":
            config["NAME"] = f"file:{Path(str(config['NAME'])).resolve()}?mode=rw"
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the
        # write lock at the start of a transaction, so two writers queue
        # instead of failing with "database is locked" half-way through.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise SettingError(
            f"DATABASE_URL: {config['ENGINE']} is not supported; use sqlite:/// or postgres://"
        )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "watwerkt",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The public page cache (watwerkt.webcache, docs/performance.md): pages kept per
# revision, language and variant, answered before the middleware runs.
PAGE_CACHE_MB = env_int("WATWERKT_PAGE_CACHE_MB", 64, minimum=0)
# The last copy of every public page, on disk under VAR_DIR/pages/, answered
# when a render fails (the database is down): webcache/copies.py. 0: none.
OUTAGE_COPIES_MB = env_int("WATWERKT_OUTAGE_COPIES_MB", 256, minimum=0)
REVISION_CHECK_MS = env_int("WATWERKT_REVISION_CHECK_MS", 500, minimum=0)
if REVISION_CHECK_MS > 1000:
    raise SettingError(
        f"WATWERKT_REVISION_CHECK_MS={REVISION_CHECK_MS}: must be at most 1000, "
        "or a change could take longer than a second to show"
    )
PUBLIC_MAX_AGE = env_int("WATWERKT_CACHE_MAX_AGE", 1, minimum=0)
PUBLIC_STALE_WHILE_REVALIDATE = env_int("WATWERKT_CACHE_STALE_WHILE_REVALIDATE", 10, minimum=0)
PUBLIC_STALE_IF_ERROR = env_int("WATWERKT_CACHE_STALE_IF_ERROR", 86400, minimum=0)
if REDIS_URL:
    # A Redis that stops answering must not hold requests: give up after half a
    # second (the page cache then renders in-process).
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}  # type: ignore[assignment]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("WATWERKT_TIME_ZONE", "Europe/Brussels")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even before collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

# Security headers. Cookies are Secure unless explicitly turned off for a
# plain-HTTP development setup; HSTS is off until a deployment says it serves
# only HTTPS (docs/deployment.md).
SECURE_COOKIES = env_bool("WATWERKT_SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("WATWERKT_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("WATWERKT_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("WATWERKT_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Accounts and the console (docs/console.md). Roles per organisation decide
# what a person may do (watwerkt.accounts.permissions); Django's staff and
# superuser flags grant nothing.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out sign-in before the password
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "watwerkt.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:home"
CSRF_FAILURE_VIEW = "watwerkt.console.access.login.csrf_failure"
# A session ends after this long without a console request: the console
# checks on every request. The stored session lives an hour longer, so the
# console can tell the person why they must sign in again.
CONSOLE_IDLE_MINUTES = env_int("WATWERKT_CONSOLE_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = (CONSOLE_IDLE_MINUTES + 60) * 60
OTP_TOTP_ISSUER = env_str("WATWERKT_TOTP_ISSUER", "watwerkt")  # the name in authenticator apps

# Login lockout (django-axes): after N failed sign-ins (wrong passwords or
# wrong codes) of one user name from one address, that pair is locked out
# for the cool-off time. Trying again during it does not extend it.
AXES_FAILURE_LIMIT = env_int("WATWERKT_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("WATWERKT_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
_LOCKOUT_BY: dict[str, list[str | list[str]]] = {
    "user-and-address": [["username", "ip_address"]],
    "user": ["username"],
    "address": ["ip_address"],
    "user-or-address": ["username", "ip_address"],
}
AXES_LOCKOUT_PARAMETERS = _LOCKOUT_BY[
    env_choice("WATWERKT_LOGIN_LOCKOUT_BY", "user-and-address", list(_LOCKOUT_BY))
]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "watwerkt.console.access.login.locked_out"
AXES_CLIENT_IP_CALLABLE = "watwerkt.accounts.throttle.client_ip"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "token", "csrfmiddlewaretoken"]
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False  # no start-up banner on every command; failures are still logged
