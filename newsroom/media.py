"""Uploaded images, served by the site itself when nothing in front of it does."""

import posixpath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views import static

from articles.images.uploads import PENDING_FOLDER

# Image files are never rewritten in place — a new upload or rendition gets a new name — so
# browsers and CDNs may keep them for a long time.
MEDIA_MAX_AGE = 30 * 24 * 60 * 60


def serve(request, path):
    normalised = posixpath.normpath(path).lstrip("/")
    # An image waiting for its editor's confirmation is not published yet.
    if normalised == PENDING_FOLDER or normalised.startswith(PENDING_FOLDER + "/"):
        raise Http404("No such file.")
    try:
        response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation:  # a path that leads out of the uploads folder
        raise Http404("No such file.") from None
    patch_cache_control(response, public=True, max_age=MEDIA_MAX_AGE)
    # Whatever a file turns out to hold, a browser must never run it as a page.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
