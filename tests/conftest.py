import hashlib
import os
import pickle
import shutil
import sys
from datetime import timedelta
from pathlib import Path

import PIL
import PIL.Image
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from mail_server import LocalSMTPServer
from makers import (
    city_section,
    desk_people,
    draw_demo_images_once_with,
    image_bytes,
    make_renditions_once,
    new_article,
    staff_member,
    tram_image,
)

from articles import demo
from articles.images import renditions
from articles.models import Author, Section
from articles.roles import grant_role_permissions
from newsroom.load.soak import SoakError
from newsroom.load.soak.forms import find_form


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test accounts are throwaway; a fast hasher keeps logging them in quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def login_throttling_off(settings):
    """Failed logins are counted only where a test asks for it (`login_throttling`).

    Tests check a password with authenticate() and no request, which django-axes refuses: it
    counts attempts per client, and such a call has none.
    """
    settings.AXES_ENABLED = False


@pytest.fixture
def login_throttling(settings):
    """Admin logins throttled by django-axes, as in production."""
    settings.AXES_ENABLED = True


@pytest.fixture(autouse=True)
def caches_of_its_own(settings):
    """Each test starts with empty caches in memory, never the developer's var/cache."""
    settings.CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{alias}",
        }
        for alias in ("default", "pages")
    }
    for alias in ("default", "pages"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def media_root(request, settings, tmp_path):
    """Uploaded images go to a throwaway folder, never into the developer's var/: the test's own,
    or its module's where the module makes its images once (see module_transaction)."""
    if "module_transaction" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("module_media")
    else:
        settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker, module_media):
    """A transaction around a whole test module, rolled back at its end.

    What a module makes in it once is there for each of its tests, which run in savepoints
    within it and so cannot change it for the next: Django's setUpTestData, for a module whose
    matrix of people and articles would otherwise be made again for every case. Such a module
    keeps its files in `module_media` (see `media_root`) and reads its objects afresh in each
    test (see makers.afresh), so that no test sees another's changes to an object in memory.
    """
    isolated = override_settings(
        MEDIA_ROOT=module_media,
        CACHES={
            alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": f"module-{alias}"}
            for alias in ("default", "pages")
        },
    )
    with django_db_blocker.unblock(), isolated, transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def roles_as_migrated(django_db_blocker):
    """The roles the migrations made, for a transactional test: there when it starts, and put
    back after it. The flush after each transactional test (the browser tests' too) empties
    every table, and only content types and permissions come back by themselves. Ask for it
    before `transactional_db`, so that it runs after that flush (a `django_db(transaction=True)`
    mark would flush after it)."""
    with django_db_blocker.unblock():
        grant_role_permissions(Group, Permission)
    yield
    with django_db_blocker.unblock():
        grant_role_permissions(Group, Permission)


@pytest.fixture
def make_upload():
    def make(name="photo.jpg", size=(64, 48), image_format="JPEG", content=None):
        data = content if content is not None else image_bytes(size, image_format)
        return SimpleUploadedFile(name, data, content_type="image/jpeg")

    return make


@pytest.fixture
def image(db):
    return tram_image()


@pytest.fixture
def section(db):
    return city_section()


@pytest.fixture
def other_section(db):
    return Section.objects.create(name="Business", slug="business", position=1)


@pytest.fixture
def author(db):
    return Author.objects.create(name="Mira Okafor", slug="mira-okafor", bio="Covers transport.")


@pytest.fixture
def make_article(db, section):
    """Make an article; published an hour ago unless told otherwise."""
    counter = iter(range(1, 10_000))

    def make(headline=None, **options):
        return new_article(next(counter), options.pop("section", section), headline, **options)

    return make


@pytest.fixture
def make_staff(db):
    """Make a staff member in one of the newsroom's roles: `make_staff("ana", roles.WRITER)`."""
    return staff_member


@pytest.fixture
def people(db):
    return desk_people()



class Clock:
    """A stopped clock that a test moves on by hand."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Stop Django's clock at the present moment; `clock.advance(hours=1)` moves every "now"."""
    stopped = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", stopped)
    return stopped


class KeptResults:
    """What a slow, pure function returned, kept in memory and on disk between test runs.

    The disk copy lives in pytest's cache folder, under a name that holds a digest of the code
    that makes the results and of Pillow's version: change either and the results are made
    afresh. Entries are written whole or not at all, so parallel test workers can share them.
    """

    def __init__(self, folder):
        self.folder = folder
        self.memory = {}

    def get(self, key, make):
        if key not in self.memory:
            path = self.folder / key
            try:
                self.memory[key] = pickle.loads(path.read_bytes())  # written below, by us
            except (OSError, pickle.UnpicklingError, EOFError):
                self.memory[key] = make()
                partial = path.with_name(f"{key}.{os.getpid()}.partial")
                partial.write_bytes(pickle.dumps(self.memory[key]))
                os.replace(partial, path)
        return self.memory[key]


def kept_results(request, tmp_path_factory, name, module):
    # Pillow's version and its codecs (AVIF or not) change what the code makes, so they are in
    # the folder's name too.
    # A package is read whole: its painters or encoders may be in any of its modules.
    source = Path(module.__file__)
    files = sorted(source.parent.glob("*.py")) if source.name == "__init__.py" else [source]
    code = hashlib.sha256(b"".join(path.read_bytes() for path in files))
    code.update(f"{PIL.__version__} {renditions.HAS_AVIF} {sys.version}".encode())
    folder_name = f"{name}-{code.hexdigest()[:16]}"
    cache = getattr(request.config, "cache", None)  # absent with -p no:cacheprovider
    if not cache:
        return KeptResults(tmp_path_factory.mktemp(folder_name))
    folder = cache.mkdir(folder_name)
    for stale in folder.parent.glob(f"{name}-*"):  # made by code that has changed since
        if stale != folder:
            shutil.rmtree(stale, ignore_errors=True)
    return KeptResults(folder)


@pytest.fixture(scope="session")
def rendition_cache(request, tmp_path_factory):
    return kept_results(request, tmp_path_factory, "renditions", renditions)


@pytest.fixture(autouse=True)
def make_each_rendition_once(monkeypatch, rendition_cache):
    make_renditions_once(monkeypatch, rendition_cache)


@pytest.fixture(scope="session")
def demo_image_cache(request, tmp_path_factory):
    return kept_results(request, tmp_path_factory, "demo-images", demo.images)


@pytest.fixture
def draw_demo_images_once(monkeypatch, demo_image_cache):
    draw_demo_images_once_with(monkeypatch, demo_image_cache)


@pytest.fixture
def demo_newsroom(db, draw_demo_images_once):
    """The demo newsroom `make run` loads: published, draft and scheduled articles."""
    return demo.load_demo()


@pytest.fixture
def read_form():
    """`read_form(response)`: the page's own form data, as a browser would post it unchanged.

    Tests then change only what a person would type, so a post carries exactly what the page
    offered: its hidden fields, inline management forms and current values. The page is read by
    the soak's form reader, the one the soak's editor posts admin forms with.
    """

    def read(response, form_id="article_form"):
        try:
            form = find_form(response.content, form_id)
        except SoakError:
            form = None
        assert form and form.fields, f"the page has no form {form_id!r}"
        data = {}
        for name, value in form.fields:
            data.setdefault(name, []).append(value)
        return {name: values[0] if len(values) == 1 else values for name, values in data.items()}

    return read


def use_smtp_server(settings, server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_server(settings, tmp_path):
    """A real SMTP server on this machine that the site's e-mail goes to: `.messages()` is what
    it caught."""
    server = LocalSMTPServer(tmp_path / "mail").start()
    use_smtp_server(settings, server)
    yield server
    server.stop()


@pytest.fixture
def refusing_smtp_server(settings, tmp_path):
    """An SMTP server that answers but refuses every message."""
    server = LocalSMTPServer(tmp_path / "mail", refusing=True).start()
    use_smtp_server(settings, server)
    yield server
    server.stop()


@pytest.fixture
def tasks_at_once(settings):
    """Tasks run as they are queued, in the request, instead of waiting for the worker."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
