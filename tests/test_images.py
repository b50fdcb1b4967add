"""Images as editors upload them: judged by their content, kept clean, credited from their own
details, and never lost from under an article."""

import io
import re
import tracemalloc

import PIL.Image
import PIL.ImageFile
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from photo_files import (
    CAMERA_SERIAL,
    LOCATION_XMP,
    MAKER_NOTE,
    animation,
    comment_segment,
    iptc_segment,
    jpeg_claiming,
    jpeg_with_iptc,
    jpeg_with_xmp,
    phone_exif,
    phone_photo,
    plain,
    png_claiming,
    png_with_xmp,
    with_segment,
    xmp_packet,
)

from articles.images.details import licence_for_url, read_photo_details
from articles.images.renditions import make_renditions, rendition_names
from articles.images.uploads import PENDING_FOLDER, check_image_upload
from articles.models import Article, Image, Licence
from articles.publishing import publish

IMAGE_ADD = "admin:articles_image_add"
IMAGE_CHANGELIST = "admin:articles_image_changelist"

IPTC = {
    (2, 80): ["Ana Ruiz"],
    (2, 110): "Harbour Press",
    (2, 116): "© 2026 Harbour Press",
    (2, 120): "Trams at dawn on the harbour line.",
}
XMP = xmp_packet(
    creator=["Ana Ruiz", "Li Wei"],
    credit="Harbour Press",
    rights="© 2026 Ana Ruiz",
    description="Trams at dawn &amp; dusk.",
    alt_text="Two green trams side by side at a depot",
    web_statement="http://creativecommons.org/licenses/by-sa/4.0/deed.en",
)


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def image_data(file, **overrides):
    return {
        "file": file,
        "alt_text": "A green tram at the Eastgate depot",
        "caption": "The restored tram.",
        "credit": "Ana Ruiz / Courier",
        "credit_url": "",
        "licence": Licence.CC_BY,
        "copyright_notice": "",
        "source_url": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
        "_save": "Save",
        **overrides,
    }


EMPTY_DETAILS = {"alt_text": "", "caption": "", "credit": "", "licence": ""}


def stored_files(media_root):
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def decoded(path_or_bytes):
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    bitmap = PIL.Image.open(io.BytesIO(data))
    bitmap.load()
    return bitmap


def form_of(response):
    return response.context["adminform"].form


# The photo's own details fill in the form, for the editor to check.


def test_a_phone_photo_comes_back_with_its_credit_filled_in_and_is_not_uploaded_twice(
    admin_client, media_root, read_form
):
    """The first save fills the empty boxes from the file and stops; the second, with nothing
    but the editor's additions, keeps the image they uploaded the first time."""
    response = admin_client.post(
        reverse(IMAGE_ADD), image_data(upload(phone_photo()), **EMPTY_DETAILS)
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "We filled in the credit and copyright notice from the photo&#x27;s own details. "
        "Check them, then save again." in html
    )
    assert 'value="Ana Ruiz"' in html
    assert 'value="Copyright 2026 Ana Ruiz"' in html
    assert "Filled in from the photo — check it." in html
    assert set(form_of(response).errors) == {"__all__", "alt_text", "licence"}
    assert "We have your picture “photo.jpg”" in html
    assert Image.objects.count() == 0

    data = read_form(response, "image_form")
    data.update(alt_text="A red and blue test card", licence=Licence.CC_BY)
    response = admin_client.post(reverse(IMAGE_ADD), data)

    assert response.status_code == 302, form_of(response).errors
    image = Image.objects.get()
    assert image.credit == "Ana Ruiz"
    assert image.copyright_notice == "Copyright 2026 Ana Ruiz"
    assert image.caption == ""
    # Stored upright, from the image sent the first time; the waiting copy is gone.
    assert (image.width, image.height) == (40, 60)
    assert not list((media_root / PENDING_FOLDER).iterdir())


def test_iptc_by_line_credit_copyright_and_caption_fill_in_the_form(admin_client):
    response = admin_client.post(
        reverse(IMAGE_ADD),
        image_data(upload(jpeg_with_iptc(IPTC)), caption="", credit="", copyright_notice=""),
    )

    form = form_of(response)
    assert form.data["credit"] == "Ana Ruiz / Harbour Press"
    assert form.data["caption"] == "Trams at dawn on the harbour line."
    assert form.data["copyright_notice"] == "© 2026 Harbour Press"
    assert form.non_field_errors() == [
        "We filled in the caption, credit and copyright notice from the photo's own details. "
        "Check them, then save again."
    ]


def test_xmp_fills_in_the_alt_text_and_the_licence_from_its_web_address(admin_client):
    response = admin_client.post(
        reverse(IMAGE_ADD), image_data(upload(jpeg_with_xmp(XMP)), **EMPTY_DETAILS)
    )

    data = form_of(response).data
    assert data["alt_text"] == "Two green trams side by side at a depot"
    assert data["caption"] == "Trams at dawn & dusk."
    assert data["credit"] == "Ana Ruiz, Li Wei / Harbour Press"
    assert data["licence"] == Licence.CC_BY_SA
    assert set(form_of(response).errors) == {"__all__"}


def test_what_the_editor_typed_is_never_replaced(admin_client):
    response = admin_client.post(
        reverse(IMAGE_ADD),
        image_data(upload(jpeg_with_iptc(IPTC)), credit="Courier staff", caption=""),
    )

    data = form_of(response).data
    assert data["credit"] == "Courier staff"
    assert data["caption"] == "Trams at dawn on the harbour line."


def test_the_form_fills_in_once_so_an_editor_may_leave_a_box_empty(admin_client, read_form):
    """An editor who clears the suggested caption saves without a caption."""
    first = admin_client.post(
        reverse(IMAGE_ADD), image_data(upload(jpeg_with_iptc(IPTC)), caption="")
    )
    data = read_form(first, "image_form")
    data["caption"] = ""

    response = admin_client.post(reverse(IMAGE_ADD), data)

    assert response.status_code == 302, form_of(response).errors
    assert Image.objects.get().caption == ""


def test_a_photo_with_nothing_to_add_is_saved_at_once(admin_client):
    response = admin_client.post(reverse(IMAGE_ADD), image_data(upload(plain())))

    assert response.status_code == 302
    assert Image.objects.count() == 1


def test_the_owners_copyright_line_is_taken_without_stopping_the_save(admin_client):
    """Readers do not see it on the page, so it needs no second look; the editor is told."""
    response = admin_client.post(
        reverse(IMAGE_ADD), image_data(upload(phone_photo())), follow=True
    )

    assert Image.objects.get().copyright_notice == "Copyright 2026 Ana Ruiz"
    assert (
        "The copyright notice “Copyright 2026 Ana Ruiz” is the photo&#x27;s own."
        in response.content.decode()
    )


def test_a_form_with_another_error_keeps_the_image_for_the_next_try(admin_client, read_form):
    response = admin_client.post(
        reverse(IMAGE_ADD), image_data(upload(plain()), credit_url="javascript:alert(1)")
    )

    assert list(form_of(response).errors) == ["credit_url"]
    data = read_form(response, "image_form")
    data["credit_url"] = "https://example.org/ana-ruiz"
    response = admin_client.post(reverse(IMAGE_ADD), data)
    assert response.status_code == 302
    assert (Image.objects.get().width, Image.objects.get().height) == (64, 48)


def test_a_forged_waiting_image_is_ignored(admin_client, read_form):
    data = image_data("", pending_upload="images/2026/01/someone-elses.jpg")
    del data["file"]

    response = admin_client.post(reverse(IMAGE_ADD), data)

    assert form_of(response).errors["file"] == ["Choose a picture to upload."]
    assert Image.objects.count() == 0


@pytest.mark.parametrize(
    "content, name",
    [
        (jpeg_with_xmp(XMP), "photo.jpg"),
        (png_with_xmp(XMP), "chart.png"),
        (plain(image_format="WEBP", xmp=XMP), "photo.webp"),
    ],
    ids=["jpeg", "png", "webp"],
)
def test_xmp_is_read_from_jpeg_png_and_webp(content, name):
    details = read_photo_details(upload(content, name))

    assert details.credit == "Ana Ruiz, Li Wei / Harbour Press"
    assert details.copyright_notice == "© 2026 Ana Ruiz"
    assert details.licence == Licence.CC_BY_SA


def test_exif_gives_the_artist_and_copyright_but_not_a_cameras_boilerplate():
    details = read_photo_details(upload(phone_photo(description="OLYMPUS DIGITAL CAMERA")))

    assert details.credit == "Ana Ruiz"
    assert details.copyright_notice == "Copyright 2026 Ana Ruiz"
    assert details.description == ""


def test_xmp_wins_over_iptc_which_wins_over_exif():
    exif = PIL.Image.Exif()
    exif[PIL.ExifTags.Base.Artist] = "From EXIF"
    exif[PIL.ExifTags.Base.Copyright] = "Copyright EXIF"
    exif[PIL.ExifTags.Base.ImageDescription] = "Caption from EXIF"
    content = with_segment(
        plain(exif=exif, xmp=xmp_packet(credit="Agency from XMP")),
        iptc_segment({(2, 80): "Maker from IPTC", (2, 110): "Agency from IPTC"}),
    )

    details = read_photo_details(upload(content))

    assert details.credit_line == "Agency from XMP"
    assert details.creator == "Maker from IPTC"
    assert details.copyright_notice == "Copyright EXIF"
    assert details.description == "Caption from EXIF"
    assert details.credit == "Maker from IPTC / Agency from XMP"


def test_only_a_copyright_line_names_who_to_credit():
    details = read_photo_details(
        upload(jpeg_with_iptc({(2, 116): "© 2024–2026 Ana Ruiz. All rights reserved."}))
    )

    assert details.credit == "Ana Ruiz"


@pytest.mark.parametrize(
    "url, licence",
    [
        ("https://creativecommons.org/licenses/by/4.0/", Licence.CC_BY),
        ("http://creativecommons.org/licenses/by-sa/4.0/deed.en", Licence.CC_BY_SA),
        ("https://creativecommons.org/licenses/by-nd/4.0/legalcode", Licence.CC_BY_ND),
        ("http://www.creativecommons.org/publicdomain/zero/1.0", Licence.CC0),
        ("https://creativecommons.org/licenses/by-nc/4.0/", None),
        ("https://example.org/terms", None),
        ("", None),
    ],
)
def test_a_licence_web_address_is_matched_to_our_licences(url, licence):
    assert licence_for_url(url) == licence


@pytest.mark.parametrize(
    "packet",
    [
        xmp_packet(
            credit="&lol2;",
            doctype='<!DOCTYPE x [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
        ),
        b"<x:xmpmeta><rdf:RDF>not closed",
        b"\xff\xfe\x00garbage",
    ],
    ids=["entities", "unclosed", "garbage"],
)
def test_hostile_or_broken_xmp_is_ignored(admin_client, packet):
    """No entity is ever expanded, and nothing in an image's XMP can break the form."""
    response = admin_client.post(reverse(IMAGE_ADD), image_data(upload(jpeg_with_xmp(packet))))

    assert response.status_code == 302
    assert Image.objects.get().credit == "Ana Ruiz / Courier"


# Only whole images are accepted, and only as a clean copy.


def truncated(data):
    return data[: len(data) // 2]


def noisy_jpeg(size):
    """Random noise compresses badly, so most of the file is image data."""
    buffer = io.BytesIO()
    PIL.Image.effect_noise(size, 64).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def broken_crc_png():
    data = bytearray(plain((32, 32), image_format="PNG"))
    data[33 + 8 + 4] ^= 0xFF  # the first byte of the IDAT chunk's data
    return bytes(data)


BAD_UPLOADS = {
    "zero-bytes": (b"", "empty"),
    "html-named-jpg": (b"<!doctype html><html><script>alert(1)</script></html>", "not a picture"),
    "svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "not a picture",
    ),
    "jpeg-with-html-in-a-comment": (
        with_segment(plain(), comment_segment(b"<html><script>alert(1)</script></html>")),
        "web page code",
    ),
    "jpeg-with-a-page-after-it": (plain() + b"<script>alert(document.cookie)</script>",
                                  "web page code"),
    "gif-with-script": (
        plain(image_format="GIF", comment=b"<script>alert(1)</script>"), "web page code",
    ),
    "truncated-jpeg": (truncated(noisy_jpeg((320, 240))), "damaged or incomplete"),
    "truncated-png": (truncated(plain((200, 200), image_format="PNG")), "damaged or incomplete"),
    "corrupt-png": (broken_crc_png(), "damaged or incomplete"),
    "tiff": (plain(image_format="TIFF"), "This is a TIFF file"),
    "bmp": (plain(image_format="BMP"), "This is a BMP file"),
    "heic": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, "HEIC"),
}


@pytest.mark.parametrize("content, message", BAD_UPLOADS.values(), ids=BAD_UPLOADS.keys())
def test_every_bad_file_is_refused_with_a_message_and_nothing_is_kept(
    admin_client, media_root, content, message
):
    response = admin_client.post(reverse(IMAGE_ADD), image_data(upload(content)))

    assert response.status_code == 200
    errors = form_of(response).errors
    assert list(errors) == ["file"]
    assert message.lower() in " ".join(errors["file"]).lower()
    assert Image.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.fixture
def decoding_forbidden(monkeypatch):
    """Fail the test if any image is decoded."""

    def load(self):
        raise AssertionError("an image was decoded")

    monkeypatch.setattr(PIL.ImageFile.ImageFile, "load", load)


@pytest.mark.parametrize(
    "content",
    [png_claiming(64_000, 64_000), jpeg_claiming(60_000, 60_000), png_claiming(7_000, 7_000)],
    ids=["png-64000", "jpeg-60000", "png-7000"],
)
def test_a_tiny_file_claiming_a_huge_image_is_refused_without_decoding(
    decoding_forbidden, content
):
    """The pixel limit is read from the header: nothing is decoded and little memory is used."""
    assert len(content) < 2000
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match="megapixels"):
            check_image_upload(upload(content))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_the_pixel_limit_counts_every_frame_of_an_animation(settings):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 3_000  # one 40 × 30 frame is 1,200

    assert check_image_upload(upload(animation(frames=2), "spin.gif")) == "GIF"
    with pytest.raises(ValidationError, match="0.0036 megapixels; the limit is 0.003"):
        check_image_upload(upload(animation(frames=3), "spin.gif"))


HOSTILE_NAMES = [
    "../../../../etc/cron.d/photo.jpg",
    "..\\..\\windows\\photo.jpg",
    "a" * 600 + ".jpg",
    "photo\u202egpj.exe",
    "photo\x00.php.jpg",
    "photo",
    "photo.php",
    "<script>alert(1)</script>.jpg",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_file_name_changes_nothing_but_the_name_shown(admin_client, media_root, name):
    """A good image under any name is stored inside the media folder, named by us."""
    response = admin_client.post(reverse(IMAGE_ADD), image_data(upload(plain(), name)))

    assert response.status_code == 302, form_of(response).errors
    stored = Image.objects.get().file.name
    assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", stored)
    for path in stored_files(media_root):
        assert path.resolve().is_relative_to(media_root.resolve())


def test_a_hostile_name_is_shown_harmlessly_while_the_image_waits(admin_client):
    response = admin_client.post(
        reverse(IMAGE_ADD),
        image_data(
            upload(jpeg_with_iptc(IPTC), "<img src=x onerror=alert(1)>\u202e.jpg"), caption=""
        ),
    )

    html = response.content.decode()
    assert "<img src=x" not in html
    assert "We have your picture “&lt;img src=x onerror=alert(1)&gt;.jpg”" in html


def test_the_stored_name_follows_the_content_not_the_upload(admin_client):
    response = admin_client.post(
        reverse(IMAGE_ADD), image_data(upload(plain(image_format="PNG"), "photo.jpg"))
    )

    assert response.status_code == 302
    assert Image.objects.get().file.name.endswith(".png")


def test_gps_serial_numbers_and_maker_notes_are_stripped_from_everything_served(
    admin_client, media_root
):
    """The original is kept upright, with its credit and colour profile and nothing private;
    so is every rendition."""
    sent = phone_photo(size=(400, 600))
    assert CAMERA_SERIAL.encode() in sent and b"GPSLatitude" in sent

    admin_client.post(reverse(IMAGE_ADD), image_data(upload(sent)))

    image = Image.objects.get()
    files = stored_files(media_root)
    assert len(files) == 1 + len(rendition_names(image)) > 10
    for path in files:
        data = path.read_bytes()
        assert CAMERA_SERIAL.encode() not in data, path
        assert MAKER_NOTE not in data, path
        assert b"GPSLatitude" not in data, path
        stored = decoded(data)
        exif = stored.getexif()
        assert not exif.get_ifd(PIL.ExifTags.IFD.GPSInfo), path
        assert not exif.get_ifd(PIL.ExifTags.IFD.Exif), path
        # Upright: red on top, blue below, whatever the size or crop.
        width, height = stored.size
        if "renditions" not in path.parts or path.name.startswith("original-"):
            assert height > width, path
        red, _, blue = stored.convert("RGB").getpixel((width // 2, height // 8))
        assert red > 150 > blue, path
        red, _, blue = stored.convert("RGB").getpixel((width // 2, height - 1 - height // 8))
        assert blue > 150 > red, path
    original = decoded(media_root / image.file.name)
    assert (image.width, image.height) == original.size == (400, 600)
    assert original.getexif()[PIL.ExifTags.Base.Artist] == "Ana Ruiz"
    assert original.info.get("icc_profile")


def test_a_photo_that_needs_no_turning_is_stripped_too(admin_client, media_root):
    """Kept without re-compressing its pixels, but without its comment, XMP or camera EXIF."""
    sent = plain(
        (300, 200), exif=phone_exif(orientation=1), xmp=LOCATION_XMP,
        comment=f"Body {CAMERA_SERIAL}".encode(), quality=90,
    )

    admin_client.post(reverse(IMAGE_ADD), image_data(upload(sent)))

    data = (media_root / Image.objects.get().file.name).read_bytes()
    for secret in (CAMERA_SERIAL.encode(), MAKER_NOTE, b"GPSLatitude", b"Harbourphone"):
        assert secret not in data
    kept = decoded(data)
    assert kept.size == (300, 200)
    assert kept.getexif()[PIL.ExifTags.Base.Artist] == "Ana Ruiz"
    assert kept.quantization == decoded(sent).quantization


def test_an_animation_keeps_its_frames_and_timing(admin_client, media_root):
    admin_client.post(reverse(IMAGE_ADD), image_data(upload(animation(frames=3), "spin.gif")))

    stored = PIL.Image.open(media_root / Image.objects.get().file.name)
    durations = []
    for frame in range(stored.n_frames):
        stored.seek(frame)
        stored.load()
        durations.append(stored.info["duration"])
    assert durations == [120, 130, 140]


# An image an article uses cannot be deleted.


@pytest.fixture
def used_image(image, make_article):
    make_article("Night trams return", lead_image=image)
    make_article("Depot open day", lead_image=image)
    return image


def test_deleting_an_image_an_article_uses_is_refused_naming_the_articles(
    admin_client, used_image, media_root
):
    url = reverse("admin:articles_image_delete", args=[used_image.pk])

    page = admin_client.get(url).content.decode()
    response = admin_client.post(url, {"post": "yes"})

    assert "would require deleting the following protected related objects" in page
    assert "Night trams return" in page
    assert "Depot open day" in page
    assert response.status_code == 200
    assert Image.objects.filter(pk=used_image.pk).exists()
    assert (media_root / used_image.file.name).exists()


def test_the_bulk_delete_action_refuses_too(admin_client, used_image, make_upload):
    unused = Image.objects.create(
        file=make_upload(), alt_text="Boats", credit="Courier", licence=Licence.CC0
    )

    response = admin_client.post(
        reverse(IMAGE_CHANGELIST),
        {"action": "delete_selected", "_selected_action": [used_image.pk, unused.pk],
         "post": "yes"},
    )

    html = response.content.decode()
    assert "would require deleting the following protected related objects" in html
    assert "Night trams return" in html
    assert Image.objects.count() == 2


def test_an_image_no_article_uses_is_deleted_with_its_files(
    admin_client, image, media_root, django_capture_on_commit_callbacks
):
    make_renditions(image)
    assert len(stored_files(media_root)) > 1

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_an_image_given_a_new_file_keeps_no_copy_of_the_old_one(
    admin_client, image, media_root, make_upload, django_capture_on_commit_callbacks
):
    make_renditions(image)
    old_files = {image.file.name, *rendition_names(image)}

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:articles_image_change", args=[image.pk]),
            {
                "file": make_upload("new.jpg", size=(120, 80)), "alt_text": image.alt_text,
                "caption": image.caption, "credit": image.credit, "licence": image.licence,
                "focal_x": "0.5", "focal_y": "0.5", "_save": "Save",
            },
        )

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.width, image.height) == (120, 80)
    kept = {path.relative_to(media_root).as_posix() for path in stored_files(media_root)}
    assert kept == {image.file.name, *rendition_names(image)}
    assert not old_files & kept


def test_a_new_file_that_waited_for_a_corrected_form_replaces_the_old_one_too(
    admin_client, image, media_root, make_upload, read_form, django_capture_on_commit_callbacks
):
    make_renditions(image)
    old_files = {image.file.name, *rendition_names(image)}
    url = reverse("admin:articles_image_change", args=[image.pk])
    data = read_form(admin_client.get(url), "image_form")
    data.update(file=make_upload("new.jpg", size=(120, 80)), credit_url="javascript:alert(1)")
    waiting = admin_client.post(url, data)
    data = read_form(waiting, "image_form")
    data.update(credit_url="https://example.org/ana-ruiz", _save="Save")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.width, image.height) == (120, 80)
    kept = {path.relative_to(media_root).as_posix() for path in stored_files(media_root)}
    assert not old_files & kept


# The media library.


@pytest.fixture
def library(make_upload):
    images = [
        ("Trams at the depot", "Ana Ruiz / Courier", "A green tram", Licence.CC_BY),
        ("Ferry in fog", "Li Wei", "A ferry at the quay", Licence.ALL_RIGHTS_RESERVED),
        ("Council chamber", "Handout / Council", "Councillors voting", Licence.HANDOUT),
    ]
    return [
        Image.objects.create(
            file=make_upload(), caption=caption, credit=credit, alt_text=alt, licence=licence
        )
        for caption, credit, alt, licence in images
    ]


def listed(response):
    return sorted(image.caption for image in response.context["cl"].result_list)


def test_the_library_lists_thumbnails_with_credit_licence_and_usage(
    admin_client, library, make_article
):
    make_renditions(library[0])
    make_article(lead_image=library[0])

    html = admin_client.get(reverse(IMAGE_CHANGELIST)).content.decode()

    row = re.search(r"Trams at the depot.*?</tr>", html, re.S).group(0)
    assert "Ana Ruiz / Courier" in row
    assert "CC BY 4.0" in row
    assert '<td class="field-usage_count">1</td>' in row
    thumbnail = re.search(r'<img src="([^"]+)" alt="A green tram"', html).group(1)
    assert "/renditions/" in thumbnail and "/1x1-" in thumbnail


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=ferry", ["Ferry in fog"]),
        ("q=Ruiz", ["Trams at the depot"]),
        ("q=councillors", ["Council chamber"]),
        (f"licence__exact={Licence.HANDOUT}", ["Council chamber"]),
    ],
)
def test_the_library_searches_caption_credit_and_alt_text_and_filters_by_licence(
    admin_client, library, query, expected
):
    response = admin_client.get(f"{reverse(IMAGE_CHANGELIST)}?{query}")

    assert listed(response) == expected


def test_the_library_costs_the_same_queries_for_twenty_images(
    admin_client, make_upload, django_assert_max_num_queries
):
    def make(count):
        for number in range(count):
            Image.objects.create(
                file=make_upload(), caption=f"Picture {number}", credit="Courier",
                alt_text="A picture", licence=Licence.CC0,
            )

    # A session's first page records when it was last active; that write is not the list's.
    admin_client.get(reverse("admin:index"))
    make(1)
    with django_assert_max_num_queries(20) as one:
        admin_client.get(reverse(IMAGE_CHANGELIST))
    make(19)
    with django_assert_max_num_queries(20) as twenty:
        admin_client.get(reverse(IMAGE_CHANGELIST))
    assert len(twenty.captured_queries) == len(one.captured_queries)


def test_an_editor_picks_an_existing_image_by_its_credit(admin_client, library):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "Li Wei", "app_label": "articles", "model_name": "article",
         "field_name": "lead_image"},
    )

    assert [result["text"] for result in response.json()["results"]] == [
        "Ferry in fog (Li Wei)"
    ]


# An article goes out only with a credited, described lead image.


@pytest.fixture
def uncredited(make_upload):
    """An image from before credits were required, say, or made by a script."""
    return Image.objects.create(
        file=make_upload(), alt_text="", credit="", licence=Licence.CC0
    )


def test_publish_refuses_a_lead_image_without_credit_or_alt_text(make_article, uncredited):
    article = make_article(status=Article.Status.DRAFT, published_at=None, lead_image=uncredited)

    with pytest.raises(ValidationError) as refused:
        publish(article)

    assert refused.value.message_dict == {"lead_image": [
        "The lead picture has no credit and no alt text, so the story cannot be published. "
        "Add them to the picture first."
    ]}
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_the_article_form_says_why_it_cannot_publish(
    admin_client, section, uncredited, read_form
):
    page = admin_client.get(reverse("admin:articles_article_add"))
    data = read_form(page)
    data.update(headline="Night trams", slug="night-trams", section=section.pk,
                lead_image=uncredited.pk, status=Article.Status.PUBLISHED)

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "cannot be published" in " ".join(errors["lead_image"])
    assert not Article.objects.exists()
    data["status"] = Article.Status.DRAFT
    assert admin_client.post(reverse("admin:articles_article_add"), data).status_code == 302


def test_the_publish_action_names_what_it_could_not_publish(
    admin_client, make_article, uncredited, image
):
    blocked = make_article("Uncredited", status=Article.Status.DRAFT, lead_image=uncredited)
    ready = make_article("Credited", status=Article.Status.DRAFT, lead_image=image)

    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [blocked.pk, ready.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert "Published 1 article(s)." in html
    assert "Not published: “Uncredited”. The lead picture has no" in html
    blocked.refresh_from_db()
    ready.refresh_from_db()
    assert (blocked.status, ready.status) == (Article.Status.DRAFT, Article.Status.PUBLISHED)
