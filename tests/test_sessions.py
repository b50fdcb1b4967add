"""Signing in and out of the admin: where staff land, how long a session lasts, and logging out
on every browser and device at once."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import roles
from newsroom.models import LoggedInSession
from newsroom.sessions import ACTIVITY_KEY

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-proper-password"
LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
LOG_OUT_EVERYWHERE = reverse("log_out_everywhere")


@pytest.fixture
def make_person(make_staff):
    def make(username, role=roles.EDITOR, **fields):
        user = make_staff(username, role, **fields)
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


@pytest.fixture
def dana(make_person):
    return make_person("dana")


def logged_in(user):
    """A browser of its own, logged in through the login page as a person does."""
    browser = Client()
    response = browser.post(LOGIN, {"username": user.username, "password": PASSWORD, "next": INDEX})
    assert response.status_code == 302, response.content.decode()
    return browser


def is_logged_in(browser):
    response = browser.get(INDEX)
    if response.status_code == 302:
        assert response["Location"] == f"{LOGIN}?next={INDEX}"
        return False
    assert response.status_code == 200
    return True


# Where logging in and out lands.


def test_logging_in_without_a_next_page_lands_in_the_admin(client, dana):
    response = client.post(LOGIN, {"username": "dana", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == INDEX
    assert client.get(response["Location"]).status_code == 200


def test_a_page_that_needs_a_login_sends_visitors_to_the_admins_login_page(rf, client):
    view = login_required(lambda request: HttpResponse("The desk's own page"))
    request = rf.get("/desk/notes/")
    request.user = AnonymousUser()

    response = view(request)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/desk/notes/"
    assert client.get(response["Location"]).status_code == 200


def test_logging_out_shows_the_admins_logged_out_page_with_a_way_back_in(dana):
    browser = logged_in(dana)

    response = browser.post(reverse("admin:logout"))

    assert response.status_code == 200
    assert "Logged out" in response.content.decode()
    assert f'href="{INDEX}"' in response.content.decode()
    assert not is_logged_in(browser)


# How long a session lasts.


def test_a_session_ends_after_ten_hours_without_a_request(dana, clock):
    browser = logged_in(dana)

    clock.advance(hours=9, minutes=59)
    assert is_logged_in(browser)
    clock.advance(hours=10, seconds=1)
    assert not is_logged_in(browser)


def test_a_session_in_use_stays_open_through_a_long_day(dana, clock):
    browser = logged_in(dana)

    for _ in range(4):
        clock.advance(hours=4)
        assert is_logged_in(browser)
    # Sixteen hours after logging in, and ten since the last request:
    clock.advance(hours=10, seconds=1)
    assert not is_logged_in(browser)


def test_the_hours_come_from_the_settings(settings, dana, clock):
    settings.SESSION_COOKIE_AGE = 2 * 60 * 60  # NEWSROOM_SESSION_HOURS=2
    browser = logged_in(dana)

    clock.advance(hours=2, seconds=1)
    assert not is_logged_in(browser)


def test_a_session_is_written_at_most_every_five_minutes_not_on_every_page(dana, clock):
    """Keeping a session open costs a database write now and then, not one per page."""
    browser = logged_in(dana)

    def session_writes():
        with CaptureQueriesContext(connection) as queries:
            assert is_logged_in(browser)
        return [
            query["sql"] for query in queries
            if "django_session" in query["sql"] and not query["sql"].startswith("SELECT")
        ]

    clock.advance(minutes=5)
    assert len(session_writes()) == 1
    for _ in range(4):
        clock.advance(seconds=30)
        assert session_writes() == []
    clock.advance(minutes=3)
    assert len(session_writes()) == 1


def test_readers_get_no_session_and_no_cookie(client, make_article):
    article = make_article()
    for path in ["/", article.get_absolute_url(), "/search/?q=story"]:
        response = client.get(path)
        assert response.status_code == 200
        assert django_settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


# Logging out everywhere.


def test_log_out_everywhere_ends_every_session_of_that_person_and_no_one_elses(
    dana, make_person
):
    laptop, phone = logged_in(dana), logged_in(dana)
    colleague = logged_in(make_person("eli"))

    response = laptop.post(LOG_OUT_EVERYWHERE)

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    login_page = laptop.get(LOGIN).content.decode()
    assert "You are logged out on every browser and device." in login_page
    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert is_logged_in(colleague)


def test_the_button_is_beside_log_out_in_the_admins_header(dana):
    browser = logged_in(dana)
    pages = [
        INDEX,
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_image_changelist"),
    ]

    for page in pages:
        html = browser.get(page).content.decode()
        log_out = html.index('<form id="logout-form" method="post"')
        everywhere = html.index(
            f'<form id="logout-everywhere-form" method="post" action="{LOG_OUT_EVERYWHERE}">'
        )
        assert log_out < everywhere, page
        form = html[everywhere:html.index("</form>", everywhere)]
        assert 'name="csrfmiddlewaretoken"' in form
        assert '<button type="submit">Log out everywhere</button>' in form


def test_a_get_logs_no_one_out(dana):
    laptop, phone = logged_in(dana), logged_in(dana)

    assert laptop.get(LOG_OUT_EVERYWHERE).status_code == 405

    assert is_logged_in(laptop)
    assert is_logged_in(phone)


def test_a_post_from_another_site_logs_no_one_out(dana):
    """Without the page's CSRF token, as a form on another site would send it."""
    laptop = logged_in(dana)
    same_cookies = Client(enforce_csrf_checks=True)
    same_cookies.cookies = laptop.cookies

    assert same_cookies.post(LOG_OUT_EVERYWHERE).status_code == 403
    assert is_logged_in(laptop)


def test_someone_not_logged_in_is_sent_to_log_in(client):
    response = client.post(LOG_OUT_EVERYWHERE)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_writer_logs_out_only_themselves(make_person, dana):
    writer = make_person("wren", roles.WRITER)
    writers_laptop, danas_laptop = logged_in(writer), logged_in(dana)

    # Naming someone else in the post changes nothing: the view ends the sender's sessions.
    writers_laptop.post(LOG_OUT_EVERYWHERE, {"user": dana.pk, "username": "dana"})

    assert not is_logged_in(writers_laptop)
    assert is_logged_in(danas_laptop)


def test_a_writer_cannot_log_out_someone_else_from_the_user_list(make_person, dana):
    writers_laptop, danas_laptop = logged_in(make_person("wren", roles.WRITER)), logged_in(dana)

    response = writers_laptop.post(
        reverse("admin:auth_user_changelist"),
        {"action": "log_out_everywhere", "_selected_action": [dana.pk]},
    )

    assert response.status_code == 403
    assert is_logged_in(danas_laptop)


def test_an_admin_logs_another_person_out_everywhere_from_the_user_list(make_person, dana):
    chief = make_person("chief", roles.ADMIN)
    admin_browser = logged_in(chief)
    laptop, phone = logged_in(dana), logged_in(dana)
    colleague = logged_in(make_person("eli"))

    response = admin_browser.post(
        reverse("admin:auth_user_changelist"),
        {"action": "log_out_everywhere", "_selected_action": [dana.pk]},
        follow=True,
    )

    assert "Logged 1 user(s) out on every browser and device." in response.content.decode()
    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert is_logged_in(colleague)
    assert is_logged_in(admin_browser)
    # The user's history says who did it.
    history = admin_browser.get(reverse("admin:auth_user_history", args=[dana.pk]))
    assert "Logged out on every browser and device." in history.content.decode()


def test_changing_ones_password_still_ends_the_other_sessions(dana):
    laptop, phone = logged_in(dana), logged_in(dana)

    response = laptop.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "another-long-passphrase",
         "new_password2": "another-long-passphrase"},
    )

    assert response.status_code == 302
    assert is_logged_in(laptop)
    assert not is_logged_in(phone)


def test_a_session_that_changed_its_password_can_still_be_logged_out_everywhere(
    make_person, dana
):
    """A password change gives the session a new key; it is followed all the same."""
    laptop = logged_in(dana)
    laptop.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "another-long-passphrase",
         "new_password2": "another-long-passphrase"},
    )
    admin_browser = logged_in(make_person("chief", roles.ADMIN))

    admin_browser.post(
        reverse("admin:auth_user_changelist"),
        {"action": "log_out_everywhere", "_selected_action": [dana.pk]},
    )

    assert not is_logged_in(laptop)


def test_a_session_opened_before_sessions_were_noted_is_logged_out_everywhere_too(dana):
    """A session from before this release never logged in again, so no login noted it: its
    next page does."""
    phone = logged_in(dana)
    LoggedInSession.objects.all().delete()
    session = Session.objects.get()
    data = session.get_decoded()
    data.pop(ACTIVITY_KEY, None)
    Session.objects.filter(pk=session.pk).update(
        session_data=SessionStore().encode(data)
    )
    assert is_logged_in(phone)
    laptop = logged_in(dana)

    laptop.post(LOG_OUT_EVERYWHERE)

    assert not is_logged_in(phone)


def test_sessions_that_ran_out_are_forgotten_at_the_next_login(dana, clock):
    """The sessions noted for a person do not pile up with every login."""
    for _ in range(3):
        logged_in(dana)
    clock.advance(hours=10, seconds=1)
    call_command("clearsessions")  # as the site's nightly timer runs it
    laptop = logged_in(dana)

    assert [noted.session_key for noted in LoggedInSession.objects.filter(user=dana)] == [
        laptop.cookies[django_settings.SESSION_COOKIE_NAME].value
    ]
