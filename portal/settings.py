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
    "allauth.mfa",
    "csp",
    "import_export",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First, so that every later line of the security log carries the request's id.
    "portal.security_log.RequestIdMiddleware",
    # Visitors' reads from the replica, when there is one (portal/dbrouter.py).
    *(["portal.dbrouter.ReplicaMiddleware"] if env_str("DATABASE_REPLICA_URL", "") else []),
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body: an over-long upload is refused unread (413).
    "portal.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.DropNulFromQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Per-account upload limit, before any view decodes a photo.
    "portal.middleware.UploadRateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff sessions: 30 minutes idle, 12 hours at most; then MFA before any page with
    # personal data (portal/signin/).
    "portal.signin.sessions.SessionRulesMiddleware",
    "portal.signin.mfa.StaffMfaMiddleware",
    # `Cache-Control: no-store` on signed-in pages and on every page of personal data.
    "portal.middleware.NoStoreForPersonalDataMiddleware",
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
    # DATABASE_POOL_MIN connections are opened when a worker starts: set it to gunicorn's
    # --threads in production. A pool that has to grow under a burst opens one connection at
    # a time while every thread waits in one queue, /healthz too (measured with
    # scripts/upload_load.py: /healthz 618 ms with 1, 125 ms with 8).
    min_size, max_size = env_int("DATABASE_POOL_MIN", 1), env_int("DATABASE_POOL_MAX", 10)
    if not 0 <= min_size <= max_size:
        raise ImproperlyConfigured(
            f"DATABASE_POOL_MIN must be between 0 and DATABASE_POOL_MAX ({max_size}), "
            f"not {min_size}."
        )
    # psycopg 3's pool, managed by Django (one pool per gunicorn worker).
    database["OPTIONS"] = {
        "pool": {
            "min_size": min_size,
            "max_size": max_size,
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
# A streaming replica for visitors' reads (portal/dbrouter.py, docs/scaling.md): only when
# DATABASE_REPLICA_URL is set. Tests read it as the primary (MIRROR).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **database_settings(DATABASE_REPLICA_URL),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["portal.dbrouter.ReplicaRouter"]

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
# sign in by username. A mobile number is verified by a code sent by SMS (the messaging
# system's gateway; in development its outbox and the console) before it means anything.
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "portal.forms.LoginForm",
    "signup": "portal.forms.SignupForm",
    "reset_password": "portal.forms.ResetPasswordForm",
    "verify_phone": "portal.forms.VerifyPhoneForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
# "optional" because phone-only residents and username-only staff have no email to verify;
# wherever an email is what a sign-in rests on, verification is mandatory all the same
# (portal/signin/stages.py), and an unverified address is sent nothing but its link.
ACCOUNT_EMAIL_VERIFICATION = "optional"
# Sign-up and password reset answer the same whether a phone or an email has an account;
# the owner of a taken number or address is told by SMS or email instead.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
# login_failed: per client address (as the one trusted proxy hop reports it) and per
# account: the "key" is the account whichever of its names or phone spellings was typed,
# else the normalised phone or email (portal.adapters.throttle_key).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "verify_phone": "3/m/ip,5/15m/key",
}
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Residents who tick "remember me" stay signed in 30 days; staff sessions end after 30
# minutes idle or 12 hours (portal/signin/sessions.py).
SESSION_COOKIE_AGE = 30 * 24 * 3600
STAFF_SESSION_IDLE_SECONDS = 30 * 60
STAFF_SESSION_ABSOLUTE_SECONDS = 12 * 3600
# The client address for per-IP limits and the security log: behind the one TLS proxy
# (deploy/nginx.conf sets X-Forwarded-For to $remote_addr), the last X-Forwarded-For entry;
# without a proxy, the connecting address. Never more than one hop is trusted.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if env_bool("BEHIND_PROXY", False) else 0

# MFA (allauth.mfa): TOTP with recovery codes, WebAuthn security keys and passkeys where the
# browser has them. Required for staff before any page with personal data.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "睦邻社区云"
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# The demo's staff accounts share this authenticator secret (seed_demo, README, make run).
DEMO_TOTP_SECRET = env_str("DEMO_TOTP_SECRET", "MULINSHEQUYUNDEMOSTAFFTOTP234567")

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
# Retention (portal/retention.py, `manage.py purge_expired`, docs/privacy.md). The access
# log is kept at least six months (网络安全法 art. 21: network logs ≥ 6 months); a shorter
# setting fails at start rather than purging records the law requires.
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 365)
if ACCESS_LOG_RETENTION_DAYS < 183:
    raise ImproperlyConfigured("ACCESS_LOG_RETENTION_DAYS must be at least 183 (six months)")
NEED_PHOTO_RETENTION_DAYS = env_int("NEED_PHOTO_RETENTION_DAYS", 2 * 365)
NOTICE_READ_RETENTION_DAYS = env_int("NOTICE_READ_RETENTION_DAYS", 365)

# The largest request body the portal reads (portal.middleware.RequestBodyLimitMiddleware):
# a notice with 9 photos of 5 MB and its PDFs; deploy/nginx.conf's client_max_body_size
# should say the same.
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_MB", 64) * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "睦邻社区云 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Messages (portal/messaging). Delivery runs in the task queue on the one database: Django's
# Tasks API through the django-tasks backport and django-tasks-db's DatabaseBackend (on
# Django 6 only the import changes). The worker: `manage.py db_worker` (`make run` starts it).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Gateways: SMS_BACKEND = outbox (nothing leaves the machine; the log shows it) or aliyun
# (Alibaba Cloud SMS); WECHAT_BACKEND = outbox, official_account, or off; email goes through
# EMAIL_BACKEND above. Credentials only from the environment.
_SMS_BACKENDS = {
    "outbox": {"BACKEND": "portal.messaging.gateways.OutboxSMSBackend"},
    "aliyun": {
        "BACKEND": "portal.messaging.gateways.AliyunSMSBackend",
        "OPTIONS": {
            "access_key_id": os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", ""),
            "access_key_secret": os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", ""),
            "sign_name": os.environ.get("ALIYUN_SMS_SIGN_NAME", ""),
            "template_code": os.environ.get("ALIYUN_SMS_TEMPLATE_CODE", ""),
            "template_param": env_str("ALIYUN_SMS_TEMPLATE_PARAM", "content"),
            "endpoint": env_str("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"),
        },
    },
    "off": None,
}
_WECHAT_BACKENDS = {
    "outbox": {"BACKEND": "portal.messaging.gateways.OutboxWeChatBackend"},
    "official_account": {
        "BACKEND": "portal.messaging.gateways.OfficialAccountBackend",
        "OPTIONS": {
            "app_id": os.environ.get("WECHAT_MP_APP_ID", ""),
            "app_secret": os.environ.get("WECHAT_MP_APP_SECRET", ""),
            "template_id": os.environ.get("WECHAT_MP_TEMPLATE_ID", ""),
            "api_base": env_str("WECHAT_API_BASE", "https://api.weixin.qq.com"),
        },
    },
    "off": None,
}
_sms_backend = env_str("SMS_BACKEND", "outbox")
_wechat_backend = env_str("WECHAT_BACKEND", "outbox" if DEBUG else "off")
if _sms_backend not in _SMS_BACKENDS or _wechat_backend not in _WECHAT_BACKENDS:
    raise ImproperlyConfigured(
        "SMS_BACKEND must be outbox, aliyun or off; WECHAT_BACKEND outbox, official_account or off."
    )
MESSAGING = {
    "GATEWAYS": {
        "sms": _SMS_BACKENDS[_sms_backend],
        "wechat": _WECHAT_BACKENDS[_wechat_backend],
        "email": {"BACKEND": "portal.messaging.gateways.DjangoEmailBackend"},
    },
    # No non-urgent SMS between these local times (Asia/Shanghai): held, sent at the end.
    "QUIET_HOURS": (env_str("SMS_QUIET_START", "21:30"), env_str("SMS_QUIET_END", "08:00")),
    "RECIPIENT_PER_HOUR": env_int("MESSAGES_PER_PERSON_PER_HOUR", 10),
    "KIND_PER_DAY": env_int("MESSAGES_PER_KIND_PER_DAY", 5),
}

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
        # Security events: one JSON line each (portal/security_log.py).
        "portal.security": {"level": "INFO"},
    },
}

# Portal settings.
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo12345")
HOUSEHOLDS_PER_PAGE = 25
# Visitors' public pages (home, notices, activities, topics, centres) are served from the
# cache for this many seconds; any change to what they show makes them stale at once
# (portal/pagecache.py). 0 turns it off.
VISITOR_PAGE_SECONDS = env_int("VISITOR_PAGE_SECONDS", 30)
# The dashboards' figures (portal/dashboard/) are computed at most this often (seconds);
# at district scale one computation takes seconds. 0: every time.
DASHBOARD_FIGURES_SECONDS = env_int("DASHBOARD_FIGURES_SECONDS", 600)
