"""Who may see, pick, change and delete which image, in the admin and by posting by hand.

An image goes live with every article that uses it: a new credit or a new file shows on the public
page and in the feeds at once. So images follow the articles' rules. A writer may change or
delete an image they uploaded while no article past draft uses it; anything else they may see is
read-only to them (they may pick it, not change it); an image only a colleague's unpublished
article uses is not shown to them at all, as that article is not.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from makers import afresh, city_section, desk_people, image_bytes, new_article

from articles.models import Article, Image, Licence, Section

pytestmark = pytest.mark.django_db

# Each image's caption, and the headline of the article that uses it, are its own: a page that
# shows one shows no other by accident.
IMAGES = {
    # name:                   (uploaded by,    used by an article of,  in the state)
    "own-unused":             ("writer",       None,                None),
    "own-in-own-draft":       ("writer",       "writer",            "draft"),
    "own-in-colleague-draft": ("writer",       "other_writer",      "draft"),
    "own-in-own-review":      ("writer",       "writer",            "in_review"),
    "own-in-own-scheduled":   ("writer",       "writer",            "scheduled"),
    "own-in-own-published":   ("writer",       "writer",            "published"),
    "editors-unused":         ("editor",       None,                None),
    "colleague-unused":       ("other_writer", None,                None),
    "colleague-in-draft":     ("other_writer", "other_writer",      "draft"),
    "colleague-in-review":    ("other_writer", "other_writer",      "in_review"),
    "colleague-in-scheduled": ("editor",       "other_writer",      "scheduled"),
    "colleague-in-unpublished": ("editor",     "other_writer",      "unpublished"),
    "colleague-in-published": ("other_writer", "other_writer",      "published"),
}

HIDDEN = "not shown at all"
READ_ONLY = "shown, read-only"
EDITABLE = "shown, may be changed"
DELETABLE = "shown, may be changed and deleted"

# What the writer may do with each image; an editor may change every one and delete the unused.
FOR_THE_WRITER = {
    "own-unused": DELETABLE,
    "own-in-own-draft": EDITABLE,
    "own-in-colleague-draft": EDITABLE,
    "own-in-own-review": READ_ONLY,
    "own-in-own-scheduled": READ_ONLY,
    "own-in-own-published": READ_ONLY,
    "editors-unused": READ_ONLY,
    "colleague-unused": READ_ONLY,
    "colleague-in-draft": HIDDEN,
    "colleague-in-review": HIDDEN,
    "colleague-in-scheduled": HIDDEN,
    "colleague-in-unpublished": HIDDEN,
    "colleague-in-published": READ_ONLY,
}


def caption_of(name):
    return f"Caption of the picture {name}"


def headline_of(name):
    return f"Story using the picture {name}"


def article_fields(state):
    now = timezone.now()
    return {
        "draft": {"status": Article.Status.DRAFT, "published_at": None},
        "in_review": {"status": Article.Status.IN_REVIEW, "published_at": None},
        "scheduled": {"status": Article.Status.PUBLISHED, "published_at": now + timedelta(days=1)},
        "published": {"status": Article.Status.PUBLISHED, "published_at": now - timedelta(hours=1)},
        "unpublished": {"status": Article.Status.UNPUBLISHED, "published_at": None},
    }[state]


@pytest.fixture(scope="module", autouse=True)
def made_once(module_transaction):
    """The desk and every image of IMAGES with the article that uses it: made once for the module
    (see module_transaction); each test reads them afresh."""
    people, section = desk_people(), city_section()
    images = {}
    for number, (name, (uploader, user, state)) in enumerate(IMAGES.items(), start=1):
        image = Image.objects.create(
            file=SimpleUploadedFile(f"{name}.jpg", image_bytes(), content_type="image/jpeg"),
            alt_text=f"Alt text of {name}", caption=caption_of(name),
            credit="Ana Ruiz / Courier", licence=Licence.CC_BY, uploaded_by=people[uploader],
        )
        if user:
            new_article(
                number, section, headline_of(name), slug=f"{name}-article",
                created_by=people[user], lead_image=image, **article_fields(state),
            )
        images[name] = image.pk
    return {
        "people": {name: person.pk for name, person in people.items()},
        "section": section.pk,
        "images": images,
    }


@pytest.fixture
def people(db, made_once, django_user_model):
    return afresh(django_user_model, made_once["people"])


@pytest.fixture
def section(db, made_once):
    return Section.objects.get(pk=made_once["section"])


@pytest.fixture
def images(db, made_once):
    return afresh(Image, made_once["images"])


def browser_of(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def change_url(image):
    return reverse("admin:articles_image_change", args=[image.pk])


def change_form(image, **changes):
    """What the image's change page posts, with `changes` typed in."""
    data = {
        "alt_text": image.alt_text, "caption": image.caption, "credit": image.credit,
        "credit_url": "", "licence": image.licence, "copyright_notice": "", "source_url": "",
        "focal_x": "0.5", "focal_y": "0.5", "_save": "Save",
    }
    data.update(changes)
    return data


def writer_may(name, what):
    return {
        "see": FOR_THE_WRITER[name] != HIDDEN,
        "change": FOR_THE_WRITER[name] in (EDITABLE, DELETABLE),
        "delete": FOR_THE_WRITER[name] == DELETABLE,
    }[what]


@pytest.mark.parametrize("name", IMAGES)
def test_the_image_list_shows_a_writer_only_the_images_they_may_see(people, images, name):
    html = browser_of(people["writer"]).get(
        reverse("admin:articles_image_changelist")
    ).content.decode()

    assert (caption_of(name) in html) == writer_may(name, "see")
    # The list never names an article the writer may not know of, by a count or otherwise.
    assert headline_of("colleague-in-draft") not in html


def test_the_image_list_shows_an_editor_every_image(people, images):
    html = browser_of(people["editor"]).get(
        reverse("admin:articles_image_changelist")
    ).content.decode()

    for name in IMAGES:
        assert caption_of(name) in html


@pytest.mark.parametrize("name", IMAGES)
def test_a_writer_picking_a_lead_image_is_offered_only_the_images_they_may_see(
    people, images, name
):
    response = browser_of(people["writer"]).get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "articles", "model_name": "article", "field_name": "lead_image"},
    )

    assert response.status_code == 200
    offered = {result["id"] for result in response.json()["results"]}
    assert (str(images[name].pk) in offered) == writer_may(name, "see")


@pytest.mark.parametrize("name", IMAGES)
def test_a_writers_image_page_is_editable_read_only_or_not_there(people, images, name):
    response = browser_of(people["writer"]).get(change_url(images[name]))

    html = response.content.decode()
    if not writer_may(name, "see"):
        assert response.status_code == 302  # to the admin's home, saying it does not exist
        landing = browser_of(people["writer"]).get(response["Location"])
        assert caption_of(name) not in landing.content.decode()
        assert caption_of(name) not in html
        return
    assert response.status_code == 200
    assert caption_of(name) in html
    assert ('name="_save"' in html) == writer_may(name, "change")
    # An article the writer may not know of is never named under "Used in".
    for other in ("colleague-in-draft", "colleague-in-review", "colleague-in-scheduled"):
        assert headline_of(other) not in html


def test_used_in_names_a_colleagues_published_article_as_readers_see_it(people, images):
    """Readers can see it anyway; its link leads to the article's page, not to an admin page the
    writer may not open."""
    image = images["colleague-in-published"]
    html = browser_of(people["writer"]).get(change_url(image)).content.decode()

    article = Article.objects.get(headline=headline_of("colleague-in-published"))
    assert f'href="{article.get_absolute_url()}" class="used-in"' in html


@pytest.mark.parametrize("name", IMAGES)
def test_a_writers_forged_change_to_an_image_takes_only_where_they_may_change_it(
    people, images, name, make_upload
):
    """A new credit and a new file, posted by hand: an image an article past draft shows stays
    exactly as readers see it."""
    image = images[name]
    before = Image.objects.get(pk=image.pk)
    data = change_form(image, credit="Someone Else", file=make_upload("swap.jpg", size=(90, 60)))

    response = browser_of(people["writer"]).post(change_url(image), data)

    after = Image.objects.get(pk=image.pk)
    if writer_may(name, "change"):
        assert response.status_code == 302
        assert after.credit == "Someone Else"
        assert (after.width, after.height) == (90, 60)
        return
    assert response.status_code in (302, 403)
    assert after.credit == before.credit
    assert after.file.name == before.file.name
    assert (after.width, after.height) == (before.width, before.height)


@pytest.mark.parametrize("name", IMAGES)
def test_a_writer_deletes_only_their_own_unused_images(people, images, name):
    image = images[name]
    client = browser_of(people["writer"])
    url = reverse("admin:articles_image_delete", args=[image.pk])

    page = client.get(url)
    response = client.post(url, {"post": "yes"})

    deleted = not Image.objects.filter(pk=image.pk).exists()
    assert deleted == writer_may(name, "delete")
    if not writer_may(name, "delete"):
        assert page.status_code in (302, 403)
        assert response.status_code in (302, 403)
        for other in ("colleague-in-draft", "colleague-in-review", "own-in-colleague-draft"):
            assert headline_of(other) not in page.content.decode()


@pytest.mark.parametrize("name", IMAGES)
def test_a_writers_bulk_delete_from_the_list_keeps_what_they_may_not_delete(
    people, images, name
):
    image = images[name]

    browser_of(people["writer"]).post(
        reverse("admin:articles_image_changelist"),
        {"action": "delete_selected", "_selected_action": [image.pk], "post": "yes"},
    )

    deleted = not Image.objects.filter(pk=image.pk).exists()
    assert deleted == writer_may(name, "delete")


@pytest.mark.parametrize("name", IMAGES)
def test_an_editor_may_change_every_image(people, images, name):
    image = images[name]

    response = browser_of(people["editor"]).post(
        change_url(image), change_form(image, credit="Desk Photo")
    )

    assert response.status_code == 302
    assert Image.objects.get(pk=image.pk).credit == "Desk Photo"


@pytest.mark.parametrize("name", IMAGES)
def test_a_writer_cannot_pick_an_image_they_may_not_see_by_posting_its_id(
    people, images, name, read_form, section
):
    """The image of a colleague's draft would then show, with its caption, on the writer's own
    article."""
    client = browser_of(people["writer"])
    article = Article.objects.create(
        headline="The writer's own draft", slug="the-writers-own-draft",
        section=section, created_by=people["writer"],
    )
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = read_form(client.get(url))
    data.update(lead_image=str(images[name].pk), _save="Save")

    response = client.post(url, data)

    article.refresh_from_db()
    if writer_may(name, "see"):
        assert response.status_code == 302
        assert article.lead_image_id == images[name].pk
    else:
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert article.lead_image_id is None
        assert caption_of(name) not in response.content.decode()


def test_a_signed_out_visitor_is_asked_to_sign_in_for_any_image_page(images):
    image = images["own-unused"]
    for url in (
        reverse("admin:articles_image_changelist"),
        change_url(image),
        reverse("admin:articles_image_delete", args=[image.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
