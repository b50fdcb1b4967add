"""The article form's preview: the story as readers would get it from what the form holds now,
for whoever may change the article, with nothing saved; and where the story is once saved."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import roles
from articles.caching import content_version
from articles.models import Article, Author, StatusChange

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def preview_url(article=None):
    if article is None:
        return reverse("admin:articles_article_preview_new")
    return reverse("admin:articles_article_preview", args=[article.pk])


@pytest.fixture
def signed_in(make_staff):
    def sign_in(name, role):
        client = Client()
        client.force_login(make_staff(name, role))
        return client

    return sign_in


@pytest.fixture
def editor(signed_in):
    return signed_in("editor", roles.EDITOR)


@pytest.fixture
def writer(signed_in):
    return signed_in("writer", roles.WRITER)


@pytest.fixture
def story(make_article, author, image):
    return make_article(
        "Night tram returns", authors=[author], tags=["night tram"], lead_image=image,
        references=["Transport committee minutes"],
    )


def test_an_editor_sees_the_form_as_readers_would_without_anything_saved(
    editor, story, read_form
):
    data = read_form(editor.get(change_url(story)))
    stored = Article.objects.values().get(pk=story.pk)
    versions, steps, version = Version.objects.count(), StatusChange.objects.count(), (
        content_version().token
    )
    data.update(headline="Night tram returns on Friday", body="<p>From 23:40 nightly.</p>")

    response = editor.post(preview_url(story), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Night tram returns on Friday</h1>" in page
    assert "From 23:40 nightly." in page
    assert "Preview of the form as it stands — not saved" in page
    # Drawn by the readers' template: the lead picture with its credit, byline, tags, sources.
    assert "Credit: " in page and "Ana Ruiz / Courier" in page
    assert "Mira Okafor" in page
    assert 'rel="tag">night tram</a>' in page
    assert "Transport committee minutes" in page
    assert Article.objects.values().get(pk=story.pk) == stored
    assert Version.objects.count() == versions
    assert StatusChange.objects.count() == steps
    assert content_version().token == version


def test_the_preview_shows_the_byline_sources_and_tags_as_the_form_holds_them(
    editor, story, read_form
):
    colleague = Author.objects.create(name="Tomas Berg", slug="tomas-berg")
    data = read_form(editor.get(change_url(story)))
    data.update({
        "bylines-1-author": str(colleague.pk),
        "bylines-1-position": "1",
        "references-1-title": "Operator's timetable for the winter",
        "references-1-position": "1",
        "tags": ["night tram", "Winter timetable"],
    })

    page = editor.post(preview_url(story), data).content.decode()

    assert "By <a" in page and "Mira Okafor</a> and <a" in page and "Tomas Berg</a>" in page
    assert "Operator&#x27;s timetable for the winter" in page
    assert 'rel="tag">Winter timetable</a>' in page
    assert not Author.objects.get(pk=colleague.pk).bylines.exists()
    assert not story.references.filter(title__startswith="Operator").exists()
    assert list(story.tags.names()) == ["night tram"]


def test_a_new_article_is_previewed_without_being_made(writer, section, read_form):
    data = read_form(writer.get(reverse("admin:articles_article_add")))
    data.update(headline="Ferry timetable changes", slug="ferry-timetable-changes",
                section=str(section.pk), tags=["ferries"])

    response = writer.post(preview_url(), data)

    assert response.status_code == 200
    assert "<h1>Ferry timetable changes</h1>" in response.content.decode()
    assert not Article.objects.exists()


def test_the_preview_is_for_no_index_no_cache_and_no_frame_but_the_admins(
    editor, story, read_form
):
    response = editor.post(preview_url(story), read_form(editor.get(change_url(story))))

    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    # Every other page, the change form itself included, may be framed by nobody.
    form = editor.get(change_url(story))
    assert form["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in form["Content-Security-Policy"]


def test_readers_never_get_what_was_previewed(editor, story, read_form, client):
    assert client.get(story.get_absolute_url())["X-Cache"] == "miss"
    data = read_form(editor.get(change_url(story)))
    data["headline"] = "Night trams cancelled"

    editor.post(preview_url(story), data)

    page = client.get(story.get_absolute_url())
    assert page["X-Cache"] == "hit"
    assert "Night trams cancelled" not in page.content.decode()
    fresh = Client().get(story.get_absolute_url(), headers={"accept-encoding": "identity"})
    assert "Night trams cancelled" not in fresh.content.decode()


def test_a_preview_of_a_published_story_is_not_counted_as_published(
    editor, make_article, read_form
):
    draft = make_article("Budget day", status=Article.Status.DRAFT, published_at=None)
    data = read_form(editor.get(change_url(draft)))
    data["status"] = "published"

    response = editor.post(preview_url(draft), data)

    assert response.status_code == 200
    assert "Preview of the form as it stands" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


# Who may preview what.


@pytest.fixture
def drafts(make_article, make_staff):
    """A draft of the writer's, one of a colleague's, and one the writer handed in."""
    writer = make_staff("writer", roles.WRITER)
    colleague = make_staff("colleague", roles.WRITER)
    return {
        "own": make_article("My draft", status=Article.Status.DRAFT, created_by=writer),
        "colleague's": make_article(
            "A colleague's secret draft", status=Article.Status.DRAFT, created_by=colleague
        ),
        "handed in": make_article(
            "My handed-in story", status=Article.Status.IN_REVIEW, created_by=writer
        ),
    }


@pytest.fixture
def writer_of_drafts(drafts):
    client = Client()
    client.force_login(drafts["own"].created_by)
    return client


def test_a_writer_previews_their_own_draft_only(writer_of_drafts, drafts, read_form):
    data = read_form(writer_of_drafts.get(change_url(drafts["own"])))

    own = writer_of_drafts.post(preview_url(drafts["own"]), data)

    assert own.status_code == 200
    assert "<h1>My draft</h1>" in own.content.decode()


@pytest.mark.parametrize("whose", ["colleague's", "handed in"])
def test_a_writer_cannot_preview_an_article_they_may_not_change_by_forging_its_id(
    writer_of_drafts, drafts, read_form, whose
):
    """The writer's own form, posted to another article's preview: refused, and nothing of that
    article is shown."""
    data = read_form(writer_of_drafts.get(change_url(drafts["own"])))

    response = writer_of_drafts.post(preview_url(drafts[whose]), data)

    assert response.status_code == 403
    assert drafts[whose].headline not in response.content.decode()


def test_no_one_signed_out_or_without_a_role_gets_a_preview(story, make_staff, client):
    assert client.post(preview_url(story), {"headline": "x"}).status_code == 302
    outsider = Client()
    outsider.force_login(make_staff("outsider"))
    assert outsider.post(preview_url(story), {"headline": "x"}).status_code == 403
    assert outsider.post(preview_url(), {"headline": "x"}).status_code == 403


def test_a_preview_is_posted_not_fetched(editor, story):
    assert editor.get(preview_url(story)).status_code == 405


def test_a_preview_needs_the_forms_csrf_token(make_staff, story):
    careful = Client(enforce_csrf_checks=True)
    careful.force_login(make_staff("editor", roles.EDITOR))

    assert careful.post(preview_url(story), {"headline": "x"}).status_code == 403


# What cannot make a story.


def test_a_form_that_cannot_make_a_story_says_what_to_fix_instead_of_failing(
    editor, story, read_form
):
    data = read_form(editor.get(change_url(story)))
    data.update(headline="", section="not a number")

    response = editor.post(preview_url(story), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Fix these and the preview comes back" in page
    assert "<strong>Headline:</strong> This field is required." in page
    assert "<strong>Section:</strong> Select a valid choice." in page


@pytest.mark.parametrize("post", [
    {},
    {"headline": "Only a headline"},
    {"bylines-TOTAL_FORMS": "many", "bylines-INITIAL_FORMS": "0"},
])
def test_a_forged_or_broken_post_is_a_message_not_a_server_error(editor, story, post):
    response = editor.post(preview_url(story), post)

    assert response.status_code == 400
    assert "Fix these and the preview comes back" in response.content.decode()


def test_a_writer_posting_a_status_they_may_not_give_sees_it_refused(
    writer_of_drafts, drafts, read_form
):
    data = read_form(writer_of_drafts.get(change_url(drafts["own"])))
    data["status"] = "published"

    response = writer_of_drafts.post(preview_url(drafts["own"]), data)

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_someone_elses_save_since_the_form_was_opened_does_not_stop_a_preview(
    editor, story, read_form
):
    data = read_form(editor.get(change_url(story)))
    story.standfirst = "A colleague's standfirst."
    story.save()
    data["headline"] = "My headline"

    response = editor.post(preview_url(story), data)

    assert response.status_code == 200
    assert "<h1>My headline</h1>" in response.content.decode()


# After saving: where readers find the story.


def saved_message(client, article, read_form, **changes):
    data = read_form(client.get(change_url(article)))
    data.update(changes, _save="Save")
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_saving_a_published_story_gives_a_link_to_view_it_live(editor, story, read_form):
    message = saved_message(editor, story, read_form, headline="Night tram returns tonight")

    assert "was changed successfully" in message
    assert f'Readers can see it now: <a href="{story.get_absolute_url()}">View live</a>' in message


def test_saving_a_scheduled_story_says_when_it_goes_live_and_links_to_its_preview(
    editor, make_article, read_form
):
    when = timezone.now() + timedelta(days=2)
    scheduled = make_article("Budget day", published_at=when)

    message = saved_message(editor, scheduled, read_form)

    assert "It goes live on " in message
    assert f'<a href="{scheduled.get_absolute_url()}">Preview it</a>' in message
    assert "View live" not in message


def test_saving_a_draft_gives_no_live_link(writer_of_drafts, drafts, read_form):
    message = saved_message(writer_of_drafts, drafts["own"], read_form)

    assert "was changed successfully" in message
    assert "View live" not in message and "Preview it" not in message
