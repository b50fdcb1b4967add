"""Files an upload killed before its commit left behind are cleared, by `manage.py clean_media`
and by the next upload; an image's own files, and an upload still under way, are never touched."""

import io
import posixpath
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from articles.images.orphans import delete_orphaned_files
from articles.images.renditions import make_renditions, rendition_names
from articles.models import Image, Licence

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered_image(image):
    """A saved image with its renditions: every one of its files must stay."""
    make_renditions(image)
    return image


def own_files(image):
    return [image.file.name, *rendition_names(image)]


def write_killed_upload(folder):
    """What an upload killed before its commit leaves: an original and a rendition, no row."""
    stem = uuid.uuid4().hex
    original = default_storage.save(f"{folder}/{stem}.jpg", ContentFile(b"\xff\xd8 a picture"))
    rendition = default_storage.save(
        f"{folder}/renditions/{stem}/16x9-320-0123456789.webp", ContentFile(b"RIFF a rendition")
    )
    return [original, rendition]


def clean_media(*options):
    out = io.StringIO()
    call_command("clean_media", *options, stdout=out)
    return out.getvalue()


def test_the_command_removes_files_no_image_names_and_keeps_an_images_own(clock, rendered_image):
    left_behind = write_killed_upload(posixpath.dirname(rendered_image.file.name))
    clock.advance(hours=2)

    output = clean_media()

    assert output == "Removed 2 file(s) no picture names (28 bytes).\n"
    assert not any(default_storage.exists(name) for name in left_behind)
    assert len(own_files(rendered_image)) > 1
    assert all(default_storage.exists(name) for name in own_files(rendered_image))


def test_a_dry_run_says_what_it_would_remove_and_removes_nothing(clock, rendered_image):
    left_behind = write_killed_upload(posixpath.dirname(rendered_image.file.name))
    clock.advance(hours=2)

    output = clean_media("--dry-run", "--verbosity=2")

    assert output.splitlines() == [
        *sorted(left_behind, key=len), "Would remove 2 file(s) no picture names (28 bytes).",
    ]
    assert all(default_storage.exists(name) for name in left_behind)


def test_a_file_young_enough_to_be_an_upload_under_way_is_kept(clock, rendered_image):
    under_way = write_killed_upload(posixpath.dirname(rendered_image.file.name))
    clock.advance(minutes=10)

    output = clean_media()

    assert output == (
        "Removed 0 file(s) no picture names (0 bytes); kept 2 too recent to judge.\n"
    )
    assert all(default_storage.exists(name) for name in [*under_way, *own_files(rendered_image)])


def test_the_next_upload_clears_what_a_killed_upload_left_in_its_folder(
    clock, rendered_image, admin_client, make_upload, django_capture_on_commit_callbacks
):
    left_behind = write_killed_upload(posixpath.dirname(rendered_image.file.name))
    clock.advance(hours=2)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:articles_image_add"), {
            "file": make_upload("quay.jpg"), "alt_text": "Boats at the quay",
            "credit": "Ana Ruiz / Courier", "licence": Licence.CC_BY, "_save": "Save",
        })

    assert response.status_code == 302
    uploaded = Image.objects.exclude(pk=rendered_image.pk).get()
    assert posixpath.dirname(uploaded.file.name) == posixpath.dirname(rendered_image.file.name)
    assert not any(default_storage.exists(name) for name in left_behind)
    for image in [rendered_image, uploaded]:
        assert all(default_storage.exists(name) for name in own_files(image))


def test_an_image_waiting_in_an_unfinished_form_is_kept_for_a_day(clock, db):
    waiting = default_storage.save("images/pending/tram.jpg", ContentFile(b"a picture"))
    clock.advance(hours=23)
    clean_media()
    assert default_storage.exists(waiting)

    clock.advance(hours=2)
    clean_media()
    assert not default_storage.exists(waiting)


def test_a_storage_that_cannot_list_its_files_is_left_alone(clock, rendered_image, monkeypatch):
    left_behind = write_killed_upload(posixpath.dirname(rendered_image.file.name))
    clock.advance(hours=2)

    def cannot_list(name):
        raise NotImplementedError

    monkeypatch.setattr(default_storage, "listdir", cannot_list)

    assert clean_media() == "Nothing removed: this storage cannot list its files.\n"
    assert all(default_storage.exists(name) for name in left_behind)
    assert delete_orphaned_files().removed == []


def test_a_wire_article_with_an_image_clears_its_folder_too(
    clock, rendered_image, section, tmp_path, make_upload, django_capture_on_commit_callbacks
):
    left_behind = write_killed_upload(posixpath.dirname(rendered_image.file.name))
    clock.advance(hours=2)
    wire_file = tmp_path / "quay.txt"
    wire_file.write_text(
        "Boats return to the quay\nThe quay at dawn. Photo by Ana Ruiz.\n"
        "The fishing fleet came home on Tuesday after a week at sea.\n",
        encoding="utf-8",
    )
    photo = tmp_path / "quay.jpg"
    photo.write_bytes(make_upload().read())

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_article", str(wire_file), section="city", image=str(photo), stdout=io.StringIO()
        )

    assert not any(default_storage.exists(name) for name in left_behind)
    assert all(default_storage.exists(name) for name in own_files(rendered_image))
