"""Serving the site in production: uploaded images and the server's own settings."""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from articles.images.uploads import PENDING_FOLDER


@pytest.fixture
def stored_image(image):
    return image.file.name


def test_an_uploaded_image_is_served_with_its_type_and_a_long_lifetime(client, stored_image):
    response = client.get(f"/media/{stored_image}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "max-age=2592000" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_an_image_answers_if_modified_since(client, stored_image):
    first = client.get(f"/media/{stored_image}")
    again = client.get(
        f"/media/{stored_image}", headers={"If-Modified-Since": first["Last-Modified"]}
    )
    assert again.status_code == 304


def test_an_image_waiting_for_its_editor_is_not_public(client, db):
    name = default_storage.save(f"{PENDING_FOLDER}/waiting.jpg", ContentFile(b"\xff\xd8 draft"))
    assert default_storage.exists(name)
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(f"/media/{PENDING_FOLDER}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["../newsroom.sqlite3", "images/../../x.sqlite3", "%2e%2e/secret", "images/", "none.jpg"],
)
def test_nothing_outside_the_uploads_nor_a_folder_listing_is_served(client, db, path):
    assert client.get(f"/media/{path}").status_code == 404


def read_server_settings(monkeypatch, **environment):
    for name in ("HOST", "PORT", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    import newsroom.gunicorn

    return importlib.reload(newsroom.gunicorn)


def test_the_server_listens_on_loopback_port_8000_by_default(monkeypatch):
    server = read_server_settings(monkeypatch)
    assert server.bind == ["127.0.0.1:8000"]
    assert server.workers >= 1
    assert server.wsgi_app == "newsroom.wsgi:application"


def test_the_server_listens_where_and_with_as_many_workers_as_it_is_told(monkeypatch):
    server = read_server_settings(monkeypatch, HOST="::1", PORT="9001", WEB_CONCURRENCY="3")
    assert server.bind == ["[::1]:9001"]
    assert server.workers == 3
