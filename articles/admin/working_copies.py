"""The article form's autosave, as the admin serves it: the endpoint that keeps and discards a
person's working copy, the offer to restore it in the form, and the page a refused (CSRF) save
leads to, which says where the text went.

The endpoint answers in JSON and never sends a signed-out browser to the login page, whose HTML
a script could not tell from an answer: it says "signed out" (401), and the form's script asks
the person to sign in again (static/admin/newsroom/working-copy.js).
"""

import json

from django.conf import settings
from django.contrib import admin
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from .. import permissions
from ..working_copies import (
    BadFormData,
    check_form_data,
    clear_working_copy,
    keep_working_copy,
    working_copy,
)
from .common import format_time


def _error(status, message, **more):
    return JsonResponse({"error": message, **more}, status=status)


def kept_at(copy):
    """When a working copy was kept, as the form says it: the time alone if it is today's."""
    local = timezone.localtime(copy.saved_at)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return format_time(copy.saved_at)


@never_cache
def working_copy_view(request, model_admin, object_id=None):
    """POST: keep the form's data as the person's working copy of the article (of a new one
    without `object_id`). DELETE: discard it. Only for an article they may change."""
    user = request.user
    if not model_admin.admin_site.has_permission(request):
        return _error(401, "You are signed out. Sign in again to keep your typing.",
                      signed_in=False)
    if request.method not in ("POST", "DELETE"):
        return _error(405, "Send the form's data with POST, or DELETE to discard it.")
    article = None
    if object_id is None:
        if not model_admin.has_add_permission(request):
            return _error(403, "You may not write articles.")
    else:
        # A colleague's article is as absent here as it is from the list.
        try:
            article = model_admin.get_object(request, object_id)
        except OverflowError:  # a number too large for the database's integers
            article = None
        if article is None:
            return _error(404, "No such article.")
        if not permissions.can_edit(user, article):
            return _error(403, "You may not change this article.")
    if request.method == "DELETE":
        clear_working_copy(user, article)
        return JsonResponse({"discarded": True})
    limit = settings.NEWSROOM_WORKING_COPY_MAX_BYTES
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit or len(request.body) > limit:
        return _error(400, f"The form is larger than the {limit // 1024} KB a working copy "
                      "may hold; save the article instead.")
    try:
        data = check_form_data(json.loads(request.body))
    except (ValueError, UnicodeDecodeError) as error:
        message = str(error) if isinstance(error, BadFormData) else "The body is not JSON."
        return _error(400, message)
    copy = keep_working_copy(user, data, article)
    return JsonResponse({"kept_at": copy.saved_at.isoformat(), "kept_at_text": kept_at(copy)})


def working_copy_context(request, article):
    """What the form needs to keep and offer the person's working copy (see working_copy.html).

    The copy is offered on opening the form, never on a form that comes back with errors: that
    one holds what the person just sent.
    """
    if article is None:
        url = reverse("admin:articles_article_new_working_copy")
    else:
        url = reverse("admin:articles_article_working_copy", args=[article.pk])
    copy = working_copy(request.user, article) if request.method == "GET" else None
    return {
        "url": url,
        "session_url": reverse("session_status"),
        "sign_in_url": reverse("admin:login") + "?next=" + reverse("signed_in_again"),
        "user": request.user.get_username(),
        "copy": copy,
        "kept_at": kept_at(copy) if copy else "",
    }


@requires_csrf_token
def csrf_failure(request, reason=""):
    """A save refused as possibly forged (its CSRF token was missing or stale: the session had
    ended, or the person signed in again elsewhere). In the admin, a page that says the text is
    kept and how to get it back; elsewhere, Django's own page."""
    if not request.path.startswith(reverse("admin:index")):
        from django.views.csrf import csrf_failure as django_csrf_failure

        return django_csrf_failure(request, reason)
    try:
        match = resolve(request.path)
    except Resolver404:
        match = None
    article_form = match is not None and match.url_name in (
        "articles_article_add", "articles_article_change"
    )
    context = {
        **admin.site.each_context(request),
        "title": "Your save did not go through",
        "article_form": article_form,
        "form_url": request.path if article_form else "",
    }
    return render(request, "admin/csrf_failure.html", context, status=403)
