import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from . import health, media, sessions

urlpatterns = [
    # For load balancers: is this app server able to serve pages? (see newsroom/health.py)
    path("healthz", health.healthz, name="healthz"),
    # Beside the admin's own "Log out", for any member of staff (templates/admin/base_site.html).
    path(
        "admin/log-out-everywhere/",
        admin.site.admin_view(sessions.log_out_everywhere),
        name="log_out_everywhere",
    ),
    # Asked by the article form before it saves, and the page signing in again lands on
    # (articles/admin/working_copies.py).
    path("admin/session/", sessions.session_status, name="session_status"),
    path(
        "admin/signed-in-again/",
        admin.site.admin_view(sessions.signed_in_again),
        name="signed_in_again",
    ),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

# Uploaded images: served here unless a web server or CDN in front serves them (see
# docs/deploy.md), in which case NEWSROOM_SERVE_MEDIA is off.
if settings.NEWSROOM_SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    urlpatterns.insert(
        0,
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$",
            media.serve,
        ),
    )
