"""A published story's old addresses keep working after its slug, section or date changes."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import roles
from articles.addresses import remember_address
from articles.models import Article, Byline, OldAddress
from articles.publishing import publish, return_to_draft, unpublish

pytestmark = pytest.mark.django_db

HEADLINE = "Night trams return to the harbour line"


def move(article, **changes):
    """Change the article with a plain save, as a script would; return its old address."""
    old = article.get_absolute_url()
    for name, value in changes.items():
        setattr(article, name, value)
    article.save()
    return old


def assert_moved(client, old, article):
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


@pytest.fixture
def story(make_article):
    return make_article(HEADLINE, slug="night-trams")


def test_an_old_slug_leads_to_the_story(client, story):
    old = move(story, slug="night-trams-return")

    assert old.endswith("/night-trams/")
    assert_moved(client, old, story)


def test_an_old_section_leads_to_the_story(client, story, other_section):
    old = move(story, section=other_section)

    assert old.startswith("/city/")
    assert story.get_absolute_url().startswith("/business/")
    assert_moved(client, old, story)


def test_a_section_changed_by_its_column_in_a_partial_save_leaves_the_old_address(
    client, story, other_section
):
    old = story.get_absolute_url()
    story.section_id = other_section.pk
    story.save(update_fields=["section_id"])

    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == Article.objects.get(pk=story.pk).get_absolute_url()


def test_an_old_date_leads_to_the_story(client, make_article):
    article = make_article(published_at=timezone.now() - timedelta(days=3))
    old = article.get_absolute_url()

    publish(article, at=timezone.now() - timedelta(hours=1))

    assert article.get_absolute_url() != old
    assert_moved(client, old, article)


def test_every_old_address_leads_straight_to_the_newest(client, story, other_section):
    first = move(story, slug="night-trams-return")
    second = move(story, section=other_section)

    for old in [first, second]:
        assert_moved(client, old, story)


def test_a_story_moved_back_is_served_at_its_old_address_again(client, story):
    original = move(story, slug="night-trams-return")
    renamed = move(story, slug="night-trams")

    assert story.get_absolute_url() == original
    assert client.get(original).status_code == 200
    assert_moved(client, renamed, story)
    assert not OldAddress.objects.filter(path=original).exists()


@pytest.mark.parametrize(
    "hide",
    [
        unpublish,
        return_to_draft,
        lambda article: publish(article, at=timezone.now() + timedelta(days=1)),
    ],
    ids=["unpublished", "back-to-draft", "rescheduled"],
)
def test_an_old_address_never_reveals_a_story_readers_cannot_see(client, story, hide):
    old = move(story, slug="night-trams-return")
    hide(story)

    for address in [old, story.get_absolute_url()]:
        response = client.get(address)
        assert response.status_code == 404, address
        assert HEADLINE not in response.content.decode()
        assert "night-trams-return" not in response.get("Location", "")


def test_an_editor_following_an_old_address_of_a_hidden_story_is_not_sent_there_for_good(
    client, story, make_staff
):
    old = move(story, slug="night-trams-return")
    unpublish(story)
    client.force_login(make_staff("dana", roles.EDITOR))

    response = client.get(old)

    assert response.status_code == 302
    assert response["Location"] == story.get_absolute_url()


def test_a_new_story_at_an_old_address_is_shown_there(client, story, make_article):
    old = move(story, slug="night-trams-return")
    newcomer = make_article(
        "Night trams: what you need to know", slug="night-trams", published_at=story.published_at
    )

    assert newcomer.get_absolute_url() == old
    response = client.get(old)
    assert response.status_code == 200
    assert "Night trams: what you need to know" in response.content.decode()


def test_an_address_handed_on_to_another_story_leads_to_that_story(
    client, story, make_article
):
    old = move(story, slug="night-trams-return")
    other = make_article("Night trams, a history")

    remember_address(other, old)

    assert OldAddress.objects.get(path=old).article == other
    assert_moved(client, old, other)


def test_an_unchanged_address_is_not_recorded(story):
    remember_address(story, story.get_absolute_url())

    assert not OldAddress.objects.exists()


def test_an_address_no_story_ever_had_is_a_404(client, story):
    response = client.get(story.get_absolute_url().replace("night-trams", "night-buses"))

    assert response.status_code == 404


def test_a_story_never_published_leaves_no_old_address_when_it_moves(make_article):
    draft = make_article(status=Article.Status.DRAFT, published_at=None, slug="night-trams")

    move(draft, slug="night-trams-return")

    assert not OldAddress.objects.exists()


def test_a_save_that_does_not_move_the_story_reads_its_address_once(
    story, django_assert_num_queries
):
    story.headline = "Night trams are back on the harbour line"

    # The stored row (with its section's slug: its address, and its publication time for its
    # links), the update, and the page cache's look for the next scheduled story.
    with django_assert_num_queries(3):
        story.save()


# What the workflow's saves cost: the one read of the stored row serves every rule a save keeps
# (see articles.saving), and the links are written only when the story's time changed.


@pytest.fixture
def linked_story(story, author):
    """The story with a tag and a byline."""
    Byline.objects.create(article=story, author=author)
    story.tags.set(["transport"])
    return story


def link_times(article):
    return {
        *article.tagged_items.values_list("published_at", flat=True),
        *article.bylines.values_list("published_at", flat=True),
    }


def test_a_workflow_step_reads_the_stored_row_once(linked_story, django_assert_num_queries):
    # In a savepoint: the status before (the last step recorded, or else the stored row's), the
    # stored row, the update and the page cache's look; then the step recorded, and the page
    # cache's look again. The links are left alone: the story's time did not change.
    with django_assert_num_queries(8):
        unpublish(linked_story)


def test_a_workflow_step_that_moves_the_story_writes_each_kind_of_link_once(
    linked_story, django_assert_num_queries
):
    # In a savepoint: the status before, the stored row, the update, the new time written to
    # the tags' links and to the bylines, and the page cache's look.
    with django_assert_num_queries(8):
        publish(linked_story, at=timezone.now() - timedelta(minutes=5))

    assert link_times(linked_story) == {linked_story.published_at}


def test_a_new_story_published_at_once_reads_nothing_before_it_is_saved(
    section, django_assert_num_queries
):
    article = Article(headline=HEADLINE, slug="night-trams", section=section)

    # In a savepoint: the insert and the page cache's look; the step recorded, and the page
    # cache's look again. A story not yet saved has no stored row and no links.
    with django_assert_num_queries(6):
        publish(article)


# Through the admin: saving, and restoring an older version from the story's history.


@pytest.fixture
def desk(make_staff):
    """An editor's browser."""
    client = Client()
    client.force_login(make_staff("dana", roles.EDITOR))
    return client


def save_in_admin(desk, read_form, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = read_form(desk.get(url))
    data.update(changes, _save="Save")
    response = desk.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    return article.get_absolute_url()


def test_an_editor_saving_a_new_headline_costs_a_fixed_number_of_queries(
    desk, read_form, linked_story, django_assert_num_queries
):
    url = reverse("admin:articles_article_change", args=[linked_story.pk])
    # A first save, so that what is looked up once per process (content types) is in hand.
    save_in_admin(desk, read_form, linked_story)
    data = read_form(desk.get(url))
    data.update(headline="Night trams are back on the harbour line", _save="Save")

    # Of these, the story's save is four: the status before, the stored row, the update and
    # the page cache's look. The rest is the admin's: the session and the editor, the form's
    # checks, the byline and sources, the tags, the log entry and the revision.
    with django_assert_num_queries(44):
        assert desk.post(url, data).status_code == 302

    linked_story.refresh_from_db()
    assert link_times(linked_story) == {linked_story.published_at}


def test_an_address_renamed_in_the_admin_leads_to_the_story(client, desk, read_form, story):
    old = story.get_absolute_url()

    save_in_admin(desk, read_form, story, slug="night-trams-return")

    assert_moved(client, old, story)


def test_restoring_an_older_version_keeps_every_address_the_story_had_since(
    client, desk, read_form, story
):
    """The story moves twice in the admin, then the editor restores its first version from
    the history: it is back at its first address, and both later ones lead there."""
    first = save_in_admin(desk, read_form, story)
    second = save_in_admin(desk, read_form, story, slug="night-trams-return")
    third = save_in_admin(desk, read_form, story, slug="night-trams-are-back")
    version = Version.objects.get_for_object(story).order_by("pk").first()
    url = reverse("admin:articles_article_revision", args=[story.pk, version.pk])
    data = read_form(desk.get(url))
    assert data["slug"] == "night-trams"

    response = desk.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.get_absolute_url() == first
    assert client.get(first).status_code == 200
    for old in [second, third]:
        assert_moved(client, old, story)
    assert not OldAddress.objects.filter(path=first).exists()


def test_an_address_from_before_a_section_was_renamed_survives_the_story_being_renamed(
    client, story, section, make_article
):
    """Any section or date in a path with the story's current slug leads to the story; a link
    with an old slug in an old section's path leads there only if that address was kept."""
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    old = story.get_absolute_url()
    section.slug = "metro"
    section.save()

    move(story, slug="night-trams-return")

    assert story.get_absolute_url().startswith("/metro/")
    assert_moved(client, old, story)
    assert not OldAddress.objects.filter(article=draft).exists()
