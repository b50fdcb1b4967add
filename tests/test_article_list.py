"""The article list as a desk reads it: byline, label, who last edited a story and when, and how
many stories are at each step, shown without a click."""

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author

pytestmark = pytest.mark.django_db

LIST = "admin:articles_article_changelist"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def row_of(response, headline):
    return next(row for row in response.context["cl"].result_list if row.headline == headline)


def test_the_list_shows_each_storys_byline_and_label(people, make_article, author):
    second = Author.objects.create(name="Tom Reyes", slug="tom-reyes")
    make_article("Harbour wall repaired", authors=[author, second], label=Article.Label.ANALYSIS)

    html = signed_in(people["editor"]).get(reverse(LIST)).content.decode()

    assert '<td class="field-byline">Mira Okafor, Tom Reyes</td>' in html
    assert '<td class="field-label_name">Analysis</td>' in html


def test_the_list_says_who_last_edited_a_story_and_when(people, make_article, make_staff):
    article = make_article("Harbour wall repaired")
    people["editor"].first_name, people["editor"].last_name = "Ada", "Byrne"
    people["editor"].save()
    for who in (people["other_writer"], people["editor"]):
        with reversion.create_revision():
            reversion.set_user(who)
            article.save()
    edited = timezone.localtime(reversion.models.Version.objects.last().revision.date_created)

    html = signed_in(people["editor"]).get(reverse(LIST)).content.decode()

    assert (
        '<td class="field-last_edited">Ada Byrne'
        f'<span class="edited-at">{edited:%d %b %Y, %H:%M}</span></td>'
    ) in html


def test_a_story_published_from_the_list_was_last_edited_by_who_published_it(
    people, make_article
):
    make_article("Harbour wall repaired", status=Article.Status.IN_REVIEW, published_at=None,
                 created_by=people["writer"])
    client = signed_in(people["editor"])
    article = Article.objects.get()
    client.post(reverse(LIST), {"action": "publish_selected", "_selected_action": [article.pk]})

    listed = client.get(reverse(LIST))

    assert row_of(listed, "Harbour wall repaired").last_edit.user == people["editor"]


def test_a_story_never_saved_through_the_admin_shows_no_editor(people, make_article):
    make_article("Harbour wall repaired")

    html = signed_in(people["editor"]).get(reverse(LIST)).content.decode()

    assert '<td class="field-last_edited">—</td>' in html


def status_tabs(response):
    return [f"{tab['title']} ({tab['count']})" for tab in response.context["status_tabs"]]


@pytest.fixture
def newsroom(people, make_article):
    for number, (status, owner) in enumerate([
        ("draft", "writer"), ("draft", "other_writer"), ("draft", "other_writer"),
        ("in_review", "writer"), ("in_review", "other_writer"), ("published", "writer"),
        ("published", "editor"), ("unpublished", "editor"),
    ]):
        make_article(
            f"Story {number}", status=status, created_by=people[owner],
            published_at=None if status in ("draft", "in_review") else "an hour ago",
        )


def test_the_list_counts_the_stories_at_each_step_without_a_click(people, newsroom):
    response = signed_in(people["editor"]).get(reverse(LIST))

    assert status_tabs(response) == [
        "All (8)", "Draft (3)", "In review (2)", "Published (2)", "Unpublished (1)",
    ]
    assert (
        '<a href="?status__exact=draft">Draft <span class="tab-count">3</span></a>'
        in response.content.decode()
    )


def test_a_writers_counts_are_of_their_own_stories_never_a_colleagues_drafts(
    people, newsroom
):
    response = signed_in(people["writer"]).get(reverse(LIST))

    assert status_tabs(response) == [
        "All (3)", "Draft (1)", "In review (1)", "Published (1)", "Unpublished (0)",
    ]


def test_the_counts_stay_whole_while_the_list_is_filtered(people, newsroom):
    """The steps are tabs: the other steps' numbers stay in view while one is shown."""
    response = signed_in(people["editor"]).get(reverse(LIST), {"status__exact": "draft"})

    assert response.context["cl"].result_count == 3
    assert "In review (2)" in status_tabs(response)
    assert (
        '<a href="?status__exact=draft" aria-current="page">Draft'
        in response.content.decode()
    )


def test_the_list_costs_the_same_number_of_queries_however_many_rows(
    people, make_article, author, django_assert_num_queries
):
    """Bylines, last edits and open forms are read for the whole page at once."""
    from articles import presence

    def add_story(number):
        article = make_article(f"Story {number}", authors=[author])
        with reversion.create_revision():
            reversion.set_user(people["editor"])
            article.save()
        presence.record_heartbeat(article, people["other_writer"])

    add_story(0)
    client = signed_in(people["editor"])
    client.get(reverse(LIST))  # the first page of a session records it
    with django_assert_num_queries(18):
        client.get(reverse(LIST))

    for number in range(1, 15):
        add_story(number)

    with django_assert_num_queries(18):
        response = client.get(reverse(LIST))
    assert response.context["cl"].result_count == 15
