"""Share links: a secret address where someone outside the newsroom reads a story early."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import roles
from articles.models import Article, ShareLink
from articles.publishing import publish

pytestmark = pytest.mark.django_db

HEADLINE = "Council to sell the harbour depot"


@pytest.fixture
def editor(make_staff):
    return make_staff("dana", roles.EDITOR, first_name="Dana", last_name="Whitfield")


@pytest.fixture
def draft(make_article):
    return make_article(
        HEADLINE,
        status=Article.Status.DRAFT,
        published_at=None,
        standfirst="The depot would become flats.",
        references=["Draft sale agreement"],
    )


@pytest.fixture
def share_link(draft, editor):
    return ShareLink.objects.create(article=draft, created_by=editor, note="The council's lawyer")


def assert_private(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["X-Robots-Tag"] == "noindex"


def test_a_share_link_shows_the_draft_in_the_public_page_with_a_banner(client, share_link):
    response = client.get(share_link.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert [template.name for template in response.templates][0] == "articles/article_detail.html"
    assert f"<h1>{HEADLINE}</h1>" in html
    assert "The depot would become flats." in html
    assert "Draft sale agreement" in html
    expires = timezone.localtime(share_link.expires_at)
    assert (
        "Preview — not yet published. Shared by Dana Whitfield — this link expires "
        f'<time datetime="{expires:%Y-%m-%dT%H:%M:%S%z}">{expires:%-d %B %Y, %H:%M}</time>.'
    ) in html
    # Not the newsroom's own preview banner: the holder is not staff.
    assert "readers cannot see this story" not in html


def test_a_share_link_is_private_unindexed_and_never_passed_on(client, share_link):
    response = client.get(share_link.get_absolute_url())

    assert_private(response)
    assert response["Referrer-Policy"] == "no-referrer"
    # The page links nowhere with its own secret address.
    assert share_link.token not in response.content.decode()


def test_a_share_link_to_a_scheduled_story_works_until_the_story_is_out(
    client, draft, share_link, clock
):
    publish(draft, at=clock.now + timedelta(hours=2))
    assert client.get(share_link.get_absolute_url()).status_code == 200

    clock.advance(hours=2, seconds=1)

    response = client.get(share_link.get_absolute_url())
    assert response.status_code == 404
    # The story is public now, at its own address.
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_link_without_a_full_name_does_not_give_away_a_login_name(client, draft, make_staff):
    link = ShareLink.objects.create(article=draft, created_by=make_staff("dwhitfield7"))

    html = client.get(link.get_absolute_url()).content.decode()

    assert "dwhitfield7" not in html
    assert "Shared by The Harbour City Courier" in html


def expire(link):
    link.expires_at = timezone.now() - timedelta(seconds=1)
    link.save()


def revoke(link):
    link.revoked_at = timezone.now()
    link.save()


def publish_story(link):
    publish(link.article)


def delete_story(link):
    link.article.delete()


@pytest.mark.parametrize(
    "close", [expire, revoke, publish_story, delete_story],
    ids=["expired", "revoked", "after-publication", "story-deleted"],
)
def test_a_closed_share_link_is_a_404_like_a_missing_page(client, share_link, close):
    close(share_link)

    response = client.get(share_link.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 404
    assert "We can’t find that page" in html
    assert HEADLINE not in html
    assert "The depot would become flats." not in html
    assert_private(response)


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("q3JfN8xWc2LkPz0sTb7HvYd4mRu9EaGi", id="guessed"),
        pytest.param("a" * 500, id="too-long"),
        pytest.param("café-日本", id="other-script"),
        pytest.param("%2e%2e", id="dots"),
    ],
)
def test_a_guessed_token_is_a_404_indistinguishable_from_a_closed_link(
    client, share_link, token
):
    closed = ShareLink.objects.create(
        article=share_link.article, expires_at=timezone.now() - timedelta(days=1)
    )
    response = client.get(f"/preview/{token}/")

    assert response.status_code == 404
    assert HEADLINE not in response.content.decode()
    assert response.content == client.get(closed.get_absolute_url()).content


def test_a_share_link_shows_only_its_own_story(client, share_link, make_article, editor):
    other = make_article("A different draft", status=Article.Status.DRAFT, published_at=None)
    other_link = ShareLink.objects.create(article=other, created_by=editor)

    html = client.get(other_link.get_absolute_url()).content.decode()

    assert "<h1>A different draft</h1>" in html
    assert HEADLINE not in html
    # A token is the whole key: it does not open the story's own address.
    assert client.get(share_link.article.get_absolute_url()).status_code == 404


def test_revoking_one_link_leaves_the_others_open(client, share_link, editor):
    second = ShareLink.objects.create(article=share_link.article, created_by=editor)
    revoke(share_link)

    assert client.get(share_link.get_absolute_url()).status_code == 404
    assert client.get(second.get_absolute_url()).status_code == 200
