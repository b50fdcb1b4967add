"""The article form's autosave on the server: who may keep a working copy of what, that keeping
one is no save, who is offered it back, and what clears it.

Every article here was started by `writer`. `other_writer` is a colleague in the same role,
`editor` runs the desk, and `anonymous` is someone whose session has ended. A writer may keep a
working copy of their own drafts only, an editor of any article; nobody sees another's.
"""

import json
from datetime import timedelta

import pytest
import reversion
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from makers import afresh, city_section, desk_people, new_article, staff_member
from reversion.models import Version

from articles.caching import content_version
from articles.models import Article, WorkingCopy
from articles.working_copies import MAX_FIELDS

pytestmark = pytest.mark.django_db

USERS = ["anonymous", "writer", "other_writer", "editor"]
STATES = ["draft", "in_review", "published"]
HEADLINES = {
    "draft": "Councillors weigh a fare freeze for night trams",
    "in_review": "Harbour bridge repairs run two years late",
    "published": "Eastgate library reopens after the flood",
}
TYPED = "Councillors agree a fare freeze for night trams"


@pytest.fixture(scope="module", autouse=True)
def made_once(module_transaction):
    """The desk and one article of the writer's in each state, each with one saved version."""
    people = desk_people()
    section = city_section()
    states = {
        "draft": {"status": Article.Status.DRAFT, "published_at": None},
        "in_review": {"status": Article.Status.IN_REVIEW, "published_at": None},
        "published": {"status": Article.Status.PUBLISHED},
    }
    articles = {}
    for number, (state, fields) in enumerate(states.items(), start=1):
        article = new_article(
            number, section, HEADLINES[state], slug=f"{state.replace('_', '-')}-article",
            created_by=people["writer"], **fields,
        )
        with reversion.create_revision():
            article.save()
        articles[state] = article.pk
    return {"people": {name: person.pk for name, person in people.items()}, "articles": articles}


@pytest.fixture
def people(made_once, django_user_model):
    return {"anonymous": None, **afresh(django_user_model, made_once["people"])}


@pytest.fixture
def articles(made_once):
    return afresh(Article, made_once["articles"])


@pytest.fixture
def browser_of(people):
    def browser(user, **options):
        client = Client(**options)
        if people[user] is not None:
            client.force_login(people[user])
        return client

    return browser


def copy_url(article=None):
    if article is None:
        return reverse("admin:articles_article_new_working_copy")
    return reverse("admin:articles_article_working_copy", args=[article.pk])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(headline=TYPED, body="<p>Night trams will cost the same next year.</p>"):
    return {
        "fields": [["headline", headline], ["standfirst", ""], ["body", body],
                   ["tags", "transport"], ["section", "1"]],
        "labels": {"tags": {"transport": "transport"}, "section": {"1": "City"}},
    }


def keep(client, article=None, data=None):
    return client.post(
        copy_url(article), json.dumps(data or form_data()), content_type="application/json"
    )


def copies_of(article=None):
    return list(WorkingCopy.objects.filter(article=article))


# Who may keep a working copy of which article.

MAY_KEEP = {
    # user:         (draft, in_review, published)
    "anonymous": (401, 401, 401),
    "writer": (200, 403, 403),
    "other_writer": (404, 404, 404),
    "editor": (200, 200, 200),
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("user", USERS)
def test_who_may_keep_a_working_copy_of_each_article(browser_of, articles, user, state):
    """A writer their own drafts, an editor anything; a colleague's article is not there at
    all, and a signed-out browser is told so in JSON rather than sent to the login page."""
    article = articles[state]

    response = keep(browser_of(user), article)

    expected = MAY_KEEP[user][STATES.index(state)]
    assert response.status_code == expected
    assert response["Content-Type"] == "application/json"
    assert article.headline not in response.content.decode()
    kept = copies_of(article)
    if expected == 200:
        assert [copy.user.username for copy in kept] == [user]
        assert kept[0].data == form_data()
    else:
        assert kept == []
        assert "error" in response.json()
    if user == "anonymous":
        assert response.json()["signed_in"] is False


@pytest.mark.parametrize("user", USERS)
def test_who_may_keep_a_working_copy_of_a_new_article(browser_of, people, user):
    response = keep(browser_of(user))

    assert response.status_code == (401 if user == "anonymous" else 200)
    owners = [copy.user.username for copy in copies_of(None)]
    assert owners == ([] if user == "anonymous" else [user])


def test_someone_who_may_not_write_articles_keeps_no_working_copy_of_a_new_one(db):
    reader = staff_member("archivist")
    reader.user_permissions.set(Permission.objects.filter(codename="view_article"))
    client = Client()
    client.force_login(reader)

    response = keep(client)

    assert response.status_code == 403
    assert copies_of(None) == []


def test_discarding_removes_only_ones_own_working_copy(browser_of, articles):
    article = articles["draft"]
    keep(browser_of("writer"), article)
    keep(browser_of("editor"), article)

    response = browser_of("editor").delete(copy_url(article))

    assert response.status_code == 200
    assert [copy.user.username for copy in copies_of(article)] == ["writer"]


def test_a_working_copy_can_be_kept_only_with_the_pages_csrf_token(browser_of, articles):
    """A forged request from another site cannot plant text in someone's form."""
    client = browser_of("editor", enforce_csrf_checks=True)

    response = keep(client, articles["draft"])

    assert response.status_code == 403
    assert copies_of(articles["draft"]) == []
    token = client.get(reverse("session_status")).json()["csrf_token"]
    response = client.post(
        copy_url(articles["draft"]), json.dumps(form_data()),
        content_type="application/json", headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200


# What the endpoint refuses, with a message.

BAD_INPUT = {
    "not JSON": "{headline: trams",
    "not an object": json.dumps(["headline", TYPED]),
    "unknown keys": json.dumps({"fields": [], "script": "alert(1)"}),
    "fields not pairs": json.dumps({"fields": [["headline"]]}),
    "a number for a value": json.dumps({"fields": [["headline", 7]]}),
    "an empty name": json.dumps({"fields": [["", TYPED]]}),
    "labels not text": json.dumps({"fields": [], "labels": {"section": ["City"]}}),
    "too many fields": json.dumps({"fields": [["tags", "x"]] * (MAX_FIELDS + 1)}),
    "too large": json.dumps(form_data(body="<p>" + "tram " * 500_000 + "</p>")),
    "not UTF-8": b"\xff\xfe{}",
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_refused_with_a_message(browser_of, articles, case):
    response = browser_of("editor").post(
        copy_url(articles["draft"]), BAD_INPUT[case], content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]
    assert copies_of(articles["draft"]) == []


def test_a_get_or_an_id_too_large_for_the_database_is_no_server_error(browser_of):
    client = browser_of("editor")

    assert client.get(copy_url()).status_code == 405
    response = client.post(
        "/admin/articles/article/99999999999999999999999/change/working-copy/",
        json.dumps(form_data()), content_type="application/json",
    )
    assert response.status_code == 404


# Keeping a working copy is not saving the article.


def test_keeping_a_working_copy_changes_nothing_of_the_article(browser_of, articles):
    """No revision in the history, no new text, status or time on the article, and no change
    readers would see, so no reader's page is made afresh."""
    article = articles["published"]
    versions = Version.objects.get_for_object(article).count()
    version = content_version()

    for headline in ["Library reopens", "Library reopens its doors", TYPED]:
        assert keep(browser_of("editor"), article, form_data(headline)).status_code == 200

    after = Article.objects.get(pk=article.pk)
    assert (after.headline, after.status, after.modified_at, after.published_at) == (
        article.headline, article.status, article.modified_at, article.published_at
    )
    assert Version.objects.get_for_object(article).count() == versions
    assert content_version() == version
    assert [copy.data["fields"][0] for copy in copies_of(article)] == [["headline", TYPED]]


# Who is offered a working copy back.


def offer_in(response):
    return "Restore what you were typing at" in response.content.decode()


def test_the_form_offers_a_person_only_their_own_working_copy(browser_of, articles):
    article = articles["draft"]
    keep(browser_of("writer"), article, form_data("The writer's own words"))

    writers_page = browser_of("writer").get(change_url(article))
    editors_page = browser_of("editor").get(change_url(article))

    assert offer_in(writers_page)
    assert "The writer's own words" in writers_page.content.decode()
    assert not offer_in(editors_page)
    assert "The writer's own words" not in editors_page.content.decode()


def test_the_offer_names_the_time_the_typing_was_kept(browser_of, articles):
    article = articles["draft"]
    keep(browser_of("writer"), article)
    copy = copies_of(article)[0]
    copy.saved_at = timezone.now().replace(hour=10, minute=42)
    copy.save()

    response = browser_of("writer").get(change_url(article))

    assert "Restore what you were typing at 10:42?" in response.content.decode()


def test_a_handed_in_article_offers_its_writer_nothing_to_restore(
    browser_of, people, articles
):
    """The writer may only read it now (their copy is from while it was a draft); an editor's
    own copy is offered to the editor."""
    article = articles["in_review"]
    keep(browser_of("editor"), article)
    WorkingCopy.objects.create(article=article, user=people["writer"], data=form_data())

    assert not offer_in(browser_of("writer").get(change_url(article)))
    assert offer_in(browser_of("editor").get(change_url(article)))


def test_a_new_article_is_offered_on_the_add_page_to_its_writer_alone(browser_of):
    keep(browser_of("writer"), None, form_data("A story nobody has saved yet"))

    add = reverse("admin:articles_article_add")
    assert offer_in(browser_of("writer").get(add))
    assert "A story nobody has saved yet" in browser_of("writer").get(add).content.decode()
    assert not offer_in(browser_of("editor").get(add))


def test_working_copies_older_than_a_month_are_not_offered_and_are_cleared(
    browser_of, articles, settings
):
    article = articles["draft"]
    keep(browser_of("writer"), article)
    keep(browser_of("editor"), article)
    long_ago = timezone.now() - timedelta(days=settings.NEWSROOM_WORKING_COPY_DAYS, hours=1)
    WorkingCopy.objects.filter(user__username="writer").update(saved_at=long_ago)

    assert not offer_in(browser_of("writer").get(change_url(article)))
    keep(browser_of("editor"), None)  # a new working copy clears the old ones

    assert sorted(copy.user.username for copy in WorkingCopy.objects.all()) == [
        "editor", "editor"
    ]


def test_the_command_clears_working_copies_older_than_a_month(browser_of, articles, capsys):
    keep(browser_of("writer"), articles["draft"])
    keep(browser_of("editor"), articles["draft"])
    WorkingCopy.objects.filter(user__username="writer").update(
        saved_at=timezone.now() - timedelta(days=45)
    )

    call_command("clear_working_copies")

    assert "Removed 1 working copy." in capsys.readouterr().out
    assert [copy.user.username for copy in WorkingCopy.objects.all()] == ["editor"]


# What clears a working copy: a real save, and deleting the article.


def test_saving_the_article_clears_the_savers_working_copy_only(
    browser_of, articles, read_form
):
    article = articles["draft"]
    keep(browser_of("writer"), article)
    keep(browser_of("editor"), article)
    writer = browser_of("writer")
    data = read_form(writer.get(change_url(article)))
    data.update(headline=TYPED, _save="Save")

    response = writer.post(change_url(article), data)

    assert response.status_code == 302
    assert [copy.user.username for copy in copies_of(article)] == ["editor"]
    assert not offer_in(writer.get(change_url(article)))


def test_a_save_that_comes_back_with_errors_keeps_the_working_copy(
    browser_of, articles, read_form
):
    article = articles["draft"]
    writer = browser_of("writer")
    keep(writer, article)
    data = read_form(writer.get(change_url(article)))
    data.update(headline="", _save="Save")

    response = writer.post(change_url(article), data)

    assert response.status_code == 200
    assert len(copies_of(article)) == 1
    # The form holds what was just sent: nothing older is offered over it.
    assert not offer_in(response)


def test_saving_a_new_article_clears_the_new_articles_working_copy(
    browser_of, people, read_form
):
    writer = browser_of("writer")
    keep(writer)
    add = reverse("admin:articles_article_add")
    data = read_form(writer.get(add))
    section = Article.objects.first().section_id
    data.update(headline=TYPED, slug="fare-freeze", section=str(section), _save="Save")

    response = writer.post(add, data)

    assert response.status_code == 302
    assert Article.objects.filter(headline=TYPED, created_by=people["writer"]).exists()
    assert copies_of(None) == []


def test_deleting_the_article_removes_its_working_copies(browser_of, articles):
    article = articles["draft"]
    keep(browser_of("writer"), article)
    keep(browser_of("editor"), article)

    response = browser_of("editor").post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not WorkingCopy.objects.exists()


# The session check the form makes before it saves, and the page a refused save leads to.


@pytest.mark.parametrize("user", ["anonymous", "writer"])
def test_the_session_check_says_who_is_signed_in_with_a_fresh_token(browser_of, user):
    response = browser_of(user).get(reverse("session_status"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    answer = response.json()
    assert answer["signed_in"] is (user == "writer")
    assert answer["user"] == ("writer" if user == "writer" else "")
    assert len(answer["csrf_token"]) == 64


def test_a_save_refused_for_its_token_says_where_the_text_is(browser_of, articles, read_form):
    """What a person sees who pressed Save after signing in again elsewhere, without the
    form's script: not a bare 403, but where their typing is and how to get it back."""
    article = articles["draft"]
    writer = browser_of("writer", enforce_csrf_checks=True)
    data = read_form(writer.get(change_url(article)))
    data.update(headline=TYPED, _save="Save", csrfmiddlewaretoken="x" * 64)

    response = writer.post(change_url(article), data)

    html = response.content.decode()
    assert response.status_code == 403
    assert "Nothing was saved" in html
    assert "What you typed is not lost" in html
    assert f'href="{change_url(article)}"' in html
    assert "Restore what you were typing" in html
    assert Article.objects.get(pk=article.pk).headline == HEADLINES["draft"]


def test_a_refused_post_outside_the_admin_gets_djangos_own_page(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("articles:search"), {"q": "trams"})

    assert response.status_code == 403
    assert "CSRF verification failed" in response.content.decode()
