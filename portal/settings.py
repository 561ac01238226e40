"""Settings for 睦邻社区云, read from the environment (see .env.example).

Every variable goes through one of the small strict helpers below: a value that
cannot be parsed stops the process at start-up instead of being half-understood.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=None):
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A development key is allowed only with DEBUG on; production must set its own.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The portal's public address: printed posters' QR codes and emails link to it, so a
# production deployment must say what it is.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else None)

INSTALLED_APPS = [
    "portal",
    "neighborhoods",
    "volunteers",
    "notices",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "csp",
    "import_export",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.DropNulFromQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Writes the personal-data access record once the response is known to show the page.
    "portal.audit.AccessLogMiddleware",
    # Last, so that its process_exception is the first to see a view's exception.
    "portal.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "neighborhoods.context_processors.watch_job",
            ],
        },
    },
]


def database_settings(url):
    """DATABASES["default"] for `url`, with the pool settings of the environment.

    Connections are checked before a request uses them, so that the first requests after
    PostgreSQL restarts do not fail on connections it closed. CONN_HEALTH_CHECKS says so to
    both cases: with the pool, Django hands psycopg's pool ConnectionPool.check_connection as
    its `check`, and the pool replaces a dead connection before giving it out; without it,
    Django checks a persistent connection (CONN_MAX_AGE) before reusing it.

    The pool's timeout is short: during an outage a request waits that long for a connection
    and is then answered 503 (portal.middleware), instead of hanging.
    """
    database = dj_database_url.parse(url)
    if database["ENGINE"] != "django.db.backends.postgresql":
        return database
    database["CONN_HEALTH_CHECKS"] = True
    if not env_bool("DATABASE_POOL", True):
        return database
    timeout = env_int("DATABASE_POOL_TIMEOUT", 2)
    if timeout < 1:
        raise ImproperlyConfigured(f"DATABASE_POOL_TIMEOUT must be at least 1, not {timeout}.")
    # psycopg 3's pool, managed by Django (one pool per gunicorn worker).
    database["OPTIONS"] = {
        "pool": {
            "min_size": 1,
            "max_size": env_int("DATABASE_POOL_MAX", 10),
            "timeout": timeout,
            # After failing to connect the pool retries with a growing delay (1, 2, 4… s, for
            # up to 5 minutes by default), so after a long outage it could sleep for tens of
            # seconds past the database's return. Giving up after `timeout` lets the next
            # request start a fresh attempt at once.
            "reconnect_timeout": timeout,
        }
    }
    database["CONN_MAX_AGE"] = 0
    return database


# Database: PostgreSQL is the database of record. Without DATABASE_URL a newcomer
# gets a SQLite file under var/ so that `make run` works with nothing configured.
DATABASES = {
    "default": database_settings(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every gunicorn worker (allauth's rate limits depend on it):
# the database by default, Redis when CACHE_URL says so.
CACHE_URL = env_str("CACHE_URL", "db://portal_cache")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL.startswith("db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_URL.removeprefix("db://") or "portal_cache",
        }
    }
elif CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured("CACHE_URL must start with redis://, rediss://, db:// or locmem://")

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# django-allauth: residents sign up with a mainland mobile number or an email
# (the signup form insists on one of the two); staff accounts made by admins
# sign in by username. No SMS gateway is configured, so phone numbers are not
# verified by code; a deployment with one turns verification on.
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "portal.forms.LoginForm",
    "signup": "portal.forms.SignupForm",
    "reset_password": "portal.forms.ResetPasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
ACCOUNT_PHONE_VERIFICATION_ENABLED = env_bool("PHONE_VERIFICATION", False)
ACCOUNT_EMAIL_VERIFICATION = "optional"
# Enumeration prevention sends "you already have an account" by SMS, which needs the
# gateway; without it a person signing up twice would wait for a code that never comes,
# so the form says plainly that the number is taken.
ACCOUNT_PREVENT_ENUMERATION = ACCOUNT_PHONE_VERIFICATION_ENABLED
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# WeChat sign-in (many elderly residents only use WeChat), offered where a deployment
# registers a WeChat Open Platform app and sets its id and secret.
SOCIALACCOUNT_PROVIDERS = {}
if os.environ.get("WEIXIN_APP_ID"):
    INSTALLED_APPS.append("allauth.socialaccount.providers.weixin")
    SOCIALACCOUNT_PROVIDERS["weixin"] = {
        "APP": {"client_id": env_str("WEIXIN_APP_ID"), "secret": env_str("WEIXIN_APP_SECRET")},
        "SCOPE": ["snsapi_login"],
    }
# The signup form requires a phone or an email itself, which allauth's static
# check (one login method must be a required signup field) cannot see.
SILENCED_SYSTEM_CHECKS = ["account.W001"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
FORMAT_MODULE_PATH = ["portal.formats"]
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Private files (photos of people's homes sent with a need) live outside MEDIA_ROOT, so no
# web server configuration can publish them; the portal serves them through checked views.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        # A FileSystemStorage that lets a failed post take back the files it saved.
        "BACKEND": "portal.files.PrivateStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "睦邻社区云 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER via
# BEHIND_PROXY=true. These pass `manage.py check --deploy` with DEBUG off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF],
        "script-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if "weixin" in SOCIALACCOUNT_PROVIDERS:
    # The sign-in form posts to us and we redirect to WeChat; browsers check that
    # redirect against form-action.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append("https://open.weixin.qq.com")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The pool logs every connection it hands out at INFO; its warnings (a failed
        # reconnection attempt) are the ones worth keeping.
        "psycopg.pool": {"level": "WARNING"},
    },
}

# Portal settings.
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo12345")
HOUSEHOLDS_PER_PAGE = 25
