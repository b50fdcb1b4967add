"""The desk, the admin's home: what waits, what goes out, what was corrected, for each role."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import desk, review, roles
from articles.models import Article, StatusChange
from articles.publishing import add_correction

pytestmark = pytest.mark.django_db

HOME = "admin:index"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def desk_of(user):
    response = signed_in(user).get(reverse(HOME))
    assert response.status_code == 200
    return {section["key"]: section for section in response.context["desk"]["sections"]}


def headlines(section):
    return [entry["headline"] for entry in section["entries"]]


def handed_in(make_article, headline, by, ago):
    article = make_article(
        headline, status=Article.Status.IN_REVIEW, published_at=None, created_by=by
    )
    StatusChange.objects.create(
        article=article, status=Article.Status.IN_REVIEW, changed_by=by,
        changed_at=timezone.now() - ago,
    )
    return article


@pytest.fixture
def newsroom(people, make_article, make_staff):
    mira = make_staff("mira", roles.WRITER, first_name="Mira", last_name="Okafor")
    now = timezone.now()
    handed_in(make_article, "Ferry fares rise", people["writer"], timedelta(hours=1))
    handed_in(make_article, "Harbour wall repaired", mira, timedelta(hours=5))
    handed_in(make_article, "Colleague's story in review", people["other_writer"],
              timedelta(hours=3))
    make_article("Writer's own draft", status=Article.Status.DRAFT, published_at=None,
                 created_by=people["writer"])
    make_article("Colleague's secret draft", status=Article.Status.DRAFT, published_at=None,
                 created_by=people["other_writer"])
    make_article("Editor's own draft", status=Article.Status.DRAFT, published_at=None,
                 created_by=people["editor"])
    make_article("Out in an hour", published_at=now + timedelta(hours=1))
    make_article("Out in three days", published_at=now + timedelta(days=3))
    make_article("Out this morning", published_at=now - timedelta(minutes=30),
                 created_by=people["writer"])
    make_article("Out last week", published_at=now - timedelta(days=7))
    corrected = make_article("Bridge closed", published_at=now - timedelta(days=2))
    add_correction(corrected, "The bridge reopens on Monday, not Sunday.")
    corrected_long_ago = make_article("Tunnel flooded", published_at=now - timedelta(days=9))
    add_correction(corrected_long_ago, "Two metres, not three.",
                   at=now - timedelta(days=8))
    return {"mira": mira}


def test_the_admin_home_is_the_desk_with_its_five_sections(people, newsroom):
    html = signed_in(people["editor"]).get(reverse(HOME)).content.decode()

    for title in ("In review", "Scheduled today and tomorrow", "My drafts",
                  "Recently published", "Corrections today"):
        assert f"{title} <span class=\"desk-count\">" in html
    assert "Recent actions" not in html


def test_the_list_of_everything_in_the_admin_stays_below_the_desk(people, newsroom):
    html = signed_in(people["editor"]).get(reverse(HOME)).content.decode()

    assert html.index("Corrections today") < html.index("Everything in the admin")
    assert f'href="{reverse("admin:articles_image_changelist")}"' in html
    assert f'href="{reverse("admin:taggit_tag_changelist")}"' in html


def test_an_editor_sees_the_stories_in_review_the_longest_waiting_first(people, newsroom):
    in_review = desk_of(people["editor"])["in-review"]

    assert headlines(in_review) == [
        "Harbour wall repaired", "Colleague's story in review", "Ferry fares rise",
    ]
    assert in_review["count"] == 3


def test_a_story_in_review_says_who_handed_it_in_and_since_when(people, newsroom):
    first = desk_of(people["editor"])["in-review"]["entries"][0]
    since = timezone.localtime(timezone.now() - timedelta(hours=5))

    assert first["detail"].startswith("Handed in by Mira Okafor, waiting since ")
    assert f"{since:%H:%M}" in first["detail"]


def test_each_entry_leads_to_its_storys_form(people, newsroom):
    article = Article.objects.get(headline="Harbour wall repaired")
    html = signed_in(people["editor"]).get(reverse(HOME)).content.decode()

    url = reverse("admin:articles_article_change", args=[article.pk])
    assert f'<a href="{url}">Harbour wall repaired</a>' in html


def test_scheduled_shows_what_goes_out_before_the_end_of_tomorrow(people, newsroom):
    scheduled = desk_of(people["editor"])["scheduled"]

    assert headlines(scheduled) == ["Out in an hour"]
    assert scheduled["count"] == 1


def test_my_drafts_are_the_editors_own_not_everyones(people, newsroom):
    assert headlines(desk_of(people["editor"])["my-drafts"]) == ["Editor's own draft"]


def test_recently_published_is_the_last_24_hours(people, newsroom):
    recent = desk_of(people["editor"])["recently-published"]

    assert headlines(recent) == ["Out this morning"]


def test_corrections_today_shows_the_stories_corrected_since_midnight(people, newsroom):
    corrected = desk_of(people["editor"])["corrected-today"]

    assert headlines(corrected) == ["Bridge closed"]
    assert corrected["entries"][0]["detail"].startswith("Corrected ")


# A writer's desk.


def test_a_writer_never_sees_a_colleagues_draft_or_story_in_review(people, newsroom):
    html = signed_in(people["writer"]).get(reverse(HOME)).content.decode()

    assert "Colleague&#x27;s secret draft" not in html
    assert "Colleague&#x27;s story in review" not in html
    assert "Harbour wall repaired" not in html


def test_a_writer_sees_their_own_stories_in_each_section(people, newsroom):
    sections = desk_of(people["writer"])

    assert headlines(sections["in-review"]) == ["Ferry fares rise"]
    assert headlines(sections["my-drafts"]) == ["Writer's own draft"]
    assert headlines(sections["recently-published"]) == ["Out this morning"]
    assert headlines(sections["scheduled"]) == []


def test_a_writers_counts_are_of_their_own_stories(people, newsroom):
    sections = desk_of(people["writer"])

    assert {key: section["count"] for key, section in sections.items()} == {
        "in-review": 1, "scheduled": 0, "my-drafts": 1, "recently-published": 1,
        "corrected-today": 0,
    }


def test_staff_without_a_role_get_the_admins_list_and_no_desk(make_staff, newsroom):
    response = signed_in(make_staff("intern")).get(reverse(HOME))

    assert response.status_code == 200
    assert response.context["desk"] is None
    assert "In review" not in response.content.decode()


# Counts and "See all".


def test_a_full_section_shows_its_first_entries_and_counts_them_all(people, make_article):
    for number in range(desk.SHOWN + 3):
        handed_in(make_article, f"Handed in {number}", people["writer"],
                  timedelta(minutes=100 - number))

    in_review = desk_of(people["editor"])["in-review"]

    assert in_review["count"] == desk.SHOWN + 3
    assert headlines(in_review) == [f"Handed in {number}" for number in range(desk.SHOWN)]


@pytest.mark.parametrize("role", ["editor", "writer"])
def test_see_all_opens_the_article_list_with_the_whole_section(people, newsroom, role):
    client = signed_in(people[role])
    sections = desk_of(people[role])
    for key, section in sections.items():
        response = client.get(section["see_all"])
        assert response.status_code == 200, key
        assert response.context["cl"].result_count == section["count"], key


def test_see_all_is_a_link_on_the_desk(people, newsroom):
    html = signed_in(people["editor"]).get(reverse(HOME)).content.decode()

    list_url = reverse("admin:articles_article_changelist")
    assert f'href="{list_url}?desk=in-review">See all 3' in html


def test_the_article_list_filters_by_each_desk_section_for_a_writer_without_leaks(
    people, newsroom
):
    html = signed_in(people["writer"]).get(
        reverse("admin:articles_article_changelist"), {"desk": "in-review"}
    ).content.decode()

    assert "Ferry fares rise" in html
    assert "Colleague&#x27;s story in review" not in html


# Notices (of the review conversation).


def test_the_desk_shows_no_notices_section_when_there_are_none(people, newsroom):
    html = signed_in(people["writer"]).get(reverse(HOME)).content.decode()

    assert "Notices" not in html


def test_a_writer_whose_story_is_sent_back_finds_the_note_on_their_desk_until_they_open_it(
    people, newsroom
):
    article = Article.objects.get(headline="Ferry fares rise")  # the writer's, in review
    review.send_back(
        article, people["editor"], "Please check the fares against the council's list."
    )
    writer = signed_in(people["writer"])

    html = writer.get(reverse(HOME)).content.decode()

    assert 'Notices <span class="desk-count">1</span>' in html
    assert "Sent back by" in html
    assert "Please check the fares against the council&#x27;s list." in html
    assert reverse("admin:articles_article_change", args=[article.pk]) in html
    # The editor who sent it back is not told of their own step.
    assert "Notices" not in signed_in(people["editor"]).get(reverse(HOME)).content.decode()

    writer.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "Notices" not in writer.get(reverse(HOME)).content.decode()


# Cost.


def fill_the_desk(people, make_article, number):
    now = timezone.now()
    handed_in(make_article, f"Handed in {number}", people["writer"], timedelta(hours=1))
    make_article(f"Soon {number}", published_at=now + timedelta(hours=2))
    make_article(f"Draft {number}", status=Article.Status.DRAFT, published_at=None,
                 created_by=people["editor"])
    add_correction(make_article(f"Out {number}"), "A fix.")


def test_the_desk_costs_the_same_number_of_queries_however_full(
    people, make_article, django_assert_num_queries
):
    """The session, the person and their permissions (4), the counts (1), each section's
    entries (5), who handed in the stories in review (1) and the person's unread notices (1)."""
    fill_the_desk(people, make_article, 0)
    client = signed_in(people["editor"])
    client.get(reverse(HOME))  # the first page of a session records it
    with django_assert_num_queries(12):
        client.get(reverse(HOME))

    for number in range(1, 13):
        fill_the_desk(people, make_article, number)

    with django_assert_num_queries(12):
        response = client.get(reverse(HOME))
    assert response.context["desk"]["sections"][0]["count"] == 13
