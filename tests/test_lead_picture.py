"""The lead picture, picked or uploaded in the article form: the dialog's pieces as a writer and
an editor reach them, the picture already in the library, the references' order and the form's
own navigation.

A colleague's draft is the secret: its picture must never be offered, shown, matched as a
duplicate or pickable by a forged id.
"""

import io
import re
from datetime import timedelta

import PIL.Image
import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from makers import image_bytes
from photo_files import encode, two_tone

from articles.models import Article, Image, Licence, Reference

pytestmark = pytest.mark.django_db

SECRET_CAPTION = "The mayor leaving the harbour office by the back door."
DIALOG = "admin:articles_article_lead_image_dialog"
CHOICES = "admin:articles_article_lead_image_choices"
CARD = "admin:articles_article_lead_image_card"
UPLOAD = "admin:articles_article_lead_image_upload"


def photo(colour=(30, 120, 200), size=(120, 80)):
    """A JPEG of two colours: its pixels are its own among the tests' plain pictures."""
    bitmap = two_tone(size, top=colour, bottom=(250, 240, 10))
    return encode(bitmap, "JPEG", quality=90)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def uploaded(make_upload, data, name="photo.jpg"):
    return make_upload(name, content=data)


@pytest.fixture
def library(people, make_article, make_upload):
    """The writer's own picture, an editor's unused one, one on a published story, and the
    secret: a colleague's picture that only their draft uses."""

    def picture(caption, credit, uploader, colour, alt_text="A picture"):
        return Image.objects.create(
            file=uploaded(make_upload, photo(colour), f"{colour[0]}.jpg"), alt_text=alt_text,
            caption=caption, credit=credit, licence=Licence.CC_BY, uploaded_by=uploader,
        )

    secret = picture(SECRET_CAPTION, "Kit Mensah / Courier", people["other_writer"], (10, 10, 10))
    make_article(
        "Mayor to resign", status=Article.Status.DRAFT, published_at=None,
        created_by=people["other_writer"], lead_image=secret,
    )
    ferry = picture("The ferry at Pier 3", "Oskar Varga / Courier", people["editor"],
                    (40, 60, 110), alt_text="A white ferry at dusk")
    tram = picture("Night tram at Eastgate", "Ana Ruiz / Courier", people["writer"], (0, 140, 60))
    market = picture("Market Street on a Saturday", "Lena Park", people["editor"],
                     (200, 30, 30), alt_text="Stalls under awnings")
    make_article("Market Street goes car-free", lead_image=market)
    own = make_article(
        "Night trams return on Fridays", status=Article.Status.DRAFT, published_at=None,
        created_by=people["writer"],
    )
    return {"secret": secret, "ferry": ferry, "tram": tram, "market": market, "own": own}


def digests_filled():
    """The pictures made above with Image.objects.create carry no digest until the command
    that fills them in has run, as after an upgrade."""
    call_command("fill_image_digests", stdout=io.StringIO(), stderr=io.StringIO())


# The form shows the chosen picture.


def test_the_form_shows_the_chosen_picture_with_its_thumbnail_credit_and_licence(
    people, library
):
    article = library["own"]
    article.lead_image = library["tram"]
    article.save()

    html = signed_in(people["writer"]).get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()

    assert f'data-lead-image-card data-image-id="{library["tram"].pk}"' in html
    assert "Credit: Ana Ruiz / Courier" in html
    assert "Licence: CC BY 4.0" in html
    assert 'class="thumbnail"' in html
    assert "Choose or upload a picture" in html
    # The picture is no longer added in a pop-up window.
    assert "add_id_lead_image" not in html


def test_a_forged_picture_in_a_returned_form_shows_no_card_of_it(people, library, read_form):
    client = signed_in(people["writer"])
    url = reverse("admin:articles_article_change", args=[library["own"].pk])
    data = read_form(client.get(url))
    data.update(lead_image=str(library["secret"].pk), _save="Save")

    response = client.post(url, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in html
    assert SECRET_CAPTION not in html
    assert "No picture chosen." in html


# The dialog's list and search.


def test_the_dialog_offers_a_writer_the_pictures_they_may_use_and_no_other(people, library):
    html = signed_in(people["writer"]).get(reverse(DIALOG)).content.decode()

    for name in ("ferry", "tram", "market"):
        assert f'data-pick="{library[name].pk}"' in html
    assert f'data-pick="{library["secret"].pk}"' not in html
    assert SECRET_CAPTION not in html
    assert "Upload a new picture" in html


def test_the_dialog_offers_an_editor_every_picture(people, library):
    html = signed_in(people["editor"]).get(reverse(DIALOG)).content.decode()

    for name in ("secret", "ferry", "tram", "market"):
        assert f'data-pick="{library[name].pk}"' in html


@pytest.mark.parametrize("query, found", [
    ("ferry", "ferry"),  # the caption
    ("awnings", "market"),  # the alt text
    ("ruiz", "tram"),  # the credit
    ("tram eastgate", "tram"),  # every word, in any field
])
def test_the_search_finds_pictures_by_caption_alt_text_or_credit(people, library, query, found):
    html = signed_in(people["writer"]).get(reverse(CHOICES), {"q": query}).content.decode()

    picked = {name for name in ("ferry", "tram", "market") if
              f'data-pick="{library[name].pk}"' in html}
    assert picked == {found}


def test_a_search_for_the_secret_pictures_words_finds_nothing_for_a_writer(people, library):
    html = signed_in(people["writer"]).get(
        reverse(CHOICES), {"q": "mayor back door"}
    ).content.decode()

    assert "data-pick=" not in html
    assert "No picture matches “mayor back door”" in html


def test_the_list_comes_in_pages_of_24(people, make_upload):
    for number in range(30):
        Image.objects.create(
            file=uploaded(make_upload, image_bytes()), alt_text=f"Picture {number}",
            credit="Desk", licence=Licence.CC0,
        )
    client = signed_in(people["editor"])

    first = client.get(reverse(CHOICES)).content.decode()
    second = client.get(reverse(CHOICES), {"page": "2"}).content.decode()

    assert first.count("data-pick=") == 24
    assert 'data-more="2"' in first
    assert second.count("data-pick=") == 6
    assert "data-more=" not in second


def test_the_list_costs_the_same_few_queries_however_many_pictures(
    people, make_upload, django_assert_max_num_queries
):
    for number in range(24):
        Image.objects.create(
            file=uploaded(make_upload, image_bytes()), alt_text=f"Picture {number}",
            credit="Desk", licence=Licence.CC0,
        )
    client = signed_in(people["writer"])
    client.get(reverse(CHOICES))  # the session and permissions, read once

    with django_assert_max_num_queries(6):
        response = client.get(reverse(CHOICES), {"q": "picture"})

    assert response.content.decode().count("data-pick=") == 24


@pytest.mark.parametrize("value", ["abc", "15.0", "99999999999999999999", "", "-1"])
def test_a_card_asked_for_a_forged_id_is_not_found(people, library, value):
    response = signed_in(people["writer"]).get(reverse(CARD), {"id": value})

    assert response.status_code in (400, 404)


def test_a_writer_gets_no_card_of_the_secret_picture(people, library):
    response = signed_in(people["writer"]).get(reverse(CARD), {"id": library["secret"].pk})

    assert response.status_code == 404
    assert SECRET_CAPTION not in response.content.decode()


def test_a_card_names_the_picture_its_credit_and_licence(people, library):
    response = signed_in(people["writer"]).get(reverse(CARD), {"id": library["ferry"].pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert "The ferry at Pier 3" in html
    assert "Credit: Oskar Varga / Courier" in html
    assert "Licence: CC BY 4.0" in html


def test_the_dialog_is_for_staff_who_write_articles(people, library, make_staff):
    reader_of_sections = make_staff("intern")
    reader_of_sections.user_permissions.set(
        Permission.objects.filter(codename__in=["view_section", "view_image"])
    )
    for name in (DIALOG, CHOICES, CARD, UPLOAD):
        assert signed_in(reader_of_sections).get(reverse(name)).status_code == 403
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_a_user_who_may_not_add_pictures_is_offered_no_upload(people, library, make_staff):
    user = make_staff("picker")
    user.user_permissions.set(Permission.objects.filter(
        content_type__app_label="articles",
        codename__in=["add_article", "change_article", "view_article", "view_image"],
    ))
    client = signed_in(user)

    assert "Upload a new picture" not in client.get(reverse(DIALOG)).content.decode()
    response = client.post(reverse(UPLOAD), {})
    assert response.status_code == 403


# Uploading in the dialog.


def upload_data(make_upload, data=None, **fields):
    values = {
        "file": uploaded(make_upload, data or photo((90, 20, 160)), "harbour-star.jpg"),
        "alt_text": "A white ferry leaving the quay", "caption": "The Harbour Star",
        "credit": "Oskar Varga / Courier", "licence": "cc-by-4.0",
    }
    values.update(fields)
    return {name: value for name, value in values.items() if value is not None}


def test_a_writer_uploads_a_picture_and_gets_its_card(people, library, make_upload):
    response = signed_in(people["writer"]).post(reverse(UPLOAD), upload_data(make_upload))

    assert response.status_code == 201
    image = Image.objects.get(caption="The Harbour Star")
    assert image.uploaded_by == people["writer"]
    assert image.pixel_digest
    assert image.renditions  # made now, as the image admin makes them
    html = response.content.decode()
    assert f'data-image-id="{image.pk}"' in html
    assert "Credit: Oskar Varga / Courier" in html


@pytest.mark.parametrize("missing, message", [
    ("credit", "This field is required"),
    ("licence", "This field is required"),
    ("alt_text", "This field is required"),
    ("file", "Choose a picture to upload."),
])
def test_an_upload_without_what_a_picture_needs_comes_back_with_the_error(
    people, library, make_upload, missing, message
):
    data = upload_data(make_upload, **{missing: None})

    response = signed_in(people["writer"]).post(reverse(UPLOAD), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.filter(caption="The Harbour Star").exists()


def test_a_file_that_is_not_a_picture_is_refused_as_in_the_image_admin(
    people, library, make_upload
):
    data = upload_data(make_upload, file=make_upload("notes.jpg", content=b"not a picture"))

    response = signed_in(people["writer"]).post(reverse(UPLOAD), data)

    assert response.status_code == 200
    assert "This file is not a picture" in response.content.decode()


def test_an_upload_that_waits_for_a_missing_credit_is_not_uploaded_twice(
    people, library, make_upload
):
    client = signed_in(people["writer"])
    first = client.post(reverse(UPLOAD), upload_data(make_upload, credit=None))
    token = first.context["upload_form"]["pending_upload"].value()
    assert token

    data = upload_data(make_upload, file=None, credit="Oskar Varga / Courier")
    response = client.post(reverse(UPLOAD), {**data, "pending_upload": token})

    assert response.status_code == 201
    assert Image.objects.filter(caption="The Harbour Star").count() == 1


# The same photo twice.


def test_uploading_a_photo_already_in_the_library_warns_and_names_it(
    people, library, make_upload
):
    digests_filled()
    same = photo((40, 60, 110))  # the ferry's pixels, under another name
    client = signed_in(people["writer"])

    response = client.post(reverse(UPLOAD), upload_data(make_upload, same))

    html = response.content.decode()
    assert response.status_code == 200
    assert "This photo is already in the library" in html
    assert "The ferry at Pier 3" in html
    assert "Credit: Oskar Varga / Courier" in html
    assert f'data-pick="{library["ferry"].pk}"' in html  # "Use this picture"
    assert 'class="thumbnail"' in html
    assert 'type="checkbox" name="upload_anyway"' in html
    assert not Image.objects.filter(caption="The Harbour Star").exists()

    # Uploading anyway, with the file that waited.
    token = response.context["upload_form"]["pending_upload"].value()
    data = upload_data(make_upload, file=None, upload_anyway="on", pending_upload=token)
    again = client.post(reverse(UPLOAD), data)

    assert again.status_code == 201
    copy = Image.objects.get(caption="The Harbour Star")
    # A third time, both are named.
    third = client.post(reverse(UPLOAD), upload_data(make_upload, same))
    assert third.status_code == 200
    assert {image.pk for image in third.context["upload_form"].duplicates} == {
        library["ferry"].pk, copy.pk
    }


def test_the_same_photo_as_a_png_is_the_same_photo(people, library, make_upload):
    digests_filled()
    ferry = Image.objects.get(pk=library["ferry"].pk)
    with ferry.file.open("rb") as stored:
        as_png = encode(PIL.Image.open(stored).convert("RGB"), "PNG")

    response = signed_in(people["editor"]).post(
        reverse(UPLOAD), upload_data(make_upload, as_png)
    )

    assert "This photo is already in the library" in response.content.decode()


def test_a_different_photo_is_no_duplicate(people, library, make_upload):
    digests_filled()
    response = signed_in(people["writer"]).post(
        reverse(UPLOAD), upload_data(make_upload, photo((120, 200, 20)))
    )

    assert response.status_code == 201


def test_a_duplicate_of_the_secret_picture_tells_a_writer_nothing(people, library, make_upload):
    """The writer may not know the colleague's picture exists: their upload simply goes in."""
    digests_filled()
    response = signed_in(people["writer"]).post(
        reverse(UPLOAD), upload_data(make_upload, photo((10, 10, 10)))
    )

    assert response.status_code == 201
    assert SECRET_CAPTION not in response.content.decode()


def test_an_editor_is_warned_of_a_duplicate_of_any_picture(people, library, make_upload):
    digests_filled()
    response = signed_in(people["editor"]).post(
        reverse(UPLOAD), upload_data(make_upload, photo((10, 10, 10)))
    )

    assert response.status_code == 200
    assert SECRET_CAPTION in response.content.decode()


def test_the_image_admin_warns_of_a_duplicate_and_uploads_anyway(people, library, make_upload):
    digests_filled()
    client = signed_in(people["editor"])
    data = {**upload_data(make_upload, photo((0, 140, 60))), "focal_x": "0.5",
            "focal_y": "0.5", "_save": "Save"}

    response = client.post(reverse("admin:articles_image_add"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "This photo is already in the library: “Night tram at Eastgate”, credit Ana Ruiz" in html
    change_url = reverse("admin:articles_image_change", args=[library["tram"].pk])
    assert f'href="{change_url}" class="duplicate-of"' in html
    token = response.context["adminform"].form["pending_upload"].value()

    data.update(file="", pending_upload=token, upload_anyway="on")
    saved = client.post(reverse("admin:articles_image_add"), data)

    assert saved.status_code == 302
    assert Image.objects.filter(caption="The Harbour Star").count() == 1


def test_replacing_a_pictures_file_with_the_same_file_is_no_duplicate_of_itself(
    people, library, make_upload
):
    digests_filled()
    tram = library["tram"]
    data = {
        "file": uploaded(make_upload, photo((0, 140, 60))), "alt_text": tram.alt_text,
        "caption": tram.caption, "credit": tram.credit, "licence": tram.licence,
        "focal_x": "0.5", "focal_y": "0.5", "_save": "Save",
    }

    response = signed_in(people["editor"]).post(
        reverse("admin:articles_image_change", args=[tram.pk]), data
    )

    assert response.status_code == 302


def test_the_fill_command_records_each_pictures_digest_once(library):
    assert Image.objects.filter(pixel_digest="").count() == 4

    digests_filled()

    digests = set(Image.objects.values_list("pixel_digest", flat=True))
    assert len(digests) == 4 and "" not in digests


# Picking by the form, as the dialog does.


def test_a_writer_saves_a_picture_picked_in_the_dialog(people, library, read_form):
    client = signed_in(people["writer"])
    url = reverse("admin:articles_article_change", args=[library["own"].pk])
    data = read_form(client.get(url))
    data.update(lead_image=str(library["ferry"].pk), _save="Save")

    assert client.post(url, data).status_code == 302
    library["own"].refresh_from_db()
    assert library["own"].lead_image == library["ferry"]


# References in order.


def test_references_are_shown_in_the_order_their_positions_say(people, library, read_form):
    article = library["own"]
    for position, title in enumerate(["First source", "Second source", "Third source"]):
        Reference.objects.create(article=article, position=position, title=title)
    client = signed_in(people["writer"])
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = read_form(client.get(url))
    # What the page's script sends after "Move up" on the third: positions by page order.
    data.update({"references-0-position": "1", "references-1-position": "2",
                 "references-2-position": "0", "_save": "Save"})

    assert client.post(url, data).status_code == 302
    assert list(article.references.values_list("title", flat=True)) == [
        "Third source", "First source", "Second source",
    ]


@pytest.mark.parametrize("position", ["-1", "abc", "1.5"])
def test_a_forged_position_comes_back_as_an_error(people, library, read_form, position):
    article = library["own"]
    Reference.objects.create(article=article, position=0, title="First source")
    client = signed_in(people["writer"])
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = read_form(client.get(url))
    data.update({"references-0-position": position, "_save": "Save"})

    response = client.post(url, data)

    assert response.status_code == 200
    assert article.references.get().position == 0


# Corrections and share links within reach.


def test_the_form_opens_with_links_to_its_parts(people, make_article):
    article = make_article("Harbour ferries run late", published_at=timezone.now()
                           - timedelta(hours=2))
    html = signed_in(people["editor"]).get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()

    nav = html[html.index('<nav class="article-parts"'):]
    nav = nav[:nav.index("</nav>")]
    for link in ('href="#id_headline"', 'href="#lead-image-picker"', 'href="#references-group"',
                 'href="#corrections-group"', 'href="#share_links-group"',
                 reverse("admin:articles_article_history", args=[article.pk])):
        assert link in nav
    # Each target is on the page.
    for target in ('id="lead-image-picker"', 'id="references-group"', 'id="corrections-group"',
                   'id="share_links-group"'):
        assert target in html
    # The form starts with them, before the story's text.
    assert html.index('<nav class="article-parts"') < html.index('id="id_headline"')


def test_a_writers_form_links_to_no_corrections_they_may_not_add(people, library):
    html = signed_in(people["writer"]).get(
        reverse("admin:articles_article_change", args=[library["own"].pk])
    ).content.decode()

    assert 'href="#share_links-group"' in html
    assert 'href="#corrections-group"' not in html


def test_a_story_shown_read_only_links_only_to_what_is_on_its_page(people, make_article):
    """A writer's story in review is theirs to read, not change: no box to jump to."""
    article = make_article(
        "Night trams return on Fridays", status=Article.Status.IN_REVIEW, published_at=None,
        created_by=people["writer"],
    )
    html = signed_in(people["writer"]).get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()

    nav = html[html.index('<nav class="article-parts"'):]
    nav = nav[:nav.index("</nav>")]
    assert 'href="#lead-image-picker"' not in nav
    assert 'href="#id_headline"' not in nav
    for target in re.findall(r'href="#([^"]+)"', nav):
        assert f'id="{target}"' in html
