"""The admin as editors use it: writing, illustrating and publishing articles."""

import io
import re
from datetime import timedelta

import PIL.Image
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.images.renditions import rendition_names
from articles.models import Article, Author, Image, Licence, Reference

ARTICLE_ADD = "admin:articles_article_add"
ARTICLE_CHANGELIST = "admin:articles_article_changelist"
IMAGE_ADD = "admin:articles_image_add"

HEADLINE = "Night trams return to the harbour line"


def noisy_jpeg(size=(640, 480)):
    """A real photograph-like JPEG: random noise compresses badly, so most bytes are image data."""
    buffer = io.BytesIO()
    PIL.Image.effect_noise(size, 64).convert("RGB").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def first_half(data):
    return data[: len(data) // 2]


def management_data(response):
    """What the rendered form's inline management forms would send, keyed by their real names."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for field_name, value in management.initial.items():
            data[management.add_prefix(field_name)] = value
    return data


def inline_prefixes(response):
    return [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]


@pytest.fixture
def add_page(admin_client):
    response = admin_client.get(reverse(ARTICLE_ADD))
    assert response.status_code == 200
    return response


@pytest.fixture
def article_data(add_page, section, image, author):
    """The add form filled in as an editor would: two sources, one author, three tags."""
    return {
        **management_data(add_page),
        "label": "news",
        "headline": HEADLINE,
        "slug": "night-trams-return",
        "standfirst": "From Friday the number 4 tram runs all night.",
        "body": '<p>Trams will run <strong>all night</strong>. See <a href="/city/">City</a>.</p>',
        "section": section.pk,
        "lead_image": image.pk,
        "tags": ["night tram", "transport", "Harbour City"],
        "status": Article.Status.PUBLISHED,
        "published_at_0": "",
        "published_at_1": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-0-author": author.pk,
        "bylines-0-position": "0",
        "references-TOTAL_FORMS": "2",
        "references-0-title": "Council transport committee minutes",
        "references-0-url": "https://example.org/council/minutes",
        "references-0-publisher": "Harbour City Council",
        "references-0-position": "0",
        "references-1-title": "Night tram trial report",
        "references-1-url": "https://example.org/tram-report.pdf",
        "references-1-position": "1",
        "_save": "Save",
    }


@pytest.fixture
def staff_client(client, django_user_model):
    """A staff account that has been given no permissions at all."""
    user = django_user_model.objects.create_user(
        username="intern", password="a-long-enough-password", is_staff=True
    )
    client.force_login(user)
    return client


def test_the_add_form_has_byline_and_reference_inlines(add_page):
    """The article form lets an editor add authors and sources on the same page."""
    assert inline_prefixes(add_page) == ["bylines", "references", "corrections", "share_links"]
    html = add_page.content.decode()
    assert 'name="bylines-TOTAL_FORMS"' in html
    assert 'name="references-TOTAL_FORMS"' in html


def test_an_editor_publishes_an_article_through_the_add_form(
    admin_client, article_data, section, image, author
):
    """Saving the filled-in form creates the article, its sources in order, tags and byline,
    and publishes it now when no time was given."""
    before = timezone.now()
    response = admin_client.post(reverse(ARTICLE_ADD), article_data)
    after = timezone.now()

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response["Location"] == reverse(ARTICLE_CHANGELIST)
    article = Article.objects.get(slug="night-trams-return")
    assert article.headline == HEADLINE
    assert article.standfirst == "From Friday the number 4 tram runs all night."
    assert "<strong>all night</strong>" in article.body
    assert article.section == section
    assert article.lead_image == image
    assert [(ref.title, ref.url) for ref in article.references.all()] == [
        ("Council transport committee minutes", "https://example.org/council/minutes"),
        ("Night tram trial report", "https://example.org/tram-report.pdf"),
    ]
    assert article.references.first().publisher == "Harbour City Council"
    assert sorted(article.tags.names()) == ["Harbour City", "night tram", "transport"]
    assert article.byline_authors == [author]
    assert article.status == Article.Status.PUBLISHED
    assert before <= article.published_at <= after
    assert article.is_published
    assert list(Article.objects.published()) == [article]


def test_an_article_saved_as_a_draft_is_not_published(admin_client, article_data):
    """A draft is stored but readers cannot see it."""
    article_data["status"] = Article.Status.DRAFT

    response = admin_client.post(reverse(ARTICLE_ADD), article_data)

    assert response.status_code == 302
    article = Article.objects.get(slug="night-trams-return")
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_an_article_given_a_future_time_is_scheduled(admin_client, article_data):
    """A publication time tomorrow keeps the article off the site until then."""
    tomorrow = timezone.localtime() + timedelta(days=1)
    article_data["published_at_0"] = tomorrow.strftime("%d/%m/%Y")
    article_data["published_at_1"] = "09:30:00"

    response = admin_client.post(reverse(ARTICLE_ADD), article_data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="night-trams-return")
    assert timezone.localtime(article.published_at).date() == tomorrow.date()
    assert not article.is_published
    assert not Article.objects.published().exists()


def test_scripts_and_event_handlers_are_removed_from_a_posted_body(admin_client, article_data):
    """Whatever the browser sends, the stored body carries no script or on* handler."""
    article_data["body"] = (
        '<p onclick="steal()">Trams return.</p>'
        "<script>document.location='https://evil.example/'</script>"
        '<p><a href="javascript:alert(1)" onmouseover="alert(2)">Timetable</a></p>'
    )

    response = admin_client.post(reverse(ARTICLE_ADD), article_data)

    assert response.status_code == 302
    body = Article.objects.get(slug="night-trams-return").body
    assert "<script" not in body
    assert "evil.example" not in body
    assert "onclick" not in body
    assert "onmouseover" not in body
    assert "javascript:" not in body
    assert "Trams return." in body
    assert "Timetable" in body


def error_next_to(html, field_id):
    """The error list the admin renders beside a field, tied to its input for screen readers."""
    match = re.search(rf'<ul class="errorlist" id="id_{field_id}_error">(.*?)</ul>', html, re.S)
    assert match, f"no error shown beside {field_id}"
    input_tag = re.search(rf'<[^>]*\bid="id_{field_id}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in input_tag
    return match.group(1)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.org/minutes.pdf"])
def test_a_reference_that_is_not_a_web_address_is_refused_and_nothing_typed_is_lost(
    admin_client, article_data, url
):
    """The form comes back with an error at the source's URL and everything the editor typed."""
    article_data["references-1-url"] = url

    response = admin_client.post(reverse(ARTICLE_ADD), article_data)

    assert response.status_code == 200
    references = response.context["inline_admin_formsets"][1].formset
    assert "url" in references.forms[1].errors
    assert not references.forms[0].errors
    html = response.content.decode()
    assert "Enter a valid URL." in error_next_to(html, "references-1-url")
    assert 'href="javascript:' not in html
    assert "Please correct the error" in html
    assert f'value="{HEADLINE}"' in html
    assert "From Friday the number 4 tram runs all night." in html
    assert 'value="Night tram trial report"' in html
    assert 'value="Council transport committee minutes"' in html
    for tag in ["night tram", "transport", "Harbour City"]:
        assert f'<option value="{tag}" selected>' in html
    assert Article.objects.count() == 0
    assert Reference.objects.count() == 0


def test_a_missing_headline_is_reported_next_to_the_headline(admin_client, article_data):
    """Leaving the headline empty gives an error at the headline and keeps the rest."""
    article_data["headline"] = ""

    response = admin_client.post(reverse(ARTICLE_ADD), article_data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["headline"]
    assert "This field is required." in error_next_to(response.content.decode(), "headline")
    assert 'value="night-trams-return"' in response.content.decode()
    assert Article.objects.count() == 0


def test_a_tag_without_a_letter_or_digit_is_refused_next_to_the_tags(
    admin_client, article_data
):
    """“!!!” cannot become a web address; the editor is told and keeps what they typed."""
    article_data["tags"] = ["transport", "!!!"]

    response = admin_client.post(reverse(ARTICLE_ADD), article_data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["tags"]
    assert "needs at least one letter or digit" in error_next_to(
        response.content.decode(), "tags"
    )
    assert '<option value="transport" selected>transport</option>' in response.content.decode()
    assert Article.objects.count() == 0


def test_two_long_tag_names_that_make_the_same_address_both_get_one_that_fits(
    client, admin_client, article_data
):
    """Tags of the longest name allowed, differing only in punctuation, each get their own
    address within the tag table's limit, and both articles save."""
    name = (
        "Night trams on the harbour line what the council the unions the riders and the "
        "drivers say about it"
    )
    tags = [name + "!", name + "?"]
    assert all(len(tag) == 100 and len(slugify(tag)) == 99 for tag in tags)

    for number, tag in enumerate(tags):
        data = {**article_data, "slug": f"night-trams-{number}", "tags": [tag]}
        assert admin_client.post(reverse(ARTICLE_ADD), data).status_code == 302

    slugs = [Tag.objects.get(name=tag).slug for tag in tags]
    assert len(set(slugs)) == 2
    assert all(len(slug) <= 100 for slug in slugs)
    for slug, tag in zip(slugs, tags, strict=True):
        assert tag in client.get(reverse("articles:tag", args=[slug])).content.decode()


def test_an_address_the_site_already_uses_is_refused_as_a_slug(admin_client, article_data):
    """Two articles may not share an address."""
    assert admin_client.post(reverse(ARTICLE_ADD), article_data).status_code == 302
    article_data["headline"] = "A second story"

    response = admin_client.post(reverse(ARTICLE_ADD), article_data)

    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Article.objects.count() == 1


def image_data(upload, **overrides):
    return {
        "file": upload,
        "alt_text": "A green tram at the Eastgate depot",
        "caption": "The restored tram.",
        "credit": "Ana Ruiz / Courier",
        "credit_url": "https://example.org/ana-ruiz",
        "licence": Licence.CC_BY,
        "source_url": "",
        "_save": "Save",
        **overrides,
    }


def stored_files(media_root):
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


def test_an_editor_uploads_an_image_with_its_credit_and_licence(
    admin_client, admin_user, make_upload, media_root
):
    """A valid JPEG is kept with its size measured and the uploader recorded."""
    response = admin_client.post(reverse(IMAGE_ADD), image_data(make_upload("tram.jpg")))

    assert response.status_code == 302, response.context["adminform"].form.errors
    image = Image.objects.get()
    assert (image.width, image.height) == (64, 48)
    assert image.uploaded_by == admin_user
    assert image.alt_text == "A green tram at the Eastgate depot"
    assert image.credit == "Ana Ruiz / Courier"
    assert image.licence == Licence.CC_BY
    assert image.licence_url == "https://creativecommons.org/licenses/by/4.0/"
    # The image itself, and the sizes pages serve, made once as it is saved.
    originals = [path for path in stored_files(media_root) if "renditions" not in path.parts]
    assert len(originals) == 1
    assert len(stored_files(media_root)) == 1 + len(rendition_names(image))


def test_a_png_image_is_accepted(admin_client, make_upload):
    """PNG works as well as JPEG."""
    upload = make_upload("chart.png", size=(30, 20), image_format="PNG")

    response = admin_client.post(reverse(IMAGE_ADD), image_data(upload))

    assert response.status_code == 302
    assert (Image.objects.get().width, Image.objects.get().height) == (30, 20)


def upload_named(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        pytest.param(
            lambda: upload_named("photo.jpg", b"Minutes of the council meeting.\n" * 20),
            "not a picture",
            id="text-named-jpg",
        ),
        pytest.param(
            lambda: upload_named("photo.jpg", first_half(noisy_jpeg())),
            "damaged or incomplete",
            id="truncated-jpeg",
        ),
        pytest.param(lambda: upload_named("photo.jpg", b""), "empty", id="zero-bytes"),
        pytest.param(
            lambda: upload_named("logo.svg", SVG, content_type="image/svg+xml"),
            "not a picture",
            id="svg",
        ),
    ],
)
def test_a_bad_upload_is_refused_with_a_message_not_an_error_page(
    admin_client, media_root, upload, message
):
    """Files that are not whole images come back as a form error and nothing is stored."""
    response = admin_client.post(reverse(IMAGE_ADD), image_data(upload()))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["file"]
    assert message in " ".join(errors["file"]).lower()
    # What the editor typed is still in the form.
    assert "A green tram at the Eastgate depot</textarea>" in response.content.decode()
    assert Image.objects.count() == 0
    assert stored_files(media_root) == []


def test_an_image_over_the_pixel_limit_is_refused(admin_client, settings, make_upload, media_root):
    """An image with more pixels than the newsroom allows is refused before it is decoded."""
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 1000

    response = admin_client.post(reverse(IMAGE_ADD), image_data(make_upload(size=(64, 48))))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "megapixels" in " ".join(errors["file"])
    assert Image.objects.count() == 0
    assert stored_files(media_root) == []


def test_an_image_over_the_size_limit_is_refused(admin_client, settings, make_upload, media_root):
    """A file larger than the byte limit is refused with the limit in the message."""
    upload = make_upload(size=(64, 48))
    settings.NEWSROOM_MAX_IMAGE_BYTES = upload.size - 1

    response = admin_client.post(reverse(IMAGE_ADD), image_data(upload))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "pictures may be at most" in " ".join(errors["file"])
    assert Image.objects.count() == 0
    assert stored_files(media_root) == []


def test_an_image_needs_alt_text_credit_and_licence(admin_client, make_upload):
    """An image without description, credit or licence is not accepted."""
    data = image_data(make_upload(), alt_text="", credit="", licence="")

    response = admin_client.post(reverse(IMAGE_ADD), data)

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"alt_text", "credit", "licence"}
    assert Image.objects.count() == 0


def test_editing_an_image_without_a_new_file_keeps_it(admin_client, image):
    """Changing only the caption does not ask for the file again."""
    url = reverse("admin:articles_image_change", args=[image.pk])
    data = image_data("", caption="The restored tram, seen from the quay.")
    del data["file"]

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    image.refresh_from_db()
    assert image.caption == "The restored tram, seen from the quay."
    assert (image.width, image.height) == (160, 90)


def test_the_image_page_shows_where_it_is_used(admin_client, image, make_article):
    """An editor about to change an image sees which articles use it."""
    article = make_article(HEADLINE, lead_image=image)
    make_article("A story with no picture")

    response = admin_client.get(reverse("admin:articles_image_change", args=[image.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert HEADLINE in html
    assert reverse("admin:articles_article_change", args=[article.pk]) in html
    assert "A story with no picture" not in html
    assert "160 × 90 pixels" in html


def test_an_unused_image_says_so(admin_client, image):
    """An image no article uses is labelled as such."""
    response = admin_client.get(reverse("admin:articles_image_change", args=[image.pk]))

    assert "Not used by any article yet." in response.content.decode()


def test_the_publish_action_publishes_the_selected_drafts(admin_client, make_article):
    """Selecting drafts and choosing "publish" puts them on the site now."""
    first = make_article("First draft", status=Article.Status.DRAFT, published_at=None)
    second = make_article("Second draft", status=Article.Status.DRAFT, published_at=None)
    untouched = make_article("Third draft", status=Article.Status.DRAFT, published_at=None)

    before = timezone.now()
    response = admin_client.post(
        reverse(ARTICLE_CHANGELIST),
        {"action": "publish_selected", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Published 2 article(s)." in response.content.decode()
    for article in (first, second):
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED
        assert before <= article.published_at <= timezone.now()
    untouched.refresh_from_db()
    assert untouched.status == Article.Status.DRAFT
    assert sorted(a.headline for a in Article.objects.published()) == [
        "First draft",
        "Second draft",
    ]


def test_the_publish_action_leaves_published_articles_as_they_were_and_says_so(
    admin_client, make_article
):
    """Re-publishing changes no dates, so readers and feeds see no false “updated”."""
    live = make_article("Already live")
    scheduled = make_article("Tomorrow", published_at=timezone.now() + timedelta(days=1))
    draft = make_article("Draft for next week", status=Article.Status.DRAFT,
                         published_at=timezone.now() + timedelta(days=7))
    stamps = {a.pk: (a.published_at, a.updated_at) for a in (live, scheduled)}

    response = admin_client.post(
        reverse(ARTICLE_CHANGELIST),
        {"action": "publish_selected", "_selected_action": [live.pk, scheduled.pk, draft.pk]},
        follow=True,
    )

    assert (
        "Published 0 article(s); scheduled 1 for their publication time; "
        "left 2 that were published or scheduled already." in response.content.decode()
    )
    for article in (live, scheduled):
        article.refresh_from_db()
        assert (article.published_at, article.updated_at) == stamps[article.pk]
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED and not draft.is_published
    history = admin_client.get(reverse("admin:articles_article_history", args=[draft.pk]))
    assert "Published." in history.content.decode()


def test_the_unpublish_action_takes_articles_off_the_site(admin_client, make_article):
    """Unpublishing hides the article but keeps its original publication time."""
    article = make_article("Published story")
    published_at = article.published_at

    response = admin_client.post(
        reverse(ARTICLE_CHANGELIST),
        {"action": "unpublish_selected", "_selected_action": [article.pk]},
        follow=True,
    )

    assert "Unpublished 1 article(s)." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED
    assert article.published_at == published_at
    assert not Article.objects.published().exists()


@pytest.fixture
def newsroom(make_article, other_section, author, image):
    """Four articles in different states, sections, bylines and tags."""
    colleague = Author.objects.create(name="Tomas Lind", slug="tomas-lind")
    return {
        "published": make_article(
            "Night trams return", authors=[author], tags=["transport"], lead_image=image
        ),
        "draft": make_article("Draft about the port", status=Article.Status.DRAFT),
        "scheduled": make_article(
            "Budget embargoed until tomorrow",
            section=other_section,
            published_at=timezone.now() + timedelta(days=1),
            tags=["budget"],
        ),
        "business": make_article(
            "Shipping firm expands", section=other_section, authors=[colleague]
        ),
    }


def listed(response):
    return sorted(article.headline for article in response.context["cl"].result_list)


def test_the_changelist_shows_a_scheduled_state_for_future_articles(admin_client, newsroom):
    """Editors can tell an article waiting for its time from one already live."""
    response = admin_client.get(reverse(ARTICLE_CHANGELIST))

    html = response.content.decode()
    assert response.status_code == 200
    rows = {
        headline: re.search(rf">{headline}</a>.*?</tr>", html, re.S).group(0)
        for headline in ["Budget embargoed until tomorrow", "Night trams return"]
    }
    assert ">Scheduled<" in rows["Budget embargoed until tomorrow"]
    assert ">Published<" in rows["Night trams return"]
    assert ">Draft<" in re.search(r">Draft about the port</a>.*?</tr>", html, re.S).group(0)


def test_the_changelist_offers_status_section_author_and_tag_filters(admin_client, newsroom):
    """The filter sidebar lists status, section, author and tag."""
    response = admin_client.get(reverse(ARTICLE_CHANGELIST))

    titles = [spec.title.lower() for spec in response.context["cl"].filter_specs]
    assert response.status_code == 200
    for expected in ["status", "section", "author", "tags"]:
        assert any(expected in title for title in titles), titles


def test_the_changelist_filters_and_search_narrow_the_list(
    admin_client, newsroom, section, other_section, author
):
    """Each filter and the search box show just the matching articles, without error."""
    tag_id = newsroom["published"].tags.get().pk
    url = reverse(ARTICLE_CHANGELIST)

    cases = {
        "status__exact=draft": ["Draft about the port"],
        f"section__id__exact={other_section.pk}": [
            "Budget embargoed until tomorrow",
            "Shipping firm expands",
        ],
        f"bylines__author__id__exact={author.pk}": ["Night trams return"],
        f"tags__id__exact={tag_id}": ["Night trams return"],
        "q=trams": ["Night trams return"],
        "q=port": ["Draft about the port"],
        f"status__exact=published&section__id__exact={section.pk}": ["Night trams return"],
    }
    for query, expected in cases.items():
        response = admin_client.get(f"{url}?{query}")
        assert response.status_code == 200, query
        assert listed(response) == expected, query


def test_a_staff_member_without_permissions_cannot_open_the_article_pages(
    staff_client, make_article
):
    """Being staff is not enough: writing and editing articles needs the permissions."""
    article = make_article("Night trams return")

    assert staff_client.get(reverse(ARTICLE_ADD)).status_code == 403
    assert (
        staff_client.get(reverse("admin:articles_article_change", args=[article.pk])).status_code
        == 403
    )
    assert staff_client.get(reverse(ARTICLE_CHANGELIST)).status_code == 403
    assert staff_client.get(reverse(IMAGE_ADD)).status_code == 403


def test_a_staff_member_without_permissions_cannot_post_an_article(staff_client, section):
    """Posting the form directly does not get round the permission check."""
    response = staff_client.post(
        reverse(ARTICLE_ADD),
        {"headline": HEADLINE, "slug": "night-trams-return", "section": section.pk},
    )

    assert response.status_code == 403
    assert Article.objects.count() == 0


def test_a_staff_member_without_permissions_cannot_run_the_publish_action(
    staff_client, make_article
):
    """The publish action needs the right to change articles."""
    draft = make_article("Draft story", status=Article.Status.DRAFT, published_at=None)

    response = staff_client.post(
        reverse(ARTICLE_CHANGELIST),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


@pytest.mark.parametrize(
    "page", [ARTICLE_ADD, ARTICLE_CHANGELIST, IMAGE_ADD, "admin:articles_article_tag_autocomplete"]
)
def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, db, page):
    """The admin asks anonymous visitors to log in first."""
    url = reverse(page)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_an_anonymous_change_page_request_is_sent_to_the_login_page(client, make_article):
    """An article's edit page is behind the login too."""
    article = make_article("Night trams return")
    url = reverse("admin:articles_article_change", args=[article.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_tags_field_suggests_existing_tags_as_the_editor_types(admin_client, make_article):
    make_article(tags=["transport", "night tram", "budget"])
    response = admin_client.get(
        reverse("admin:articles_article_tag_autocomplete"), {"term": "TRA"}
    )
    names = [result["id"] for result in response.json()["results"]]
    assert names == ["night tram", "transport"]


def test_tag_suggestions_are_for_staff_who_may_edit_articles(staff_client, db):
    url = reverse("admin:articles_article_tag_autocomplete")
    assert Client().get(url, {"term": "t"}).status_code == 302
    assert staff_client.get(url, {"term": "t"}).status_code == 403


def test_an_edit_form_shows_the_current_tags_and_keeps_them_on_save(
    admin_client, make_article, article_data
):
    article = make_article(tags=["transport", "night tram"])
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    html = admin_client.get(change_url).content.decode()
    assert '<option value="transport" selected>transport</option>' in html
    assert '<option value="night tram" selected>night tram</option>' in html
    data = {
        **article_data, "slug": article.slug, "tags": ["transport", "Night Tram", "ferries"],
        "loaded_version": re.search(r'name="loaded_version" value="([^"]+)"', html).group(1),
    }
    response = admin_client.post(change_url, data)
    assert response.status_code == 302
    # The same name in another case is the same tag, not a second one.
    assert sorted(article.tags.names()) == ["ferries", "night tram", "transport"]


def test_the_lead_image_picker_lists_the_newest_images_first(admin_client, make_upload):
    for caption in ["Older harbour picture", "Newer harbour picture"]:
        Image.objects.create(
            file=make_upload(), alt_text="Boats", caption=caption, credit="Courier",
            licence=Licence.CC0,
        )
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "harbour", "app_label": "articles", "model_name": "article",
         "field_name": "lead_image"},
    )
    captions = [result["text"] for result in response.json()["results"]]
    assert [text.split(" (")[0] for text in captions] == [
        "Newer harbour picture", "Older harbour picture",
    ]
