"""Who may do what with an article: in the admin, on the site, and by posting forms by hand.

Every article here was started by `writer`. `other_writer` is a colleague in the same role,
`editor` runs the desk, and `anonymous` is a reader who has not logged in. A writer works on
their own drafts; once an article is handed in (in review, scheduled, published or unpublished)
it is the editors' to change.
"""

from datetime import timedelta
from urllib.parse import parse_qs

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from makers import afresh, city_section, desk_people, new_article, tram_image
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, Correction, Image, Section, StatusChange
from articles.publishing import publish

pytestmark = pytest.mark.django_db

USERS = ["anonymous", "writer", "other_writer", "editor"]
STATES = ["draft", "in_review", "scheduled", "published", "unpublished"]

# A headline of its own for each state, so a page that shows one article shows no other by accident.
HEADLINES = {
    "draft": "Councillors weigh a fare freeze for night trams",
    "in_review": "Harbour bridge repairs run two years late",
    "scheduled": "Budget sets aside money for a new ferry pier",
    "published": "Eastgate library reopens after the flood",
    "unpublished": "Port authority names a new chief executive",
}


def future():
    return timezone.now() + timedelta(days=1)


@pytest.fixture(scope="module", autouse=True)
def made_once(module_transaction):
    """The desk, the section, the image and one article of the writer's in each state, each with
    the image, a source, a tag and two saved versions in its history: made once for the module
    (see module_transaction); each test reads them afresh."""
    people = desk_people()
    writer, editor = people["writer"], people["editor"]
    section, image = city_section(), tram_image()
    states = {
        "draft": {"status": Article.Status.DRAFT, "published_at": None},
        "in_review": {"status": Article.Status.IN_REVIEW, "published_at": None},
        "scheduled": {"status": Article.Status.PUBLISHED, "published_at": future()},
        "published": {"status": Article.Status.PUBLISHED},
        "unpublished": {"status": Article.Status.UNPUBLISHED},
    }
    articles = {}
    for number, (state, fields) in enumerate(states.items(), start=1):
        article = new_article(
            number, section, HEADLINES[state], slug=f"{state.replace('_', '-')}-article",
            created_by=writer, lead_image=image,
            references=["Council transport committee minutes"], tags=["transport"], **fields,
        )
        with reversion.create_revision():
            reversion.set_user(writer)
            article.save()
        article.standfirst = "A standfirst the editor sharpened."
        with reversion.create_revision():
            reversion.set_user(editor)
            article.save()
        articles[state] = article.pk
    return {
        "people": {name: person.pk for name, person in people.items()},
        "section": section.pk,
        "image": image.pk,
        "articles": articles,
    }


@pytest.fixture
def people(db, made_once, django_user_model):
    return {"anonymous": None, **afresh(django_user_model, made_once["people"])}


@pytest.fixture
def section(db, made_once):
    return Section.objects.get(pk=made_once["section"])


@pytest.fixture
def image(db, made_once):
    return Image.objects.get(pk=made_once["image"])


@pytest.fixture
def articles(db, made_once):
    """One article of the writer's in each state (see made_once), read afresh."""
    return afresh(Article, made_once["articles"])


@pytest.fixture
def browser_of(people):
    """`browser_of("writer")`: a browser signed in as that person (or nobody, for anonymous)."""

    def browser(user):
        client = Client()
        if people[user] is not None:
            client.force_login(people[user])
        return client

    return browser


@pytest.fixture
def writer(browser_of):
    """The writer's browser, for the forged posts below."""
    return browser_of("writer")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def versions_of(article):
    """The article's saved versions, oldest first."""
    return list(Version.objects.get_for_object(article).order_by("pk"))


def assert_sent_to_login(response, url):
    assert response.status_code == 302
    path, _, query = response["Location"].partition("?")
    assert path == reverse("admin:login")
    assert parse_qs(query)["next"] == [url]


def assert_no_sign_of(client, response, headline):
    """Refused, or sent elsewhere, without the article's headline on any page along the way."""
    assert response.status_code in (302, 403, 404)
    assert headline not in response.content.decode()
    if response.status_code == 302:
        landing = client.get(response["Location"], follow=True)
        assert landing.status_code == 200
        assert headline not in landing.content.decode()


# The admin: what each person notices on each page about one of the writer's articles.

EDITABLE = "the article, with a Save button"
READ_ONLY = "the article, with no Save button"
SHOWN = "the article"
ABSENT = "the page, without the article"
REFUSED = "403 Forbidden"
PUBLIC_ONLY = "the page, naming the article only once readers can see it"
NO_SIGN = "refused or sent away, the article's headline nowhere"

ADMIN_URLS = {
    "changelist": lambda article: reverse("admin:articles_article_changelist"),
    "change-page": change_url,
    "delete-page": lambda article: reverse("admin:articles_article_delete", args=[article.pk]),
    "history": lambda article: reverse("admin:articles_article_history", args=[article.pk]),
    "revision": lambda article: reverse(
        "admin:articles_article_revision", args=[article.pk, versions_of(article)[0].pk]
    ),
    "compare": lambda article: "{}?from={}&to={}".format(
        reverse("admin:articles_article_compare", args=[article.pk]),
        *[version.revision_id for version in versions_of(article)],
    ),
    "tag-autocomplete": lambda article: (
        reverse("admin:articles_article_tag_autocomplete") + "?term=tra"
    ),
    "section-autocomplete": lambda article: (
        reverse("admin:autocomplete")
        + "?term=&app_label=articles&model_name=article&field_name=section"
    ),
    "image-page": lambda article: reverse(
        "admin:articles_image_change", args=[article.lead_image_id]
    ),
    # Asked for after the article is deleted: the list of what may be brought back.
    "recover-list": lambda article: reverse("admin:articles_article_recoverlist"),
}

# The writer's own article is theirs to edit while a draft; handed in, it is theirs to read.
ADMIN_PAGES = {
    # page:                  (own draft, own handed in, other_writer, editor)
    "changelist":            (SHOWN, SHOWN, ABSENT, SHOWN),
    "change-page":           (EDITABLE, READ_ONLY, NO_SIGN, EDITABLE),
    "delete-page":           (SHOWN, REFUSED, NO_SIGN, SHOWN),
    "history":               (SHOWN, SHOWN, NO_SIGN, SHOWN),
    "revision":              (EDITABLE, READ_ONLY, NO_SIGN, EDITABLE),
    "compare":               (SHOWN, SHOWN, NO_SIGN, SHOWN),
    "tag-autocomplete":      (ABSENT, ABSENT, ABSENT, ABSENT),
    "section-autocomplete":  (ABSENT, ABSENT, ABSENT, ABSENT),
    "image-page":          (SHOWN, SHOWN, PUBLIC_ONLY, SHOWN),
    "recover-list":          (REFUSED, REFUSED, REFUSED, SHOWN),
}


def expected_on_admin_page(page, user, state):
    own_draft, own_handed_in, other_writer, editor = ADMIN_PAGES[page]
    if user == "writer":
        return own_draft if state == "draft" else own_handed_in
    if user == "other_writer" and other_writer == PUBLIC_ONLY:
        return SHOWN if state == "published" else ABSENT
    return {"other_writer": other_writer, "editor": editor}[user]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_what_each_person_sees_of_an_article_on_each_admin_page(
    browser_of, articles, page, user, state
):
    """Anonymous visitors are asked to log in; otherwise each person gets what ADMIN_PAGES says,
    and a page that must not show the article does not carry its headline anywhere."""
    article = articles[state]
    headline = article.headline
    url = ADMIN_URLS[page](article)
    if page == "recover-list":
        article.delete()
    client = browser_of(user)

    response = client.get(url)

    html = response.content.decode()
    if user == "anonymous":
        assert_sent_to_login(response, url)
        assert headline not in html
        return
    expected = expected_on_admin_page(page, user, state)
    if expected == NO_SIGN:
        assert_no_sign_of(client, response, headline)
    elif expected == REFUSED:
        assert response.status_code == 403
        assert headline not in html
    elif expected == ABSENT:
        assert response.status_code == 200
        assert headline not in html, f"{user} should not see the article here"
    else:
        assert response.status_code == 200
        assert headline in html, f"{user} should see the article here"
        if expected == EDITABLE:
            assert 'name="_save"' in html, f"{user} should be able to save the article"
        if expected == READ_ONLY:
            assert 'name="_save"' not in html, f"{user} should only read the article"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("user", USERS)
def test_only_the_writer_of_a_draft_and_editors_can_save_changes_to_it(
    browser_of, articles, read_form, user, state
):
    """The post is the change page's own form with a new headline. Those who may not edit the
    article post what an editor's page would send: a complete, valid form."""
    article = articles[state]
    may_edit = user == "editor" or (user == "writer" and state == "draft")
    client = browser_of(user)
    page_owner = client if may_edit else browser_of("editor")
    data = read_form(page_owner.get(change_url(article)))
    data["headline"] = "A headline nobody approved"
    data["_save"] = "Save"

    response = client.post(change_url(article), data)

    saved = Article.objects.get(pk=article.pk).headline
    if may_edit:
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert saved == "A headline nobody approved"
        return
    assert saved == HEADLINES[state]
    if user == "anonymous":
        assert_sent_to_login(response, change_url(article))
    elif user == "writer":
        assert response.status_code == 403
    else:
        assert_no_sign_of(client, response, HEADLINES[state])


# What the editor's list actions leave each article as; anyone else leaves it as it was.
AFTER_ACTION = {
    "publish_selected": {
        "draft": "published", "in_review": "published", "scheduled": "published",
        "published": "published", "unpublished": "published",
    },
    "unpublish_selected": {
        "draft": "draft", "in_review": "in_review", "scheduled": "unpublished",
        "published": "unpublished", "unpublished": "unpublished",
    },
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("action", AFTER_ACTION)
def test_only_an_editor_can_publish_or_unpublish_from_the_list(
    browser_of, articles, action, user, state
):
    article = articles[state]
    status_before = article.status
    client = browser_of(user)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [article.pk]},
        follow=user != "anonymous",
    )

    article.refresh_from_db()
    if user == "editor":
        assert article.status == AFTER_ACTION[action][state]
        return
    assert article.status == status_before
    if user == "anonymous":
        assert_sent_to_login(response, reverse("admin:articles_article_changelist"))
        return
    html = response.content.decode()
    assert response.status_code in (200, 403)
    # No "Published 1 article(s)." or "Unpublished 1 article(s)." message either.
    assert "article(s)" not in html
    if user == "other_writer":
        assert article.headline not in html


# The public site: the article's own page, and the lists and feed it appears in.

PUBLIC_URLS = {
    "article-page": lambda article: article.get_absolute_url(),
    "home": lambda article: reverse("articles:home"),
    "section": lambda article: article.section.get_absolute_url(),
    "feed": lambda article: reverse("articles:feed_rss"),
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("page", PUBLIC_URLS)
def test_what_each_person_sees_of_an_article_on_the_site(browser_of, articles, page, user, state):
    """Readers see an article once it is out. Before that, its writer and the editors may preview
    its page; lists and feeds never carry it early, whoever asks."""
    article = articles[state]
    is_out = state == "published"
    may_preview = user in ("writer", "editor")

    response = browser_of(user).get(PUBLIC_URLS[page](article))

    html = response.content.decode()
    if page == "article-page" and not is_out and not may_preview:
        assert response.status_code == 404
        assert article.headline not in html
        return
    assert response.status_code == 200
    shown = is_out or (page == "article-page" and may_preview)
    assert (article.headline in html) == shown


# Forged posts: a writer sending by hand what their form does not offer.


def a_past_publication_time():
    """A past publication time, typed as the admin's date and time boxes expect it."""
    when = timezone.localtime() - timedelta(days=2)
    return {
        "published_at_0": when.strftime(formats.get_format("DATE_INPUT_FORMATS")[0]),
        "published_at_1": "09:30:00",
    }


FORGERIES = {
    "status-published": (lambda: {"status": "published"}, "Select a valid choice."),
    "publication-time": (
        a_past_publication_time, "Only an editor may set the publication time.",
    ),
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_writer_cannot_publish_their_draft_by_posting_what_the_form_does_not_offer(
    writer, articles, read_form, forgery
):
    """The form comes back with an error; neither the status, the time nor the headline move."""
    article = articles["draft"]
    forged_fields, message = FORGERIES[forgery]
    data = read_form(writer.get(change_url(article)))
    data.update(forged_fields(), headline="Fare freeze agreed", _save="Save")

    response = writer.post(change_url(article), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.headline == HEADLINES["draft"]
    assert not Article.objects.published().filter(pk=article.pk).exists()


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_writer_cannot_add_a_published_article(writer, section, read_form, forgery):
    """A new article posted as published, or with a publication time, is refused outright."""
    forged_fields, message = FORGERIES[forgery]
    add_url = reverse("admin:articles_article_add")
    data = read_form(writer.get(add_url))
    data.update(
        forged_fields(),
        headline="Night trams approved",
        slug="night-trams-approved",
        section=section.pk,
        _save="Save",
    )

    response = writer.post(add_url, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.filter(slug="night-trams-approved").exists()


def test_a_writer_hands_in_their_draft_and_can_then_no_longer_change_it(
    writer, people, articles, read_form
):
    """Handing in is the writer's last step: the workflow records who did it and when, and
    the article becomes read-only for them."""
    article = articles["draft"]
    data = read_form(writer.get(change_url(article)))
    data.update(status="in_review", _save="Save")
    before = timezone.now()

    response = writer.post(change_url(article), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    step = StatusChange.objects.filter(article=article).latest("changed_at", "pk")
    assert step.status == Article.Status.IN_REVIEW
    assert step.changed_by == people["writer"]
    assert before <= step.changed_at <= timezone.now()

    page = writer.get(change_url(article))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    data.update(
        status="draft", headline="Fare freeze agreed",
        loaded_version=article.modified_at.isoformat(),
    )
    assert writer.post(change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert article.headline == HEADLINES["draft"]
    assert article.status == Article.Status.IN_REVIEW


def test_a_writer_cannot_take_back_a_published_article_by_restoring_an_old_draft_version(
    writer, people, make_article, read_form
):
    """Restoring a version from when the article was a draft would take it off the site; that is
    an editor's decision, whatever state the old version was in."""
    article = make_article(
        "Tram drivers agree new rota", status=Article.Status.DRAFT, published_at=None,
        created_by=people["writer"],
    )
    with reversion.create_revision():
        reversion.set_user(people["writer"])
        article.save()
    with reversion.create_revision():
        reversion.set_user(people["editor"])
        publish(article, by=people["editor"])
    draft_version = versions_of(article)[0]
    url = reverse("admin:articles_article_revision", args=[article.pk, draft_version.pk])
    data = read_form(writer.get(url))
    data["_save"] = "Save"

    response = writer.post(url, data)

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.is_published


def test_a_writer_cannot_restore_a_colleagues_article_through_a_version_that_shares_their_drafts_id(
    writer, people, make_article, read_form
):
    """A version is numbered among all the site's versions, of tags and bylines as well as of
    articles. One of a tag whose id is the writer's draft's own id belongs to a colleague's
    revision: restoring it from the draft's history would restore the colleague's article."""
    draft = make_article(
        "The writer's own draft", pk=10_000, status=Article.Status.DRAFT, published_at=None,
        created_by=people["writer"],
    )
    article = make_article(
        "Tram depot to close", status=Article.Status.DRAFT, published_at=None,
        created_by=people["other_writer"],
    )
    shared_id_tag = Tag.objects.create(pk=draft.pk, name="depot", slug="depot")
    with reversion.create_revision():
        article.tags.set([shared_id_tag])
        article.save()
    article.body = "<p>The colleague's latest version.</p>"
    article.tags.clear()
    with reversion.create_revision():
        article.save()
    tag_version = Version.objects.get_for_object(shared_id_tag).get()
    url = reverse("admin:articles_article_revision", args=[draft.pk, tag_version.pk])

    page = writer.get(url)
    response = writer.post(url, {**read_form(writer.get(change_url(draft))), "_save": "Save"})

    assert page.status_code == 404
    assert "Tram depot" not in page.content.decode()
    assert response.status_code == 404
    article.refresh_from_db()
    assert article.body == "<p>The colleague's latest version.</p>"
    assert list(article.tags.names()) == []


# Corrections are an editor's: readers are told about them, so the record must say who made one.


def add_inline_form(data, prefix, **fields):
    """Add one form to an inline, as the page's "Add another" link does: a copy of the page's
    empty template form, with `fields` typed in."""
    number = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in list(data.items()):
        if f"{prefix}-__prefix__-" in name:
            data[name.replace("__prefix__", str(number))] = value
    for field, value in fields.items():
        data[f"{prefix}-{number}-{field}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(number + 1)
    return data


def test_an_editor_adds_a_correction_and_the_article_counts_as_updated(
    browser_of, people, articles, read_form
):
    article = articles["published"]
    assert not article.was_updated
    editor = browser_of("editor")
    data = read_form(editor.get(change_url(article)))
    add_inline_form(
        data, "corrections", kind="correction",
        text="An earlier version gave the wrong reopening date.",
    )
    data["_save"] = "Save"

    response = editor.post(change_url(article), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    correction = Correction.objects.get(article=article)
    assert correction.text == "An earlier version gave the wrong reopening date."
    assert correction.created_by == people["editor"]
    article.refresh_from_db()
    assert article.updated_at is not None
    assert article.was_updated


def test_a_writers_change_form_has_no_corrections(writer, articles):
    response = writer.get(change_url(articles["draft"]))

    prefixes = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert prefixes == ["bylines", "references", "share_links"]
    assert 'name="corrections-TOTAL_FORMS"' not in response.content.decode()


def test_a_correction_forged_into_a_writers_post_is_not_kept(writer, articles, read_form):
    """The draft is saved, but the correction the writer's form never offered is not."""
    article = articles["draft"]
    data = read_form(writer.get(change_url(article)))
    when = timezone.localtime()
    data.update({
        "headline": "Fare freeze agreed",
        "corrections-TOTAL_FORMS": "1",
        "corrections-INITIAL_FORMS": "0",
        "corrections-0-article": str(article.pk),
        "corrections-0-kind": "correction",
        "corrections-0-text": "A correction the desk never approved.",
        "corrections-0-created_at_0": when.strftime(formats.get_format("DATE_INPUT_FORMATS")[0]),
        "corrections-0-created_at_1": when.strftime("%H:%M:%S"),
        "_save": "Save",
    })

    response = writer.post(change_url(article), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not Correction.objects.exists()
    article.refresh_from_db()
    assert article.headline == "Fare freeze agreed"
    assert article.updated_at is None
