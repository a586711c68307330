"""Settings shared by every mode. Values come from environment variables (django-environ)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("JIGAI_SECRET_KEY", default="")
DEBUG = env.bool("JIGAI_DEBUG", default=False)
ALLOWED_HOSTS = env.list("JIGAI_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("JIGAI_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "ninja",
    "jigai.web",
    "jigai.audit",
    "jigai.regions",
    "jigai.workdays",
    "jigai.accounts",
    "jigai.registry",
    "jigai.funding",
    "jigai.notifications",
    "jigai.supervision",
    "jigai.financing",
    "jigai.land",
    "jigai.monitoring",
    "django_tasks",
    "django_tasks_db",
    "jigai.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jigai.accounts.middleware.SessionTimeoutMiddleware",
    "jigai.accounts.middleware.SecondFactorMiddleware",
    "jigai.accounts.middleware.PasswordPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "jigai.web.ratelimit.UploadRateLimitMiddleware",
    "jigai.financing.gate.BankPortalMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jigai.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL (postgres://…) switches to PostgreSQL in any mode.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'var' / 'jigai.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL + a busy timeout keep the embedded database usable by a multi-worker server.
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # Persistent connections (issue 8: +56% throughput in the deadline rush); each is checked before reuse,
    # so a restarted database server costs one failed check, not a failed request.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("JIGAI_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "jigai.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jigai.accounts.validators.CharacterClassesValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# 等保三级: lockout 30 minutes after 5 failures; idle timeout 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
# Failures are forgotten when a sign-in completes: at the password for most accounts, at the code for those
# with a second factor (jigai.accounts.signals / views.otp_verify) — axes' own reset would run at the
# password and let a known password wipe the count of wrong codes.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_CALLABLE = "jigai.accounts.views.lockout"
# The second factor (issue 12): the name the authenticator app shows (TOTP codes of 30 s, one step of clock
# difference either way: django-otp's defaults). Wrong codes count towards the lockout above, and django-otp
# slows repeated failures down on top of it.
OTP_TOTP_ISSUER = "技改通"
SESSION_COOKIE_AGE = 30 * 60
# Saved only when changed: the idle stamp is written at most once a minute (jigai/accounts/sessions.py,
# JIGAI_SESSION_TOUCH_SECONDS), and each save renews the cookie's max-age and the row's expiry with it.
SESSION_SAVE_EVERY_REQUEST = False
JIGAI_SESSION_TOUCH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True

# Caches and sessions shared by every web process and machine (issue 12, README 扩展与部署): the cache holds
# the upload/import rate counts and the workday calendar's version, which must be the same in every process.
# REDIS_URL (redis://127.0.0.1:6379/0) → Django's Redis cache (needs the `redis` package) and sessions read
# from it, written through to the database (cached_db: a Redis restart signs nobody out). Without Redis,
# JIGAI_CACHE_TABLE names a database cache table (`manage.py createcachetable` creates it); with neither,
# each process keeps its own memory cache (one process, or development).
REDIS_URL = env("REDIS_URL", default="")
JIGAI_CACHE_TABLE = env("JIGAI_CACHE_TABLE", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jigai",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif JIGAI_CACHE_TABLE:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": JIGAI_CACHE_TABLE,
        }
    }

LANGUAGE_CODE = "zh-hans"
# Only Chinese: LocaleMiddleware must not switch Django's own messages to a browser's English.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Third-party front-end assets come from node_modules (installed by `make install`), never from a CDN.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = False
MEDIA_ROOT = env.path("JIGAI_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# The calculator API (POST /api/v1/policy/evaluate) alone takes more: 100,000 cases are 31.6 MB as compact
# JSON and 53 MB indented (measured with bench/bench_policy.py's generator); past this a clear 413.
JIGAI_POLICY_API_MAX_BYTES = env.int("JIGAI_POLICY_API_MAX_BYTES", default=64 * 1024 * 1024)

# Background tasks (django-tasks with its database backend): imports, large exports, calculator batches and
# mail. `manage.py db_worker` (started by `make run` beside gunicorn) runs them; any number of workers may
# run on PostgreSQL, one is enough on the embedded SQLite.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Rows per sheet of an export (Excel's limit, header included); past it an export continues on 名称 续1, 续2…
JIGAI_EXPORT_SHEET_ROWS = 1_048_576
# Exports of more rows than this run as a background job; smaller ones are answered directly.
JIGAI_EXPORT_DIRECT_ROWS = env.int("JIGAI_EXPORT_DIRECT_ROWS", default=5000)

EMAIL_BACKEND = env("JIGAI_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("JIGAI_FROM_EMAIL", default="jigai@localhost")

# Content Security Policy: everything from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # No 'unsafe-eval' / 'unsafe-inline' (等保三级, issue 12): htmx runs with allowEval off (meta
        # htmx-config in base.html), styles live in static CSS, scripts in static JS. Even the API docs
        # (ninja's Swagger UI: settings in a JSON block, init in a static file) need no exception.
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("JIGAI_LOG_LEVEL", default="WARNING")},
}

# Lockout is per account (等保: lock the account after 5 failures), so axes' per-IP advice does not apply.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
