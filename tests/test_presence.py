"""Who else has a story open: the form's heartbeat, how long a presence lasts, and who may hear
of it."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import roles
from articles.models import Article, Presence

pytestmark = pytest.mark.django_db


def signed_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def heartbeat_url(article_id):
    return reverse("admin:articles_article_presence", args=[article_id])


def beat(client, article_id, **data):
    return client.post(heartbeat_url(article_id), data)


@pytest.fixture
def mira(make_staff):
    return make_staff("mira", roles.EDITOR, first_name="Mira", last_name="Okafor")


@pytest.fixture
def draft(make_article, people):
    return make_article(
        "Night trams return on Fridays", status=Article.Status.DRAFT, published_at=None,
        created_by=people["writer"],
    )


def test_the_first_to_open_a_story_hears_of_nobody_else(people, draft):
    response = beat(signed_in(people["writer"]), draft.pk)

    assert response.status_code == 200
    assert response.json()["others"] == []
    assert response.json()["every"] == 30
    assert Presence.objects.get().user == people["writer"]


def test_the_second_hears_who_has_it_open_and_since_when(people, draft, mira, clock):
    clock.now = timezone.localtime(clock.now).replace(hour=10, minute=42)
    beat(signed_in(mira), draft.pk)
    clock.advance(minutes=1)

    others = beat(signed_in(people["writer"]), draft.pk).json()["others"]

    assert [other["text"] for other in others] == ["Mira Okafor has this story open since 10:42"]
    assert others[0]["name"] == "Mira Okafor"


def test_heartbeats_keep_the_time_the_story_was_opened(people, draft, mira, clock):
    clock.now = timezone.localtime(clock.now).replace(hour=10, minute=42)
    editor = signed_in(mira)
    for _ in range(6):  # three minutes of heartbeats
        beat(editor, draft.pk)
        clock.advance(seconds=30)

    others = beat(signed_in(people["writer"]), draft.pk).json()["others"]

    assert [other["text"] for other in others] == ["Mira Okafor has this story open since 10:42"]


def test_someone_whose_heartbeat_stopped_two_minutes_ago_is_gone(people, draft, mira, clock):
    beat(signed_in(mira), draft.pk)
    writer = signed_in(people["writer"])
    clock.advance(seconds=110)
    assert len(beat(writer, draft.pk).json()["others"]) == 1

    clock.advance(seconds=20)

    assert beat(writer, draft.pk).json()["others"] == []
    assert list(Presence.objects.values_list("user__username", flat=True)) == ["writer"]


def test_coming_back_after_being_gone_starts_a_new_visit(people, draft, mira, clock):
    clock.now = timezone.localtime(clock.now).replace(hour=10, minute=42)
    editor = signed_in(mira)
    beat(editor, draft.pk)
    clock.advance(minutes=23)
    beat(editor, draft.pk)

    others = beat(signed_in(people["writer"]), draft.pk).json()["others"]

    assert [other["text"] for other in others] == ["Mira Okafor has this story open since 11:05"]


def test_leaving_the_form_is_told_to_the_others_soon(people, draft, mira, clock):
    editor, writer = signed_in(mira), signed_in(people["writer"])
    beat(editor, draft.pk)

    assert beat(editor, draft.pk, left="1").status_code == 204
    clock.advance(seconds=16)

    assert beat(writer, draft.pk).json()["others"] == []


def test_saving_and_coming_straight_back_keeps_the_time_opened(people, draft, mira, clock):
    """A save leaves the form and opens it again: that is one visit, not a new one."""
    clock.now = timezone.localtime(clock.now).replace(hour=10, minute=42)
    editor = signed_in(mira)
    beat(editor, draft.pk)
    clock.advance(minutes=1)
    beat(editor, draft.pk, left="1")
    clock.advance(seconds=3)
    beat(editor, draft.pk)

    others = beat(signed_in(people["writer"]), draft.pk).json()["others"]

    assert [other["text"] for other in others] == ["Mira Okafor has this story open since 10:42"]


# Who may send a heartbeat, and hear of others.


def test_a_writer_cannot_beat_on_a_colleagues_draft_nor_hear_who_has_it_open(
    people, make_article, mira
):
    secret = make_article(
        "Mayor to resign", status=Article.Status.DRAFT, published_at=None,
        created_by=people["other_writer"],
    )
    beat(signed_in(mira), secret.pk)

    response = beat(signed_in(people["writer"]), secret.pk)

    assert response.status_code == 404
    assert b"Mira" not in response.content
    assert list(Presence.objects.values_list("user__username", flat=True)) == ["mira"]


def test_a_writer_cannot_beat_on_a_colleagues_published_story(people, make_article):
    published = make_article("Ferries run late", created_by=people["other_writer"])

    assert beat(signed_in(people["writer"]), published.pk).status_code == 404
    assert not Presence.objects.exists()


def test_a_writer_may_beat_on_their_own_story_in_review_which_they_can_only_read(
    people, make_article
):
    handed_in = make_article(
        "Harbour dredging", status=Article.Status.IN_REVIEW, published_at=None,
        created_by=people["writer"],
    )

    assert beat(signed_in(people["writer"]), handed_in.pk).status_code == 200


def test_staff_without_a_role_cannot_beat(make_staff, draft):
    assert beat(signed_in(make_staff("intern")), draft.pk).status_code in (403, 404)
    assert not Presence.objects.exists()


@pytest.mark.parametrize("forged", ["999999", "abc", "1.5", "-1", "99999999999999999999999"])
def test_a_forged_id_is_refused_without_a_server_error(people, draft, forged):
    response = signed_in(people["editor"]).post(f"/admin/articles/article/{forged}/presence/")

    assert response.status_code in (400, 404)
    assert not Presence.objects.exists()


def test_a_heartbeat_must_be_posted(people, draft):
    response = signed_in(people["writer"]).get(heartbeat_url(draft.pk))

    assert response.status_code == 405
    assert not Presence.objects.exists()


def test_a_heartbeat_without_the_csrf_token_is_refused(people, draft):
    response = signed_in(people["writer"], enforce_csrf_checks=True).post(heartbeat_url(draft.pk))

    assert response.status_code == 403
    assert not Presence.objects.exists()


def test_a_heartbeat_signed_out_goes_to_the_login_page(draft):
    response = Client().post(heartbeat_url(draft.pk))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not Presence.objects.exists()


# The article list.


def test_the_article_list_shows_who_has_a_story_open(people, draft, mira, clock):
    clock.now = timezone.localtime(clock.now).replace(hour=10, minute=42)
    beat(signed_in(mira), draft.pk)

    html = signed_in(people["writer"]).get(
        reverse("admin:articles_article_changelist")
    ).content.decode()

    assert '<span class="open-by">Mira Okafor since 10:42</span>' in html


def test_the_article_list_forgets_who_has_gone(people, draft, mira, clock):
    beat(signed_in(mira), draft.pk)
    clock.advance(minutes=3)

    html = signed_in(people["writer"]).get(
        reverse("admin:articles_article_changelist")
    ).content.decode()

    assert "Mira Okafor" not in html


def test_a_writer_hears_of_nobody_on_a_colleagues_draft_in_the_list(
    people, make_article, mira
):
    secret = make_article(
        "Mayor to resign", status=Article.Status.DRAFT, published_at=None,
        created_by=people["other_writer"],
    )
    beat(signed_in(mira), secret.pk)

    html = signed_in(people["writer"]).get(
        reverse("admin:articles_article_changelist")
    ).content.decode()

    assert "Mira Okafor" not in html
    assert "Mayor to resign" not in html
