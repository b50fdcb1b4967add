"""Every admin page a writer can reach, beyond the article and image matrices: tags, sections,
authors, the admin's home, its pickers, "View on site" and the lists' actions.

A colleague's draft is the secret here: its headline, its address, its image's caption and a
tag only it carries must show on no page a writer can open.
"""

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from articles import roles
from articles.models import Article, Author, Image, Licence, Section

pytestmark = pytest.mark.django_db

SECRET_HEADLINE = "Mayor to resign over harbour contracts"
SECRET_SLUG = "mayor-to-resign-over-harbour-contracts"
SECRET_CAPTION = "The mayor leaving the harbour office by the back door."
SECRET_TAG = "mayoral-resignation"
PUBLIC_TAG = "harbour"
OWN_TAG = "night-trams"


@pytest.fixture
def newsroom(people, make_article, make_upload, author):
    """A colleague's secret draft with its own image and tag, the writer's own draft, and a
    published article."""
    image = Image.objects.create(
        file=make_upload("mayor.jpg"), alt_text="The mayor", caption=SECRET_CAPTION,
        credit="Ana Ruiz / Courier", licence=Licence.CC_BY, uploaded_by=people["other_writer"],
    )
    secret = make_article(
        SECRET_HEADLINE, slug=SECRET_SLUG, status=Article.Status.DRAFT, published_at=None,
        created_by=people["other_writer"], lead_image=image, tags=[SECRET_TAG, PUBLIC_TAG],
        authors=[author],
    )
    own = make_article(
        "Night trams return on Fridays", status=Article.Status.DRAFT, published_at=None,
        created_by=people["writer"], tags=[OWN_TAG],
    )
    published = make_article("Harbour ferries run late", tags=[PUBLIC_TAG])
    return {"secret": secret, "own": own, "published": published, "image": image}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def assert_no_secret(html):
    for secret in (SECRET_HEADLINE, SECRET_SLUG, SECRET_CAPTION, SECRET_TAG):
        assert secret not in html


# Tags.


def test_the_tag_list_shows_a_writer_no_tag_that_only_a_colleagues_draft_carries(
    people, newsroom
):
    html = signed_in(people["writer"]).get(reverse("admin:taggit_tag_changelist")).content.decode()

    assert PUBLIC_TAG in html
    assert OWN_TAG in html
    assert SECRET_TAG not in html


def test_the_tag_list_shows_an_editor_every_tag(people, newsroom):
    html = signed_in(people["editor"]).get(reverse("admin:taggit_tag_changelist")).content.decode()

    for tag in (PUBLIC_TAG, OWN_TAG, SECRET_TAG):
        assert tag in html


def test_a_writer_cannot_open_the_page_of_a_tag_only_a_colleagues_draft_carries(
    people, newsroom
):
    tag = Tag.objects.get(name=SECRET_TAG)
    client = signed_in(people["writer"])

    response = client.get(reverse("admin:taggit_tag_change", args=[tag.pk]))

    assert response.status_code == 302
    assert_no_secret(client.get(response["Location"]).content.decode())


def test_the_tag_lists_count_only_the_articles_a_writer_may_know_of(people, newsroom):
    """"harbour" is on the published article and on the colleague's draft: one, for the writer."""
    response = signed_in(people["writer"]).get(reverse("admin:taggit_tag_changelist"))

    counts = {tag.name: tag.articles for tag in response.context["cl"].result_list}
    assert counts == {PUBLIC_TAG: 1, OWN_TAG: 1}


def test_the_article_lists_tag_filter_offers_a_writer_only_the_tags_they_may_see(
    people, newsroom
):
    html = signed_in(people["writer"]).get(
        reverse("admin:articles_article_changelist")
    ).content.decode()

    assert OWN_TAG in html
    assert PUBLIC_TAG in html
    assert SECRET_TAG not in html


def test_the_tag_picker_offers_a_writer_only_the_tags_they_may_see(people, newsroom):
    response = signed_in(people["writer"]).get(
        reverse("admin:articles_article_tag_autocomplete"), {"term": "a"}
    )

    offered = {result["id"] for result in response.json()["results"]}
    assert offered == {PUBLIC_TAG, OWN_TAG}


# Filters typed into a list's address.

THROUGH_THE_ARTICLES = {
    # page: (the list, a filter through the articles, what of the draft's it names)
    "image": ("admin:articles_image_changelist", "articles__id__exact", lambda article: article.pk),
    "tag": (
        "admin:taggit_tag_changelist", "articles_articletag_items__id__exact",
        lambda article: article.tagged_items.first().pk,
    ),
    "author": (
        "admin:articles_author_changelist", "bylines__id__exact",
        lambda article: article.bylines.first().pk,
    ),
    "section": (
        "admin:articles_section_changelist", "articles__id__exact", lambda article: article.pk,
    ),
}


@pytest.mark.parametrize("page", THROUGH_THE_ARTICLES)
def test_a_writer_cannot_filter_a_list_by_a_colleagues_draft(people, newsroom, page):
    """"1 picture" or "0 pictures" for ?articles__id__exact=<the draft's id> would say what
    the draft uses."""
    url_name, lookup, value = THROUGH_THE_ARTICLES[page]

    response = signed_in(people["writer"]).get(
        reverse(url_name), {lookup: value(newsroom["secret"])}
    )

    assert response.status_code == 400


@pytest.mark.parametrize("page", THROUGH_THE_ARTICLES)
def test_an_editor_may_filter_a_list_by_any_article(people, newsroom, page):
    url_name, lookup, value = THROUGH_THE_ARTICLES[page]

    response = signed_in(people["editor"]).get(
        reverse(url_name), {lookup: value(newsroom["secret"])}
    )

    assert response.status_code == 200


def test_a_writer_still_filters_the_image_list_by_licence(people, newsroom):
    response = signed_in(people["writer"]).get(
        reverse("admin:articles_image_changelist"), {"licence__exact": "cc-by-4.0"}
    )

    assert response.status_code == 200


# "View on site".


def view_on_site_url(article):
    content_type = ContentType.objects.get_for_model(Article)
    return reverse("admin:view_on_site", args=[content_type.pk, article.pk])


def test_view_on_site_does_not_lead_a_writer_to_a_colleagues_draft(people, newsroom):
    """Django's own would redirect to the draft's address, which spells out its headline."""
    response = signed_in(people["writer"]).get(view_on_site_url(newsroom["secret"]))

    assert response.status_code == 404
    assert SECRET_SLUG not in response.get("Location", "")
    assert_no_secret(response.content.decode())


@pytest.mark.parametrize("user, article", [("writer", "own"), ("editor", "secret")])
def test_view_on_site_leads_to_an_article_the_user_may_see(people, newsroom, user, article):
    response = signed_in(people[user]).get(view_on_site_url(newsroom[article]))

    assert response.status_code == 302
    assert response["Location"].endswith(newsroom[article].get_absolute_url())


def test_view_on_site_of_something_that_is_not_there_is_a_404(people, newsroom):
    client = signed_in(people["editor"])

    assert client.get(reverse("admin:view_on_site", args=[999999, 1])).status_code == 404
    content_type = ContentType.objects.get_for_model(Article)
    for object_id in ("999999", "not-a-number", "99999999999999999999999"):
        url = reverse("admin:view_on_site", args=[content_type.pk, object_id])
        assert client.get(url).status_code == 404


# The lists' actions.

LISTS = {
    "article": lambda: reverse("admin:articles_article_changelist"),
    "image": lambda: reverse("admin:articles_image_changelist"),
    "section": lambda: reverse("admin:articles_section_changelist"),
    "author": lambda: reverse("admin:articles_author_changelist"),
    "tag": lambda: reverse("admin:taggit_tag_changelist"),
    "user": lambda: reverse("admin:auth_user_changelist"),
    "role": lambda: reverse("admin:auth_group_changelist"),
}


@pytest.mark.parametrize("selected", ["abc", "1.5", "", "99999999999999999999999", "-1e9"])
@pytest.mark.parametrize("page", LISTS)
def test_a_list_action_on_something_that_is_not_an_id_is_a_bad_request(
    make_staff, newsroom, page, selected
):
    """A 400 that names the field, never a 500; nothing is deleted."""
    admin = make_staff("admin", roles.ADMIN, is_superuser=True)
    counts = (Article.objects.count(), Image.objects.count(), Tag.objects.count())

    response = signed_in(admin).post(
        LISTS[page](),
        {"action": "delete_selected", "_selected_action": ["1", selected], "post": "yes"},
    )

    assert response.status_code == 400
    assert (Article.objects.count(), Image.objects.count(), Tag.objects.count()) == counts


def test_a_list_action_on_real_ids_still_works(make_staff, newsroom):
    admin = make_staff("admin", roles.ADMIN, is_superuser=True)
    tag = Tag.objects.get(name=OWN_TAG)

    response = signed_in(admin).post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "delete_selected", "_selected_action": [str(tag.pk)], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Tag.objects.filter(pk=tag.pk).exists()


# Forged values.


@pytest.mark.parametrize("field, value", [
    ("lead_image", "abc"), ("lead_image", "15.0"), ("lead_image", "99999999999999999999"),
    ("section", "abc"), ("section", "99999999999999999999"), ("bylines-0-author", "abc"),
])
def test_a_forged_choice_in_the_article_form_comes_back_as_an_error(
    people, newsroom, read_form, field, value
):
    client = signed_in(people["writer"])
    url = reverse("admin:articles_article_change", args=[newsroom["own"].pk])
    data = read_form(client.get(url))
    data.update({field: value, "headline": "Night trams return on Saturdays", "_save": "Save"})

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    newsroom["own"].refresh_from_db()
    assert newsroom["own"].headline == "Night trams return on Fridays"


@pytest.mark.parametrize("model_name, field_name", [
    ("image", "articles"), ("section", "articles"), ("author", "bylines"), ("article", "nothing"),
])
def test_a_picker_asked_for_a_field_that_is_no_pickers_is_refused(
    people, newsroom, model_name, field_name
):
    response = signed_in(people["editor"]).get(reverse("admin:autocomplete"), {
        "term": "x", "app_label": "articles", "model_name": model_name, "field_name": field_name,
    })

    assert response.status_code == 403


def test_an_id_too_large_for_the_database_is_a_bad_request(people, newsroom):
    section = Section.objects.get()
    response = signed_in(people["editor"]).post(reverse("admin:articles_section_changelist"), {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000", "form-0-id": "99999999999999999999",
        "form-0-position": "3", "_save": "Save",
    })

    assert response.status_code in (200, 400)  # 400 where the database cannot hold it
    section.refresh_from_db()
    assert section.position == 0


# Every page a writer can reach.


def admin_links(html, base):
    """The admin pages a page links to, as paths with their query strings."""
    links = set()
    for href in re.findall(r'href="([^"#]+)"', html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.path.startswith("/admin/") and "logout" not in parts.path:
            links.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


# Query parameters that change how a page is laid out, not which rows it may show: the
# ordering, and the list's filters carried along by a form or a history page to lead back.
LAYOUT_PARAMETERS = {"o", "_changelist_filters"}


def page_shown(url):
    """What a page shows, for the walk to open each once: its path and the parameters that
    choose rows. None for a list filtered on two fields at once, which shows the rows both
    single filters show and no count of its own."""
    parts = urlsplit(url)
    query = sorted(
        # Any value of _facets asks for the counts.
        (name, "" if name == "_facets" else value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name not in LAYOUT_PARAMETERS
    )
    filtered_fields = {name.split("__")[0] for name, _ in query if name != "_facets"}
    if len(filtered_fields) > 1:
        return None
    return parts.path, tuple(query)


def test_no_admin_page_a_writer_can_reach_tells_of_a_colleagues_draft(people, newsroom):
    """Every page linked from the admin's home, followed from page to page as a writer would
    click, answers without a server error and without the secret draft's headline, address,
    image caption or tag: every list under each of its filters, with and without counts."""
    client = signed_in(people["writer"])
    start = reverse("admin:index")
    opened, queue = set(), [start]
    while queue:
        url = queue.pop(0)
        shown = page_shown(url)
        if shown is None or shown in opened:
            continue
        opened.add(shown)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert SECRET_HEADLINE not in html, url
        assert SECRET_SLUG not in html, url
        assert SECRET_CAPTION not in html, url
        assert SECRET_TAG not in html, url
        queue.extend(sorted(admin_links(html, url)))
    # The walk reached the newsroom's own pages, each list's filters with their counts.
    paths = {path for path, _ in opened}
    for expected in (
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_image_changelist"),
        reverse("admin:taggit_tag_changelist"),
        reverse("admin:articles_section_changelist"),
        reverse("admin:articles_author_changelist"),
        reverse("admin:articles_article_change", args=[newsroom["own"].pk]),
        reverse("admin:articles_article_history", args=[newsroom["own"].pk]),
    ):
        assert expected in paths
    article_list = reverse("admin:articles_article_changelist")
    assert (article_list, (("_facets", ""), ("status__exact", "draft"))) in opened
    assert (article_list, (("tags__isnull", "True"),)) in opened


def test_the_pickers_a_writer_uses_show_nothing_of_a_colleagues_draft(people, newsroom):
    client = signed_in(people["writer"])
    for model_name, field_name in [
        ("article", "lead_image"), ("article", "section"), ("byline", "author"),
    ]:
        response = client.get(reverse("admin:autocomplete"), {
            "term": "", "app_label": "articles", "model_name": model_name,
            "field_name": field_name,
        })
        assert response.status_code == 200
        assert_no_secret(response.content.decode())


def test_a_writer_cannot_reach_users_roles_or_the_login_records(people, newsroom):
    client = signed_in(people["writer"])
    for url in (
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_change", args=[Group.objects.get(name=roles.WRITER).pk]),
        reverse("admin:autocomplete") + "?term=&app_label=articles&model_name=author"
        "&field_name=user",
    ):
        assert client.get(url).status_code == 403, url


def test_a_writer_reads_sections_and_authors_but_cannot_change_them(people, newsroom, author):
    client = signed_in(people["writer"])
    section = Section.objects.get()
    for url, model in (
        (reverse("admin:articles_section_change", args=[section.pk]), Section),
        (reverse("admin:articles_author_change", args=[author.pk]), Author),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert client.post(url, {"name": "Renamed", "slug": "renamed"}).status_code == 403
        assert not model.objects.filter(name="Renamed").exists()
