"""Newsroom's one settings file.

Everything that differs between a laptop and a production server is read from the environment.
The defaults are safe for local use; with DEBUG off, a missing secret key stops the site at start.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Runtime data — the SQLite database and uploaded media — lives in one ignored folder.
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "django_prose_editor",
    "articles",
]

MIDDLEWARE = [
    # First, so a reader's cached page skips everything below it (see articles/caching.py).
    "articles.caching.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

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
                "articles.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# SQLite is configured for a real site: WAL lets readers go on while an editor writes, the busy
# timeout waits for a lock instead of failing, and IMMEDIATE transactions take the write lock up
# front so two writers queue instead of deadlocking into "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,  # seconds: SQLite's busy timeout
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh clone has no var/ yet
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "newsroom.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
            # Opening a connection costs more than most pages: each worker keeps its own.
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
        }
    }

# Caches. Readers' pages are kept in "pages"; "default" holds what every app server must agree
# on, such as the content version that makes a change visible on the next request. On one
# machine the pages live in each worker's memory and the shared state in files under var/; with
# REDIS_URL set, both live in Redis, shared by every app server.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = Path(os.environ.get("NEWSROOM_CACHE_DIR", VAR_DIR / "cache"))
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"newsroom-{alias}",
        }
        for alias in ("default", "pages")
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": CACHE_DIR,
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom-pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }
CACHES["pages"]["TIMEOUT"] = 24 * 60 * 60  # old versions of a page fall out within a day

# Readers' pages are served from the cache unless this is off (the benchmark turns it off to
# measure the pages themselves). Browsers ask again each time (a 304 when nothing changed); a CDN
# in front may keep a page this many seconds.
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", True)
NEWSROOM_CDN_MAX_AGE = int(os.environ.get("NEWSROOM_CDN_MAX_AGE", 60))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("NEWSROOM_LANGUAGE_CODE", "en-gb")
TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("NEWSROOM_MEDIA_ROOT", VAR_DIR / "media"))
# The site serves uploaded pictures itself unless a web server or a CDN in front does.
NEWSROOM_SERVE_MEDIA = env_bool("NEWSROOM_SERVE_MEDIA", True)

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

# Uploads: an editor's photo may be large, but not unbounded.
NEWSROOM_MAX_IMAGE_BYTES = int(os.environ.get("NEWSROOM_MAX_IMAGE_BYTES", 25 * 1024 * 1024))
NEWSROOM_MAX_IMAGE_PIXELS = int(os.environ.get("NEWSROOM_MAX_IMAGE_PIXELS", 40_000_000))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "The Harbour City Courier")
NEWSROOM_SITE_DESCRIPTION = os.environ.get(
    "NEWSROOM_SITE_DESCRIPTION", "Local news from Harbour City, told with its sources."
)
# The newsroom as machines see it: its logo (a static file, square) and its public policies.
NEWSROOM_LOGO = "img/logo.png"
NEWSROOM_LOGO_SIZE = 512
NEWSROOM_CORRECTIONS_POLICY_URL = os.environ.get("NEWSROOM_CORRECTIONS_POLICY_URL", "")
NEWSROOM_ETHICS_POLICY_URL = os.environ.get("NEWSROOM_ETHICS_POLICY_URL", "")
NEWSROOM_OWNERSHIP_URL = os.environ.get("NEWSROOM_OWNERSHIP_URL", "")
NEWSROOM_ARTICLES_PER_PAGE = 12
NEWSROOM_FEED_LENGTH = 20
NEWSROOM_SHARE_LINK_HOURS = int(os.environ.get("NEWSROOM_SHARE_LINK_HOURS", 48))

TAGGIT_CASE_INSENSITIVE = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
