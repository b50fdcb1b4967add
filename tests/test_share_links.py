"""Share links: a secret address where someone outside the newsroom reads an article early."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

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


def test_a_share_link_to_a_scheduled_article_works_until_the_article_is_out(
    client, draft, share_link, clock
):
    publish(draft, at=clock.now + timedelta(hours=2))
    assert client.get(share_link.get_absolute_url()).status_code == 200

    clock.advance(hours=2, seconds=1)

    response = client.get(share_link.get_absolute_url())
    assert response.status_code == 404
    # The article is public now, at its own address.
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


def publish_article(link):
    publish(link.article)


def delete_article(link):
    link.article.delete()


@pytest.mark.parametrize(
    "close", [expire, revoke, publish_article, delete_article],
    ids=["expired", "revoked", "after-publication", "article-deleted"],
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


def test_a_share_link_shows_only_its_own_article(client, share_link, make_article, editor):
    other = make_article("A different draft", status=Article.Status.DRAFT, published_at=None)
    other_link = ShareLink.objects.create(article=other, created_by=editor)

    html = client.get(other_link.get_absolute_url()).content.decode()

    assert "<h1>A different draft</h1>" in html
    assert HEADLINE not in html
    # A token is the whole key: it does not open the article's own address.
    assert client.get(share_link.article.get_absolute_url()).status_code == 404


def test_revoking_one_link_leaves_the_others_open(client, share_link, editor):
    second = ShareLink.objects.create(article=share_link.article, created_by=editor)
    revoke(share_link)

    assert client.get(share_link.get_absolute_url()).status_code == 404
    assert client.get(second.get_absolute_url()).status_code == 200


# How long a link may work: never more than NEWSROOM_SHARE_LINK_MAX_DAYS after it is made.


def test_no_link_works_longer_than_four_weeks_after_it_was_made(client, share_link, clock):
    """A link given a far-off time before there was a limit closes at the limit all the same."""
    ShareLink.objects.filter(pk=share_link.pk).update(expires_at=clock.now.replace(year=2099))

    clock.advance(days=27, hours=23)
    assert client.get(share_link.get_absolute_url()).status_code == 200

    clock.advance(hours=1, seconds=1)
    assert client.get(share_link.get_absolute_url()).status_code == 404


def test_the_preview_says_when_the_link_really_closes(client, share_link):
    ShareLink.objects.filter(pk=share_link.pk).update(
        expires_at=share_link.created_at + timedelta(days=400)
    )

    html = client.get(share_link.get_absolute_url()).content.decode()

    closes = timezone.localtime(share_link.created_at + timedelta(days=28))
    assert f'this link expires <time datetime="{closes:%Y-%m-%dT%H:%M:%S%z}">' in html


@pytest.fixture
def writer(client, make_staff):
    client.force_login(make_staff("wren", roles.WRITER, first_name="Wren", last_name="Ashby"))
    return client


@pytest.fixture
def writers_draft(make_article, writer):
    return make_article(
        HEADLINE, status=Article.Status.DRAFT, published_at=None,
        created_by=User.objects.get(username="wren"),
    )


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_time(when):
    when = timezone.localtime(when)
    return when.strftime(formats.get_format("DATE_INPUT_FORMATS")[0]), when.strftime("%H:%M:%S")


def with_new_link(data, note, expires_at):
    """The article's form data with one share link added, as the admin's "Add another" sends."""
    number = int(data["share_links-TOTAL_FORMS"])
    date, time = form_time(expires_at)
    return {
        **data,
        "share_links-TOTAL_FORMS": str(number + 1),
        f"share_links-{number}-note": note,
        f"share_links-{number}-expires_at_0": date,
        f"share_links-{number}-expires_at_1": time,
        "_continue": "Save and continue editing",
    }


def share_link_errors(response):
    (formset,) = [
        inline.formset for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "share_links"
    ]
    return [form.errors for form in formset.forms]


def test_the_form_says_how_long_a_link_may_work(writer, writers_draft):
    response = writer.get(change_url(writers_draft))

    html = response.content.decode()
    # Under the field, not only in a tooltip; and its boxes are named for screen readers.
    assert re.search(
        r'<div class="flex-container fieldBox field-expires_at">.*?</div>\s*'
        r'<div class="help">\s*<div>When the link stops working: at most 28 days after it is '
        r"made.</div>",
        html, re.S,
    )
    assert 'aria-label="Expiry date"' in html
    assert 'aria-label="Expiry time"' in html


def test_a_writer_shares_a_draft_for_up_to_four_weeks(writer, writers_draft, read_form):
    expires_at = timezone.now() + timedelta(days=27)
    data = with_new_link(read_form(writer.get(change_url(writers_draft))), "Our lawyer", expires_at)

    response = writer.post(change_url(writers_draft), data)

    assert response.status_code == 302, share_link_errors(response)
    link = ShareLink.objects.get(article=writers_draft)
    assert link.note == "Our lawyer"
    assert link.expires_at == expires_at.replace(microsecond=0)
    assert link.is_usable


def test_a_link_made_in_the_admin_says_who_shared_it(writer, writers_draft, read_form):
    data = with_new_link(
        read_form(writer.get(change_url(writers_draft))), "Our lawyer",
        timezone.now() + timedelta(days=2),
    )
    writer.post(change_url(writers_draft), data)
    link = ShareLink.objects.get(article=writers_draft)

    html = Client().get(link.get_absolute_url()).content.decode()

    assert "Preview — not yet published. Shared by Wren Ashby — this link expires" in html


@pytest.mark.parametrize(
    ("expires_in", "error"),
    [
        (timedelta(days=28, minutes=5), "A share link works for at most 28 days after it is made: "
         "choose a time no later than "),
        (timedelta(days=365 * 70), "A share link works for at most 28 days"),
        (timedelta(minutes=-5), "This time has passed: choose one in the future."),
    ],
    ids=["just-over-four-weeks", "until-2099", "in-the-past"],
)
def test_a_time_beyond_the_limit_or_past_is_refused_next_to_the_field_and_nothing_is_lost(
    writer, writers_draft, read_form, expires_in, error
):
    data = with_new_link(
        read_form(writer.get(change_url(writers_draft))), "Our lawyer",
        timezone.now() + expires_in,
    )
    data["headline"] = "Council sells the harbour depot"

    response = writer.post(change_url(writers_draft), data)

    assert response.status_code == 200
    (errors,) = share_link_errors(response)
    assert list(errors) == ["expires_at"]
    assert errors["expires_at"][0].startswith(error)
    html = response.content.decode()
    assert error in html
    # What the writer typed is still in the form; nothing was saved.
    assert 'value="Our lawyer"' in html
    assert 'value="Council sells the harbour depot"' in html
    assert not ShareLink.objects.exists()
    writers_draft.refresh_from_db()
    assert writers_draft.headline == HEADLINE


def test_the_limit_comes_from_the_settings(settings, writer, writers_draft, read_form):
    settings.NEWSROOM_SHARE_LINK_MAX_DAYS = 3
    data = with_new_link(
        read_form(writer.get(change_url(writers_draft))), "Our lawyer",
        timezone.now() + timedelta(days=4),
    )

    response = writer.post(change_url(writers_draft), data)

    (errors,) = share_link_errors(response)
    assert errors["expires_at"][0].startswith("A share link works for at most 3 days")
    assert "at most 3 days after it is made." in response.content.decode()


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


def test_an_editor_extends_a_link_within_four_weeks_of_its_making(
    client, editor, share_link, read_form, clock
):
    clock.advance(days=10)
    client.force_login(editor)  # a session of today, not of ten days ago
    data = read_form(client.get(change_url(share_link.article)))
    new_time = share_link.created_at + timedelta(days=27)
    data["share_links-0-expires_at_0"], data["share_links-0-expires_at_1"] = form_time(new_time)
    data["_save"] = "Save"

    response = client.post(change_url(share_link.article), data)

    assert response.status_code == 302, share_link_errors(response)
    share_link.refresh_from_db()
    assert share_link.expires_at == new_time.replace(microsecond=0)

    data["share_links-0-expires_at_0"], data["share_links-0-expires_at_1"] = form_time(
        share_link.created_at + timedelta(days=29)
    )
    response = client.post(change_url(share_link.article), data)
    (errors,) = share_link_errors(response)
    assert errors["expires_at"][0].startswith("A share link works for at most 28 days")


def test_a_forged_hidden_initial_time_does_not_get_past_the_limit(desk, share_link, read_form):
    """The time is checked against the stored one, not against what the post says it was."""
    data = read_form(desk.get(change_url(share_link.article)))
    far = form_time(timezone.now() + timedelta(days=365))
    data["share_links-0-expires_at_0"], data["share_links-0-expires_at_1"] = far
    data["initial-share_links-0-expires_at_0"], data["initial-share_links-0-expires_at_1"] = far
    data["share_links-0-note"] = "The council's new lawyer"
    data["_save"] = "Save"

    response = desk.post(change_url(share_link.article), data)

    (errors,) = share_link_errors(response)
    assert errors["expires_at"][0].startswith("A share link works for at most 28 days")
    share_link.refresh_from_db()
    assert share_link.note == "The council's lawyer"


def test_an_expired_link_does_not_stop_the_article_being_saved_or_the_link_revoked(
    client, editor, share_link, read_form, clock
):
    clock.advance(days=40)
    client.force_login(editor)  # a session of today, not of 40 days ago
    data = read_form(client.get(change_url(share_link.article)))
    data["headline"] = "Council sells the harbour depot"
    data["share_links-0-revoke"] = "on"
    data["_save"] = "Save"

    response = client.post(change_url(share_link.article), data)

    assert response.status_code == 302, share_link_errors(response)
    share_link.refresh_from_db()
    assert share_link.revoked_at == clock.now
    assert share_link.article.headline == "Council sells the harbour depot"


def test_a_links_address_is_shown_once_in_its_box_to_copy(desk, share_link):
    html = desk.get(change_url(share_link.article)).content.decode()
    group = html[html.index('id="share_links-group"'):html.index('id="share_links-empty"')]

    address = f"http://testserver{share_link.get_absolute_url()}"
    assert f'<input type="text" readonly value="{address}" aria-label="Share link"' in group
    # No second, bare "View on site" link in the heading beside the note.
    assert "View on site" not in group
    assert "/admin/r/" not in group
