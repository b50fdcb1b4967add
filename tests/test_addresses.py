"""A published article's old addresses keep working after its slug, section or date changes."""

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
def article(make_article):
    return make_article(HEADLINE, slug="night-trams")


def test_an_old_slug_leads_to_the_article(client, article):
    old = move(article, slug="night-trams-return")

    assert old.endswith("/night-trams/")
    assert_moved(client, old, article)


def test_an_old_section_leads_to_the_article(client, article, other_section):
    old = move(article, section=other_section)

    assert old.startswith("/city/")
    assert article.get_absolute_url().startswith("/business/")
    assert_moved(client, old, article)


def test_a_section_changed_by_its_column_in_a_partial_save_leaves_the_old_address(
    client, article, other_section
):
    old = article.get_absolute_url()
    article.section_id = other_section.pk
    article.save(update_fields=["section_id"])

    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == Article.objects.get(pk=article.pk).get_absolute_url()


def test_an_old_date_leads_to_the_article(client, make_article):
    article = make_article(published_at=timezone.now() - timedelta(days=3))
    old = article.get_absolute_url()

    publish(article, at=timezone.now() - timedelta(hours=1))

    assert article.get_absolute_url() != old
    assert_moved(client, old, article)


def test_every_old_address_leads_straight_to_the_newest(client, article, other_section):
    first = move(article, slug="night-trams-return")
    second = move(article, section=other_section)

    for old in [first, second]:
        assert_moved(client, old, article)


def test_an_article_moved_back_is_served_at_its_old_address_again(client, article):
    original = move(article, slug="night-trams-return")
    renamed = move(article, slug="night-trams")

    assert article.get_absolute_url() == original
    assert client.get(original).status_code == 200
    assert_moved(client, renamed, article)
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
def test_an_old_address_never_reveals_an_article_readers_cannot_see(client, article, hide):
    old = move(article, slug="night-trams-return")
    hide(article)

    for address in [old, article.get_absolute_url()]:
        response = client.get(address)
        assert response.status_code == 404, address
        assert HEADLINE not in response.content.decode()
        assert "night-trams-return" not in response.get("Location", "")


def test_an_editor_following_an_old_address_of_a_hidden_article_is_not_sent_there_for_good(
    client, article, make_staff
):
    old = move(article, slug="night-trams-return")
    unpublish(article)
    client.force_login(make_staff("dana", roles.EDITOR))

    response = client.get(old)

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()


def test_a_new_article_at_an_old_address_is_shown_there(client, article, make_article):
    old = move(article, slug="night-trams-return")
    newcomer = make_article(
        "Night trams: what you need to know", slug="night-trams", published_at=article.published_at
    )

    assert newcomer.get_absolute_url() == old
    response = client.get(old)
    assert response.status_code == 200
    assert "Night trams: what you need to know" in response.content.decode()


def test_an_address_handed_on_to_another_article_leads_to_that_article(
    client, article, make_article
):
    old = move(article, slug="night-trams-return")
    other = make_article("Night trams, a history")

    remember_address(other, old)

    assert OldAddress.objects.get(path=old).article == other
    assert_moved(client, old, other)


def test_an_unchanged_address_is_not_recorded(article):
    remember_address(article, article.get_absolute_url())

    assert not OldAddress.objects.exists()


def test_an_address_no_article_ever_had_is_a_404(client, article):
    response = client.get(article.get_absolute_url().replace("night-trams", "night-buses"))

    assert response.status_code == 404


def test_an_article_never_published_leaves_no_old_address_when_it_moves(make_article):
    draft = make_article(status=Article.Status.DRAFT, published_at=None, slug="night-trams")

    move(draft, slug="night-trams-return")

    assert not OldAddress.objects.exists()


def test_a_save_that_does_not_move_the_article_reads_its_address_once(
    article, django_assert_num_queries
):
    article.headline = "Night trams are back on the harbour line"

    # The stored row (with its section's slug: its address, and its publication time for its
    # links), the update, and the page cache's look for the next scheduled article.
    with django_assert_num_queries(3):
        article.save()


# What the workflow's saves cost: the one read of the stored row serves every rule a save keeps
# (see articles.saving), and the links are written only when the article's time changed.


@pytest.fixture
def linked_article(article, author):
    """The article with a tag and a byline."""
    Byline.objects.create(article=article, author=author)
    article.tags.set(["transport"])
    return article


def link_times(article):
    return {
        *article.tagged_items.values_list("published_at", flat=True),
        *article.bylines.values_list("published_at", flat=True),
    }


def test_a_workflow_step_reads_the_stored_row_once(linked_article, django_assert_num_queries):
    # In a savepoint: the status before (the last step recorded, or else the stored row's), the
    # stored row, the update and the page cache's look; then the step recorded, and the page
    # cache's look again. The links are left alone: the article's time did not change.
    with django_assert_num_queries(8):
        unpublish(linked_article)


def test_a_workflow_step_that_moves_the_article_writes_each_kind_of_link_once(
    linked_article, django_assert_num_queries
):
    # In a savepoint: the status before, the stored row, the update, the new time written to
    # the tags' links and to the bylines, and the page cache's look.
    with django_assert_num_queries(8):
        publish(linked_article, at=timezone.now() - timedelta(minutes=5))

    assert link_times(linked_article) == {linked_article.published_at}


def test_a_new_article_published_at_once_reads_nothing_before_it_is_saved(
    section, django_assert_num_queries
):
    article = Article(headline=HEADLINE, slug="night-trams", section=section)

    # In a savepoint: the insert and the page cache's look; the step recorded, and the page
    # cache's look again. An article not yet saved has no stored row and no links.
    with django_assert_num_queries(6):
        publish(article)


# Through the admin: saving, and restoring an older version from the article's history.


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
    desk, read_form, linked_article, django_assert_num_queries
):
    url = reverse("admin:articles_article_change", args=[linked_article.pk])
    # A first save, so that what is looked up once per process (content types) is in hand.
    save_in_admin(desk, read_form, linked_article)
    data = read_form(desk.get(url))
    data.update(headline="Night trams are back on the harbour line", _save="Save")

    # Of these, the article's save is four: the status before, the stored row, the update and
    # the page cache's look. The rest is the admin's: the session and the editor, the form's
    # checks, the byline and sources, the tags, the log entry and the revision; and clearing
    # the editor's working copy of the article, one delete.
    with django_assert_num_queries(45):
        assert desk.post(url, data).status_code == 302

    linked_article.refresh_from_db()
    assert link_times(linked_article) == {linked_article.published_at}


def test_an_address_renamed_in_the_admin_leads_to_the_article(client, desk, read_form, article):
    old = article.get_absolute_url()

    save_in_admin(desk, read_form, article, slug="night-trams-return")

    assert_moved(client, old, article)


def test_restoring_an_older_version_keeps_every_address_the_article_had_since(
    client, desk, read_form, article
):
    """The article moves twice in the admin, then the editor restores its first version from
    the history: it is back at its first address, and both later ones lead there."""
    first = save_in_admin(desk, read_form, article)
    second = save_in_admin(desk, read_form, article, slug="night-trams-return")
    third = save_in_admin(desk, read_form, article, slug="night-trams-are-back")
    version = Version.objects.get_for_object(article).order_by("pk").first()
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    data = read_form(desk.get(url))
    assert data["slug"] == "night-trams"

    response = desk.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.get_absolute_url() == first
    assert client.get(first).status_code == 200
    for old in [second, third]:
        assert_moved(client, old, article)
    assert not OldAddress.objects.filter(path=first).exists()


def test_an_address_from_before_a_section_was_renamed_survives_the_article_being_renamed(
    client, article, section, make_article
):
    """Any section or date in a path with the article's current slug leads to the article; a link
    with an old slug in an old section's path leads there only if that address was kept."""
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    old = article.get_absolute_url()
    section.slug = "metro"
    section.save()

    move(article, slug="night-trams-return")

    assert article.get_absolute_url().startswith("/metro/")
    assert_moved(client, old, article)
    assert not OldAddress.objects.filter(article=draft).exists()
