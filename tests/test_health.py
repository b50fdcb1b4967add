"""/healthz: a load balancer asks whether this app server can serve pages."""

import json

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

HEALTHZ = "/healthz"


def answer(response):
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_all_well(client):
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert answer(response) == {"status": "ok", "database": "ok", "cache": "ok"}


def test_never_kept_by_the_page_cache_nor_anything_in_front(client):
    for _ in range(3):
        response = client.get(HEALTHZ)
        assert response.status_code == 200
        assert not response.has_header("X-Cache")
        assert {"no-cache", "no-store", "private"} <= {
            part.strip() for part in response["Cache-Control"].split(",")
        }


def test_a_database_that_does_not_answer_is_a_503_without_details(client, monkeypatch, caplog):
    def unreachable():
        raise OperationalError("unable to open database file /srv/secret/path.sqlite3")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert answer(response) == {"status": "failed", "database": "failed", "cache": "ok"}
    assert b"secret" not in response.content and b"Traceback" not in response.content
    # What went wrong is in the log, for the people who run the site.
    assert "unable to open database file" in caplog.text


def test_a_cache_that_cannot_be_written_is_a_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(caches["default"], "set", refuse)
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert answer(response) == {"status": "failed", "database": "ok", "cache": "failed"}
    assert b"redis" not in response.content


def test_a_cache_that_loses_what_it_is_given_is_a_503(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert answer(response) == {"status": "failed", "database": "ok", "cache": "failed"}


def test_both_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    monkeypatch.setattr(caches["default"], "get", broken)
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert answer(response) == {"status": "failed", "database": "failed", "cache": "failed"}


def test_head_works_and_nothing_else_is_accepted(client):
    assert client.head(HEALTHZ).status_code == 200
    assert client.post(HEALTHZ).status_code == 405


def test_the_host_is_checked_as_for_any_page(client):
    assert client.get(HEALTHZ, headers={"Host": "attacker.example"}).status_code == 400


def test_never_redirected_to_https_so_a_load_balancer_may_ask_over_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    assert client.get(HEALTHZ).status_code == 200
