"""Renditions: every image readers get is a stored size and format made from the original once,
cropped around its focal point, and served with its credit and licence."""

import io
import json
import logging
import re
from io import StringIO

import feedparser
import PIL.Image
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from photo_files import GPS_LATITUDE, encode, phone_photo, plain

from articles.images import renditions
from articles.images.renditions import (
    CROPS,
    HAS_AVIF,
    PUBLIC_FORMATS,
    crop_box,
    make_renditions,
    rendition_names,
    stale_crops,
)
from articles.models import Article, Image, Licence
from articles.views import HomeView

pytestmark = pytest.mark.django_db

PILLOW_FORMATS = {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG"}


@pytest.fixture
def photo(make_upload):
    """A landscape photo, 2000 × 1500, with renditions made."""
    image = Image.objects.create(
        file=make_upload("harbour.jpg", size=(2000, 1500)),
        alt_text="The harbour at dusk",
        caption="The harbour at dusk, from the lighthouse.",
        credit="Ana Ruiz / Courier",
        credit_url="https://example.org/ana-ruiz",
        licence=Licence.CC_BY,
    )
    make_renditions(image)
    return image


def stored(image, name):
    with image.file.storage.open(name, "rb") as file:
        opened = PIL.Image.open(io.BytesIO(file.read()))
        opened.load()
        return opened


def files_of(image, crop):
    return image.renditions[crop]["files"]


def test_each_crop_is_made_in_every_width_and_format_it_lists(photo):
    expected = {
        "original": [(width, width * 3 // 4) for width in (320, 640, 960, 1280, 1600)],
        "16x9": [(width, width * 9 // 16) for width in (320, 640, 960, 1280)],
        "4x3": [(320, 240), (640, 480), (1200, 900)],
        "1x1": [(160, 160), (320, 320), (1200, 1200)],
    }
    for crop, sizes in expected.items():
        made = {(file["format"], file["width"], file["height"]) for file in files_of(photo, crop)}
        assert made == {
            (image_format, width, height)
            for image_format in CROPS[crop].formats
            for width, height in sizes
        }, crop
        for file in files_of(photo, crop):
            bitmap = stored(photo, file["name"])
            assert bitmap.format == PILLOW_FORMATS[file["format"]]
            assert bitmap.size == (file["width"], file["height"])
            assert file["bytes"] == photo.file.storage.size(file["name"])


def test_pages_get_avif_when_this_pillow_writes_it_and_always_webp_and_jpeg():
    assert PUBLIC_FORMATS == (("avif",) if HAS_AVIF else ()) + ("webp", "jpeg")


def test_a_small_image_is_never_enlarged(image):
    """160 × 90: one rendition per crop, at the image's own size or less."""
    make_renditions(image)

    for crop in CROPS:
        widths = {file["width"] for file in files_of(image, crop)}
        assert len(widths) == 1 and max(widths) <= 160, crop
    assert {(file["width"], file["height"]) for file in files_of(image, "1x1")} == {(90, 90)}


def test_renditions_are_made_once(photo, monkeypatch):
    monkeypatch.setattr(renditions, "render_renditions", pytest.fail)

    assert make_renditions(photo) == []
    assert stale_crops(photo, check_storage=True) == []


@pytest.mark.parametrize("size", [(2000, 1500), (1500, 2000), (1600, 900), (999, 1000)])
@pytest.mark.parametrize(
    "focal", [(0.5, 0.5), (0, 0), (1, 1), (0, 1), (1, 0), (0.03, 0.97), (0.9, 0.2), (0.5, 0.999)]
)
@pytest.mark.parametrize("ratio", [(16, 9), (4, 3), (1, 1)])
def test_a_crop_always_keeps_the_focal_point_inside(size, focal, ratio):
    left, top, right, bottom = crop_box(size, ratio, focal)
    width, height = size

    assert 0 <= left < right <= width and 0 <= top < bottom <= height
    assert abs((right - left) / (bottom - top) - ratio[0] / ratio[1]) < 0.01
    assert left <= focal[0] * width <= right
    assert top <= focal[1] * height <= bottom


def test_the_crops_show_what_is_at_the_focal_point(make_upload):
    """A red dot near the left edge of a wide image is in every crop made around it."""
    canvas = PIL.Image.new("RGB", (1600, 600), (230, 230, 230))
    canvas.paste((220, 20, 20), (80, 260, 160, 340))
    image = Image.objects.create(
        file=SimpleUploadedFile("wide.png", encode(canvas, "PNG")),
        alt_text="A dot", credit="Courier", licence=Licence.CC0,
        focal_x=120 / 1600, focal_y=0.5,
    )
    make_renditions(image)

    for crop in ("16x9", "4x3", "1x1"):
        file = next(file for file in files_of(image, crop) if file["format"] == "jpeg")
        shown = stored(image, file["name"]).convert("RGB")
        reds = [pixel for pixel in shown.get_flattened_data() if pixel[0] > 180 and pixel[1] < 80]
        assert reds, f"the {crop} crop lost the dot"


def test_moving_the_focal_point_makes_new_crops_and_keeps_the_uncropped_ones(
    admin_client, photo, django_capture_on_commit_callbacks
):
    before = {crop: [file["name"] for file in files_of(photo, crop)] for crop in CROPS}
    url = reverse("admin:articles_image_change", args=[photo.pk])
    data = {
        "alt_text": photo.alt_text, "caption": photo.caption, "credit": photo.credit,
        "credit_url": photo.credit_url, "licence": photo.licence, "copyright_notice": "",
        "source_url": "", "focal_x": "0.1", "focal_y": "0.9", "_save": "Save",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.1, 0.9)
    assert [file["name"] for file in files_of(photo, "original")] == before["original"]
    storage = photo.file.storage
    for crop in ("16x9", "4x3", "1x1"):
        after = [file["name"] for file in files_of(photo, crop)]
        assert not set(after) & set(before[crop]), crop
        assert all(storage.exists(name) for name in after)
        assert not any(storage.exists(name) for name in before[crop])


# On the page.


def picture_html(html, container):
    match = re.search(rf'<figure class="{container}">\s*(<picture>.*?</picture>)', html, re.S)
    assert match, f"no <picture> in {container}"
    return match.group(1)


def srcset_widths(srcset):
    return [int(width) for width in re.findall(r" (\d+)w", srcset)]


def test_the_article_page_serves_a_responsive_picture_of_the_lead_image(
    client, make_article, photo
):
    article = make_article(lead_image=photo)

    html = client.get(article.get_absolute_url()).content.decode()

    picture = picture_html(html, "lead-image")
    sources = dict(re.findall(r'<source type="([^"]+)" srcset="([^"]+)"', picture))
    expected_types = [f"image/{name}" for name in PUBLIC_FORMATS if name != "jpeg"]
    assert list(sources) == expected_types
    for srcset in sources.values():
        assert srcset_widths(srcset) == [320, 640, 960, 1280, 1600]
    image = re.search(r"<img [^>]+>", picture).group(0)
    assert srcset_widths(re.search(r'srcset="([^"]+)"', image).group(1)) == [
        320, 640, 960, 1280, 1600,
    ]
    assert re.search(r'src="[^"]+/original-960-\w+\.jpg"', image)
    assert 'width="1600" height="1200"' in image
    assert 'loading="eager" fetchpriority="high"' in image
    assert 'sizes="(min-width: 60rem) 52rem' in image
    assert 'alt="The harbour at dusk"' in image
    assert photo.file.url not in picture
    caption = re.search(r"<figcaption>.*?</figcaption>", html, re.S).group(0)
    assert "The harbour at dusk, from the lighthouse." in caption
    assert '<a href="https://example.org/ana-ruiz">Ana Ruiz / Courier</a>' in caption
    assert '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in (
        caption
    )


def test_cards_show_the_16_9_crop_lazily_with_the_credit(client, make_article, photo):
    make_article("Lead story", lead_image=photo)
    make_article("Second story", lead_image=photo)

    html = client.get("/").content.decode()

    lead, second = re.findall(r'<figure class="card-image">.*?</figure>', html, re.S)
    assert 'loading="eager" fetchpriority="high"' in lead
    assert 'loading="lazy"' in second and "fetchpriority" not in second
    for card in (lead, second):
        assert re.search(r'src="[^"]+/16x9-960-\w+\.jpg"', card)
        assert 'width="1280" height="720"' in card
        assert srcset_widths(re.search(r'<img [^>]*srcset="([^"]+)"', card).group(1)) == [
            320, 640, 960, 1280,
        ]
        assert "Credit: Ana Ruiz / Courier (CC BY 4.0)" in card


def test_a_page_view_never_decodes_an_image(client, make_article, photo, monkeypatch):
    article = make_article(lead_image=photo)

    def refuse(*args, **kwargs):
        raise AssertionError("a page view opened an image")

    monkeypatch.setattr(PIL.Image, "open", refuse)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200
    assert client.get(reverse("articles:feed_rss")).status_code == 200


def test_an_image_without_renditions_is_served_as_it_is_and_the_log_says_so(
    client, make_article, image, caplog
):
    article = make_article(lead_image=image)

    with caplog.at_level(logging.WARNING, logger="articles.images.renditions"):
        html = client.get(article.get_absolute_url()).content.decode()

    assert f'src="{image.file.url}"' in html
    assert 'width="160" height="90"' in html
    assert f"Image {image.pk} has no original renditions" in caplog.text
    assert Image.objects.get().renditions == {}


def test_a_replaced_file_is_not_served_old_renditions(client, make_article, photo, make_upload):
    article = make_article(lead_image=photo)
    photo.file = make_upload("other.jpg", size=(300, 200))
    photo.save()

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'src="{photo.file.url}"' in html
    assert "/renditions/" not in picture_html(html, "lead-image")


# In the feeds.


@pytest.mark.parametrize("name", ["articles:feed_rss", "articles:feed_atom"])
def test_feeds_carry_a_large_jpeg_rendition_with_credit_copyright_and_licence(
    client, make_article, photo, name
):
    make_article(lead_image=photo)

    response = client.get(reverse(name))
    parsed = feedparser.parse(response.content)
    xml = response.content.decode()

    assert parsed.bozo == 0
    (media,) = parsed.entries[0].media_content
    assert re.fullmatch(r"http://testserver/media/.+/original-1280-\w+\.jpg", media["url"])
    assert (media["type"], media["width"], media["height"]) == ("image/jpeg", "1280", "960")
    (thumbnail,) = parsed.entries[0].media_thumbnail
    assert "/16x9-640-" in thumbnail["url"]
    assert parsed.entries[0].media_credit[0]["content"] == "Ana Ruiz / Courier"
    assert "<media:copyright>© Ana Ruiz / Courier</media:copyright>" in xml
    licence = re.search(r"<media:license [^>]+>CC BY 4.0</media:license>", xml).group(0)
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in licence


@pytest.mark.parametrize(
    "licence, notice, expected",
    [
        (Licence.CC_BY, "", "© Ana Ruiz"),
        (Licence.ALL_RIGHTS_RESERVED, "© 2026 Ana Ruiz", "© 2026 Ana Ruiz"),
        (Licence.CC0, "", "No rights reserved (Ana Ruiz, CC0 1.0)"),
        (Licence.PUBLIC_DOMAIN, "", "Public domain (Ana Ruiz)"),
    ],
)
def test_the_copyright_line_is_the_owners_own_or_follows_the_licence(licence, notice, expected):
    image = Image(credit="Ana Ruiz", licence=licence, copyright_notice=notice)

    assert image.copyright_line == expected


# Queries.


def test_a_listing_of_twenty_images_costs_no_more_queries_than_one(
    client, make_article, make_upload, django_assert_num_queries, monkeypatch
):
    """Renditions travel on the image's own row: the listing's queries stay the same."""
    monkeypatch.setattr(HomeView, "paginate_by", 20)

    def illustrated_article():
        image = Image.objects.create(
            file=make_upload(size=(400, 300)), alt_text="A picture", credit="Courier",
            licence=Licence.CC0,
        )
        make_renditions(image)
        make_article(lead_image=image)

    illustrated_article()
    # articles with their images, bylines, navigation sections (nothing counts the articles)
    with django_assert_num_queries(3):
        response = client.get("/")
    assert response.content.decode().count("<picture>") == 1
    for _ in range(19):
        illustrated_article()
    with django_assert_num_queries(3):
        response = client.get("/")
    assert response.content.decode().count("<picture>") == 20
    assert response.content.decode().count("/renditions/") >= 20 * 3


# Making them: when images are saved, and on demand.


def test_the_command_makes_missing_renditions_with_a_progress_bar(make_upload):
    images = [
        Image.objects.create(
            file=make_upload(size=(400, 300)), alt_text="A picture", credit="Courier",
            licence=Licence.CC0,
        )
        for _ in range(3)
    ]
    out, err = StringIO(), StringIO()

    call_command("make_renditions", stdout=out, stderr=err)

    assert "[" + "#" * 30 + "] 3/3 pictures" in err.getvalue()
    assert "for 3 of 3 pictures; 0 already had theirs" in out.getvalue()
    for image in images:
        image.refresh_from_db()
        assert stale_crops(image, check_storage=True) == []

    # Again: nothing to do, until a file goes missing from storage.
    out = StringIO()
    call_command("make_renditions", stdout=out, stderr=StringIO())
    assert "Made 0 rendition files for 0 of 3 pictures; 3 already had theirs." in out.getvalue()
    lost = images[0]
    lost.file.storage.delete(lost.renditions["16x9"]["files"][0]["name"])
    out = StringIO()
    call_command("make_renditions", stdout=out, stderr=StringIO())
    assert "for 1 of 3 pictures" in out.getvalue()
    assert len(rendition_names(Image.objects.get(pk=lost.pk))) == len(rendition_names(lost))


def test_the_command_names_an_image_whose_file_is_gone_and_carries_on(make_upload):
    gone, kept = (
        Image.objects.create(
            file=make_upload(size=(400, 300)), alt_text="A picture", credit="Courier",
            licence=Licence.CC0,
        )
        for _ in range(2)
    )
    gone.file.storage.delete(gone.file.name)

    with pytest.raises(CommandError) as failed:
        call_command("make_renditions", stdout=StringIO(), stderr=StringIO())

    assert str(failed.value).startswith(f"1 picture(s) could not be read:\npicture {gone.pk} (")

    kept.refresh_from_db()
    assert stale_crops(kept, check_storage=True) == []


def test_the_command_remakes_everything_with_all(photo):
    out = StringIO()

    call_command("make_renditions", "--all", stdout=out, stderr=StringIO())

    assert f"Made {len(rendition_names(photo))} rendition files for 1 of 1 pictures" in (
        out.getvalue()
    )


def test_the_demo_newsroom_comes_with_its_renditions(demo_newsroom):
    for image in Image.objects.all():
        assert stale_crops(image, check_storage=True) == [], image


def test_an_imported_wire_image_comes_with_its_renditions(section, tmp_path):
    from articles.wire import import_wire_article

    path = tmp_path / "photo.jpg"
    path.write_bytes(plain((800, 600)))
    article = import_wire_article(
        "Trams return\nThe depot. Photo: Ana Ruiz under CC BY.\nA paragraph of text here.",
        section_slug=section.slug, image_path=path,
    )

    assert stale_crops(article.lead_image, check_storage=True) == []


# Done when: a phone photo goes from the editor's upload to the reader, upright and credited.


def test_a_phone_photo_reaches_readers_upright_credited_and_without_its_location(
    admin_client, client, section, read_form
):
    response = admin_client.post(
        reverse("admin:articles_image_add"),
        {"file": SimpleUploadedFile("IMG_2041.jpg", phone_photo(size=(1200, 1600))),
         "alt_text": "", "caption": "", "credit": "", "licence": "", "_save": "Save"},
    )
    data = read_form(response, "image_form")
    assert data["credit"] == "Ana Ruiz"
    data.update(alt_text="A red and blue test card", licence=Licence.CC_BY)
    assert admin_client.post(reverse("admin:articles_image_add"), data).status_code == 302
    image = Image.objects.get()

    article_data = read_form(admin_client.get(reverse("admin:articles_article_add")))
    article_data.update(headline="Night trams", slug="night-trams", section=section.pk,
                        lead_image=image.pk, status=Article.Status.PUBLISHED)
    assert admin_client.post(reverse("admin:articles_article_add"), article_data).status_code == 302
    article = Article.objects.get()

    html = client.get(article.get_absolute_url()).content.decode()
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)"', html).group(1)
    assert srcset_widths(webp) == [320, 640, 960]
    url = webp.split(", ")[-1].split(" ")[0]
    served = stored(image, url.removeprefix("/media/"))
    assert served.format == "WEBP"
    assert served.size == (960, 1280)
    assert served.convert("RGB").getpixel((480, 100))[0] > 150  # red on top: upright
    assert not served.getexif().get_ifd(PIL.ExifTags.IFD.GPSInfo)
    assert str(GPS_LATITUDE[2]).encode() not in image.file.read()
    caption = re.search(r"<figcaption>.*?</figcaption>", html, re.S).group(0)
    assert "Ana Ruiz" in caption and "CC BY 4.0" in caption

    feed = client.get(reverse("articles:feed_rss")).content.decode()
    assert "<media:credit role=\"author\">Ana Ruiz</media:credit>" in feed
    assert "CC BY 4.0</media:license>" in feed
    assert "<media:copyright>Copyright 2026 Ana Ruiz</media:copyright>" in feed

    structured = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    images = [data["image"] for data in structured if isinstance(data, dict) and "image" in data]
    assert images and images[0]["creditText"] == "Ana Ruiz"
    assert images[0]["license"] == "https://creativecommons.org/licenses/by/4.0/"
