"""Logging in and out of the admin: where staff land."""

import pytest
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from articles import roles

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-proper-password"
LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")


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
