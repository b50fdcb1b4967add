"""Staff sessions: open for a working day after the last request, and closable everywhere at once.

Readers have no session; only people logged in to the admin do.
"""

from importlib import import_module

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .models import LoggedInSession

# A session is written when it is used, so that it expires NEWSROOM_SESSION_HOURS after the last
# request rather than after the first; but at most once in this many seconds. Saving it on every
# request (SESSION_SAVE_EVERY_REQUEST) would make every page a staff member opens a database
# write, which on SQLite waits for any save in progress, such as an image's renditions.
ACTIVITY_PERIOD = 5 * 60
ACTIVITY_KEY = "newsroom.active"


class StaffSessionMiddleware:
    """Keeps a logged-in session open while it is used, and notes which sessions each person has.

    The key is compared before and after each request rather than noted from the login and
    logout signals: a password change gives the session a new key, with no signal for it.
    It comes after SessionMiddleware and AuthenticationMiddleware in MIDDLEWARE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        held_key = request.session.session_key  # from the cookie: nothing is loaded for it
        response = self.get_response(request)
        session = request.session
        if held_key is None and session.session_key is None:
            return response  # a reader: no session, and none is made or touched
        recorded = False
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            if now - session.get(ACTIVITY_KEY, 0) >= ACTIVITY_PERIOD:
                session[ACTIVITY_KEY] = now
                recorded = True
            if session.session_key is None:
                # Logging in over another person's session empties it; save the new one now to
                # have its key.
                session.save()
        if session.session_key != held_key:
            note_session(request.user, old_key=held_key, new_key=session.session_key)
        elif recorded:
            # Noted again with each record of activity, so that a session no login or key
            # change ever noted (one opened before sessions were noted) can be ended too.
            LoggedInSession.objects.get_or_create(
                session_key=session.session_key, defaults={"user": request.user}
            )
        return response


def session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore()


def session_keys(user):
    return list(LoggedInSession.objects.filter(user=user).values_list("session_key", flat=True))


def note_session(user, old_key, new_key):
    if old_key:
        LoggedInSession.objects.filter(session_key=old_key).delete()
    if new_key and user.is_authenticated:
        LoggedInSession.objects.update_or_create(session_key=new_key, defaults={"user": user})
        # Sessions that are gone from the store are forgotten at the next login, so that a
        # person's list stays as short as the sessions they really have.
        store = session_store()
        gone = [key for key in session_keys(user) if not store.exists(key)]
        LoggedInSession.objects.filter(session_key__in=gone).delete()


def end_sessions(user):
    """End every session `user` is logged in with, on every browser and device."""
    store = session_store()
    keys = session_keys(user)
    for key in keys:
        store.delete(key)
    LoggedInSession.objects.filter(session_key__in=keys).delete()


@require_POST
def log_out_everywhere(request):
    """The admin's "Log out everywhere": the person's own sessions, this one included."""
    end_sessions(request.user)
    logout(request)
    messages.success(request, "You are logged out on every browser and device.")
    return redirect("admin:login")


@never_cache
@require_GET
def session_status(request):
    """Whether this browser is still signed in to the admin, and as whom, with the CSRF token
    a form must now send: a page open since before the session ended, or since its person
    signed in again in another tab, asks before it posts, so that its text is not refused.

    Another site's page cannot read the answer (browsers keep it from other origins), and the
    token is the one every admin page already carries.
    """
    signed_in = admin.site.has_permission(request)
    return JsonResponse({
        "signed_in": signed_in,
        "user": request.user.get_username() if signed_in else "",
        "csrf_token": get_token(request),
    })


def signed_in_again(request):
    """Where signing in again from a form whose session had ended lands, in a tab of its own."""
    context = {**admin.site.each_context(request), "title": "You are signed in again"}
    return render(request, "admin/signed_in_again.html", context)
