"""The caches in Redis, as app servers share them: a real redis-server on 127.0.0.1."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches

from articles.models import Article
from articles.publishing import publish
from newsroom.settings import redis_caches


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis of the tests' own, on a Unix socket: no TCP port another test's server could take
    between choosing it and binding it."""
    server = shutil.which("redis-server")
    assert server, "These tests need redis-server: apt-get install -y redis-server"
    folder = tmp_path_factory.mktemp("redis")
    path = str(folder / "redis.sock")
    process = subprocess.Popen(
        [server, "--port", "0", "--unixsocket", path, "--save", "", "--appendonly", "no",
         "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.socket(socket.AF_UNIX) as probe:
                    probe.connect(path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"unix://{path}?db=0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def in_redis(settings, redis_url):
    settings.CACHES = redis_caches(redis_url)
    caches["default"].clear()
    caches["pages"].clear()
    assert type(caches["pages"]).__name__ == "RedisCache"


@pytest.fixture
def article(make_article, author):
    return make_article("Harbour bridge closes for repairs", authors=[author])


def test_pages_are_kept_in_redis_and_served_without_the_database(
    in_redis, client, article, django_assert_num_queries
):
    url = article.get_absolute_url()
    assert client.get(url)["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again["X-Cache"] == "hit"
    assert "Harbour bridge closes" in again.content.decode()


def test_a_change_made_through_one_app_server_is_seen_by_every_other(
    in_redis, client, article, make_article, redis_url
):
    # Another app server: its own process memory, the same Redis. Its client is a fresh
    # connection; what they share is only what Redis holds.
    other_server = type(client)()
    assert client.get("/")["X-Cache"] == "miss"
    assert other_server.get("/")["X-Cache"] == "hit"
    draft = make_article("Ferry fares frozen", status=Article.Status.DRAFT)

    publish(draft)

    assert "Ferry fares frozen" in other_server.get("/").content.decode()


def test_an_editors_preview_is_never_kept_in_redis(in_redis, client, make_article, make_staff):
    from articles import roles

    draft = make_article("Embargoed: port sold", status=Article.Status.DRAFT)
    editor = type(client)()
    editor.force_login(make_staff("edith", roles.EDITOR))
    assert editor.get(draft.get_absolute_url()).status_code == 200

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Embargoed" not in client.get("/").content.decode()


def test_health_check_reports_redis(in_redis, client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["cache"] == "ok"


def test_pages_are_still_served_when_redis_is_gone(settings, client, article):
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{free_port()}/0")  # nobody listens

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Harbour bridge closes" in response.content.decode()
    assert client.get("/healthz").status_code == 503


def test_an_editors_save_goes_through_when_redis_is_gone(settings, article, caplog):
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{free_port()}/0")  # nobody listens

    article.headline = "Harbour bridge reopens early"
    article.save()
    publish(article)

    assert Article.objects.get(pk=article.pk).headline == "Harbour bridge reopens early"
    assert "The content version could not be changed" in caplog.text
