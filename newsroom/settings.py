"""Newsroom's one settings file.

Everything that differs between a laptop and a production server is read from the environment.
The defaults are safe for local use; with DEBUG off, a missing secret key stops the site at start.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# The folder above this package: the source tree, which holds manage.py and the site's own
# templates/ and static/ — or, once the package is installed from a wheel, site-packages.
BASE_DIR = Path(__file__).resolve().parent.parent
# A wheel carries templates/ and static/ inside the package, in newsroom/site_files/ (setup.py),
# since nothing of the site may live beside it in site-packages. Where that folder is, the site
# runs installed; in the source tree it is not there, and the files are at the top.
INSTALLED_FILES_DIR = Path(__file__).resolve().parent / "site_files"
INSTALLED = INSTALLED_FILES_DIR.is_dir()
SITE_FILES_DIR = INSTALLED_FILES_DIR if INSTALLED else BASE_DIR


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
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # nosec B105 # DEBUG only

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Runtime data — the SQLite database and uploaded media — lives in one folder: the source tree's
# ignored var/, or, installed, var/ in the folder the site is run from — never site-packages.
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", (Path.cwd() if INSTALLED else BASE_DIR) / "var"))

INSTALLED_APPS = [
    "newsroom.admin_site.NewsroomAdminConfig",
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
    "csp",
    "axes",
    # Django's Tasks framework (backported): e-mail and other work done after a request.
    "django_tasks",
    "django_tasks_db",
    "articles",
    # The site's own operations; after django.contrib.auth, whose user admin it extends.
    "newsroom.apps.NewsroomConfig",
]

MIDDLEWARE = [
    # First, so a reader's cached page skips everything below it (see newsroom/page_cache.py).
    "newsroom.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry these headers as well as pages do.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "newsroom.sessions.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the page that says so.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_FILES_DIR / "templates"],
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
    # Each worker keeps its connection for ten minutes, checked before reuse after an error or
    # a restart of the database server.
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", 600)),
            conn_health_checks=True,
        )
    }
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


def redis_caches(url):
    """Both caches in one Redis, each under its own prefix."""
    return {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"newsroom-{alias}",
        }
        for alias in ("default", "pages")
    }


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
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
# What this release of the code is called (a version or commit). Pages cached by another release
# are not served; without a name, each start of the site counts as a new release.
NEWSROOM_RELEASE = os.environ.get("NEWSROOM_RELEASE", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes counts failed logins and refuses a locked-out one before the password is tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Staff log in through the admin's login page and land in the admin. (Django's defaults,
# /accounts/login/ and /accounts/profile/, are pages this site does not have.) Logging out shows
# the admin's own "Logged out" page.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# A staff session ends after NEWSROOM_SESSION_HOURS without a request — a working day — rather
# than Django's two weeks; each request moves the end on (newsroom/sessions.py). Readers have no
# session. A session can also be ended on every device at once, from the admin.
NEWSROOM_SESSION_HOURS = int(os.environ.get("NEWSROOM_SESSION_HOURS", 10))
if NEWSROOM_SESSION_HOURS < 1:
    raise ImproperlyConfigured("NEWSROOM_SESSION_HOURS must be at least 1.")
SESSION_COOKIE_AGE = NEWSROOM_SESSION_HOURS * 60 * 60

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
STATICFILES_DIRS = [SITE_FILES_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("NEWSROOM_MEDIA_ROOT", VAR_DIR / "media"))
# The site serves uploaded images itself unless a web server or a CDN in front does, or they
# are kept in object storage (below).
NEWSROOM_SERVE_MEDIA = env_bool("NEWSROOM_SERVE_MEDIA", not os.environ.get("NEWSROOM_S3_BUCKET"))

def object_storage(environ):
    """Uploads and renditions in an S3-compatible bucket, when NEWSROOM_S3_BUCKET names one.

    The keys come from the standard AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the machine's
    role). Images are public: their addresses are plain and cacheable, on the bucket's own
    endpoint or on NEWSROOM_MEDIA_DOMAIN, a CDN in front of it.
    """
    bucket = environ.get("NEWSROOM_S3_BUCKET", "")
    if not bucket:
        return None
    endpoint = environ.get("NEWSROOM_S3_ENDPOINT_URL") or None
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": environ.get("NEWSROOM_S3_REGION") or None,
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=2592000"},
    }
    if endpoint:  # another server than AWS (MinIO, Ceph, a local one) is addressed by path
        options["addressing_style"] = "path"
    if environ.get("NEWSROOM_MEDIA_DOMAIN"):
        options["custom_domain"] = environ["NEWSROOM_MEDIA_DOMAIN"]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def object_storage_origins(storage):
    """Where images in object storage are served from, for the Content-Security-Policy."""
    if not storage:
        return []
    options = storage["OPTIONS"]
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    if options["endpoint_url"]:
        return [url_origin(options["endpoint_url"])]
    bucket, region = options["bucket_name"], options["region_name"]
    return [f"https://{bucket}.s3.amazonaws.com"] + (
        [f"https://{bucket}.s3.{region}.amazonaws.com"] if region else []
    )


def url_origin(url):
    parts = urlsplit(str(url))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


OBJECT_STORAGE = object_storage(os.environ)
STORAGES = {
    "default": OBJECT_STORAGE or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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
# Wire articles (manage.py import_article): a file larger than this is refused before it is read,
# and an article whose paragraphs hold more characters than this is refused too. A long read of
# 10,000 words is about 60,000 characters; readers' pages and feeds carry the whole body.
NEWSROOM_WIRE_MAX_BYTES = int(os.environ.get("NEWSROOM_WIRE_MAX_BYTES", 1024 * 1024))
NEWSROOM_WIRE_MAX_CHARACTERS = int(os.environ.get("NEWSROOM_WIRE_MAX_CHARACTERS", 200_000))
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
# A draft's share link works this many hours unless its maker chooses another time, and never
# more than NEWSROOM_SHARE_LINK_MAX_DAYS after it was made: a forgotten link closes by itself.
NEWSROOM_SHARE_LINK_HOURS = int(os.environ.get("NEWSROOM_SHARE_LINK_HOURS", 48))
NEWSROOM_SHARE_LINK_MAX_DAYS = int(os.environ.get("NEWSROOM_SHARE_LINK_MAX_DAYS", 28))
if not 0 < NEWSROOM_SHARE_LINK_HOURS <= NEWSROOM_SHARE_LINK_MAX_DAYS * 24:
    raise ImproperlyConfigured(
        "NEWSROOM_SHARE_LINK_HOURS must be at least 1 and at most NEWSROOM_SHARE_LINK_MAX_DAYS "
        f"× 24 ({NEWSROOM_SHARE_LINK_MAX_DAYS * 24})."
    )

# What an editor typed and has not saved (an article form's working copy) is offered back for
# this many days, and is refused over this size.
NEWSROOM_WORKING_COPY_DAYS = int(os.environ.get("NEWSROOM_WORKING_COPY_DAYS", 30))
NEWSROOM_WORKING_COPY_MAX_BYTES = int(
    os.environ.get("NEWSROOM_WORKING_COPY_MAX_BYTES", 2 * 1024 * 1024)
)

TAGGIT_CASE_INSENSITIVE = True

# Security. Every response — pages, feeds, static and media files, the admin — carries the
# headers set up below (tests/test_security.py lists them). The middleware that adds them comes
# after the page cache in MIDDLEWARE, so a cached page is stored, and replayed, with them.

# Cookies: out of scripts' reach, not sent with other sites' requests, and once DEBUG is off
# only over HTTPS (DJANGO_SECURE_COOKIES=false for a trial over plain HTTP).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# A save refused for its CSRF token, in the admin, gets a page that says where the text went.
CSRF_FAILURE_VIEW = "articles.admin.working_copies.csrf_failure"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Other sites a reader follows a link to are not told which page the link was on. (A share
# link's preview says no-referrer instead: its address is a secret.)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page of the site uses, refused to every page (newsroom/middleware.py).
NEWSROOM_PERMISSIONS_POLICY = [
    "accelerometer", "browsing-topics", "camera", "display-capture", "geolocation", "gyroscope",
    "hid", "interest-cohort", "magnetometer", "microphone", "midi", "payment", "serial", "usb",
]


def request_meta_key(header):
    """A request header as request.META names it: "X-Forwarded-Proto" is HTTP_X_FORWARDED_PROTO."""
    key = header.strip().upper().replace("-", "_")
    return key if key == "REMOTE_ADDR" or key.startswith("HTTP_") else f"HTTP_{key}"


# HTTPS. Behind a proxy that ends TLS, name the header it sets on requests that came over HTTPS,
# as in DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https" — and only if the proxy always
# sets or replaces that header, since a client that reaches the app directly could send it.
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip():
    _header, _, _value = os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"].partition(":")
    SECURE_PROXY_SSL_HEADER = (request_meta_key(_header), _value.strip() or "https")

# With DEBUG off, plain HTTP is redirected to HTTPS — except on a server that answers only to
# loopback names (`make serve`, the benchmark), which has no certificate to offer. /healthz is
# never redirected: load balancers ask each app server directly, and often over plain HTTP.
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
SECURE_SSL_REDIRECT = env_bool(
    "DJANGO_SECURE_SSL_REDIRECT", not DEBUG and not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS
)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS, sent with HTTPS responses only: a browser that has seen the site over HTTPS uses nothing
# else for it, for a year once DEBUG is off.
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS") or (0 if DEBUG else 365 * 24 * 60 * 60)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
# Asking browsers to build HTTPS-only into themselves for the site binds its whole registered
# domain and takes months to undo: that is the domain owner's decision, made by setting
# DJANGO_SECURE_HSTS_PRELOAD=true, not a default. Until then Django's reminder that the preload
# flag is off (security.W021) points at no fault, and is silenced.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]


# Content-Security-Policy (django-csp). Readers' pages run no script at all; the admin runs only
# script files from the site itself, and one inline script — the prose editor's import map —
# which carries a nonce made for that one request (articles/admin/article.py). The page cache
# never stores a nonce: only the admin uses one, and it never caches the admin. No inline style
# either, but for two fixed blocks allowed by their hashes:
CSP_STYLE_HASHES = [
    # templates/500.html's own few rules: the error page must not depend on static files.
    "'sha256-9DZSdEVtbD3i1LVaGa7/NorAsQbDZORrsTPXjzgFsIM='",
    # The CSS ProseMirror needs, which the rich-text editor (Tiptap, in django-prose-editor's
    # editor.js) adds to the page as a <style> element of its own; django-prose-editor offers
    # no way to hand it a nonce. tests/test_security.py checks both hashes against their files.
    "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='",
]
# Static and media files come from the site itself, or from a CDN if STATIC_URL or MEDIA_URL
# name one.
CSP_ASSET_ORIGINS = sorted(
    {url_origin(url) for url in (STATIC_URL, MEDIA_URL)} - {None}
    | set(object_storage_origins(OBJECT_STORAGE))
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, *CSP_ASSET_ORIGINS, NONCE],
        "style-src": [SELF, *CSP_ASSET_ORIGINS, *CSP_STYLE_HASHES],
        "img-src": [SELF, *CSP_ASSET_ORIGINS],
        "font-src": [SELF, *CSP_ASSET_ORIGINS],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins with one user name from
# one address, that pair is locked out for the cool-off time, and a successful login clears the
# count. A user name with no account behind it is counted and answered exactly like one with.
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NEWSROOM_LOGIN_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.middleware.login_locked_out"
# The client's address is the connection's, unless a proxy in front names the client in a header
# it always sets or replaces, e.g. NEWSROOM_CLIENT_IP_HEADER=X-Real-IP (and then the connection's
# own address only when the header is missing). For X-Forwarded-For, NEWSROOM_PROXY_COUNT says
# how many addresses follow the client's in that header — 0 behind one load balancer, 1 behind
# a CDN and then a load balancer (django-ipware reads it).
AXES_IPWARE_META_PRECEDENCE_ORDER = list(
    dict.fromkeys(
        [request_meta_key(os.environ.get("NEWSROOM_CLIENT_IP_HEADER") or "REMOTE_ADDR"),
         "REMOTE_ADDR"]
    )
)
AXES_IPWARE_PROXY_COUNT = (
    int(os.environ["NEWSROOM_PROXY_COUNT"]) if os.environ.get("NEWSROOM_PROXY_COUNT") else None
)

# Work done after a request, such as e-mail, through Django's Tasks framework (the django-tasks
# backport). "database" queues it in the site's database for `manage.py db_worker`, which
# `make run` and `make serve` start beside the server; "immediate" does it at once, in the
# request (for a trial without a worker).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
NEWSROOM_TASKS = os.environ.get("NEWSROOM_TASKS", "database")
if NEWSROOM_TASKS not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"NEWSROOM_TASKS must be one of: {', '.join(TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[NEWSROOM_TASKS], "QUEUES": ["default"]}}

# E-mail goes out over SMTP. When debugging, to the local catcher `make run` starts on port 1025
# (`manage.py catch_mail`, which keeps each message in NEWSROOM_MAIL_DIR); otherwise to a mail
# server on this machine unless DJANGO_EMAIL_HOST names another.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "127.0.0.1" if DEBUG else "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT") or (1025 if DEBUG else 25))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", 20))  # seconds: a worker never hangs
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
NEWSROOM_MAIL_DIR = Path(os.environ.get("NEWSROOM_MAIL_DIR", VAR_DIR / "mail"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
