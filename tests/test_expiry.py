"""A story's expiry: it comes down by itself at its time, from every page, feed and list readers
have, and the desk sets that time beside the publication time."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from articles import roles
from articles.models import Article, ArticleTag, Correction
from articles.publishing import add_correction

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(make_article, author, clock):
    """A published offer that comes down in thirty minutes, with a byline, a tag and a
    correction, so that it shows on every kind of page readers have."""
    article = make_article(
        "Half-price ferry tickets this weekend",
        authors=[author],
        tags=["ferry offers"],
        expires_at=clock.now + timedelta(minutes=30),
    )
    add_correction(article, "The offer covers the Sunday sailings too.")
    return article


def reader_pages(article):
    """Every page, feed and list a reader could find the article on."""
    return {
        "home": reverse("articles:home"),
        "section": article.section.get_absolute_url(),
        "section feed": reverse("articles:section_feed_rss", args=[article.section.slug]),
        "tag": reverse("articles:tag", args=["ferry-offers"]),
        "topics": reverse("articles:tag_list"),
        "tag feed": reverse("articles:tag_feed_atom", args=["ferry-offers"]),
        "author": article.bylines.get().author.get_absolute_url(),
        "author feed": reverse(
            "articles:author_feed_rss", args=[article.bylines.get().author.slug]
        ),
        "rss": reverse("articles:feed_rss"),
        "atom": reverse("articles:feed_atom"),
        "sitemap": reverse("articles:sitemap", args=["articles"]),
        "news sitemap": reverse("articles:news_sitemap"),
        "search": reverse("articles:search") + "?q=ferry+tickets",
        "corrections": reverse("articles:corrections"),
    }


def shows(client, url, article):
    response = client.get(url)
    content = response.content.decode()
    # The list of topics names the tag that only this story carries, not the story.
    marks = [article.headline, article.get_absolute_url(), ">ferry offers <"]
    return response.status_code == 200 and any(mark in content for mark in marks)


def test_an_expired_story_is_gone_from_every_page_readers_have_at_its_expiry(
    client, offer, clock
):
    pages = reader_pages(offer)
    before = {name for name, url in pages.items() if shows(client, url, offer)}
    assert before == set(pages)
    assert client.get(offer.get_absolute_url()).status_code == 200

    clock.advance(minutes=30)

    after = {name for name, url in pages.items() if shows(client, url, offer)}
    assert after == set()
    assert client.get(offer.get_absolute_url()).status_code == 404


def test_the_page_cache_serves_the_story_until_its_expiry_and_not_a_moment_after(
    client, offer, clock
):
    for url in [offer.get_absolute_url(), reverse("articles:home")]:
        assert client.get(url)["X-Cache"] == "miss"
        assert client.get(url)["X-Cache"] == "hit"

    clock.advance(minutes=29, seconds=59)
    assert client.get(offer.get_absolute_url())["X-Cache"] == "hit"

    clock.advance(seconds=1)

    assert client.get(offer.get_absolute_url()).status_code == 404
    assert offer.headline not in client.get(reverse("articles:home")).content.decode()


def test_a_story_scheduled_with_an_expiry_goes_up_and_comes_down_at_its_times(
    client, make_article, clock
):
    make_article(
        "Embargoed results from the harbour survey",
        published_at=clock.now + timedelta(hours=1),
        expires_at=clock.now + timedelta(hours=2),
    )
    assert "harbour survey" not in client.get("/").content.decode()

    clock.advance(hours=1)
    assert "harbour survey" in client.get("/").content.decode()

    clock.advance(hours=1)
    assert "harbour survey" not in client.get("/").content.decode()


def test_the_visibility_rule_and_its_instance_mirror_agree_at_the_expiry(offer, clock):
    assert offer.is_published and not offer.is_expired
    assert Article.objects.published().filter(pk=offer.pk).exists()
    assert not Article.objects.filter(pk__in=Article.objects.hidden_ids(), pk=offer.pk).exists()

    clock.advance(minutes=30)

    assert not offer.is_published and offer.is_expired
    assert not Article.objects.published().filter(pk=offer.pk).exists()
    assert Article.objects.filter(pk__in=Article.objects.hidden_ids(), pk=offer.pk).exists()
    assert not ArticleTag.objects.shown().filter(content_object=offer).exists()
    assert not Correction.objects.filter(
        Article.objects.published_exists(offer.pk)
    ).exists()


def test_an_editor_still_sees_an_expired_story_on_the_site_marked_as_not_for_readers(
    client, offer, clock, make_staff
):
    client.force_login(make_staff("editor", roles.EDITOR))
    clock.advance(minutes=31)

    response = client.get(offer.get_absolute_url())

    assert response.status_code == 200
    assert "Preview — readers cannot see this story: it expired" in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()


# The desk.


def typed(when):
    """A time as the admin's date and time boxes take it."""
    local = timezone.localtime(when)
    return local.strftime(formats.get_format("DATE_INPUT_FORMATS")[0]), local.strftime("%H:%M:%S")


@pytest.fixture
def editor(make_staff):
    client = Client()
    client.force_login(make_staff("editor", roles.EDITOR))
    return client


def save_times(client, read_form, article, published_at, expires_at):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = read_form(client.get(url))
    data["published_at_0"], data["published_at_1"] = typed(published_at)
    if expires_at is None:
        data["expires_at_0"] = data["expires_at_1"] = ""
    else:
        data["expires_at_0"], data["expires_at_1"] = typed(expires_at)
    data["_continue"] = "Save and continue editing"
    return client.post(url, data)


def test_the_form_shows_the_expiry_beside_the_publication_time(editor, make_article):
    article = make_article()
    page = editor.get(reverse("admin:articles_article_change", args=[article.pk])).content
    page = page.decode()

    assert "Expires at" in page
    assert "When readers stop seeing the story" in page
    # One row of the form holds both times.
    row = page[page.index('field-published_at'):]
    row = row[: row.index("</fieldset>")]
    assert 'name="expires_at_0"' in row
    assert 'aria-label="Date the story expires"' in page


def test_an_editor_sets_an_expiry_and_the_story_comes_down_then(
    editor, client, read_form, make_article, clock
):
    article = make_article("Winter timetable offer")
    up = timezone.now() - timedelta(hours=1)

    response = save_times(editor, read_form, article, up, up + timedelta(hours=2))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.expires_at == (up + timedelta(hours=2)).replace(microsecond=0)
    assert "Winter timetable offer" in client.get("/").content.decode()
    clock.advance(hours=1)
    assert "Winter timetable offer" not in client.get("/").content.decode()


def test_an_expiry_before_the_publication_time_is_refused_next_to_the_field(
    editor, read_form, make_article
):
    article = make_article()
    up = timezone.now() + timedelta(days=1)

    response = save_times(editor, read_form, article, up, up - timedelta(hours=1))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "The story must come down after it goes up" in errors["expires_at"][0]
    article.refresh_from_db()
    assert article.expires_at is None


def test_an_expiry_equal_to_the_publication_time_is_refused(editor, read_form, make_article):
    article = make_article()
    up = timezone.now() + timedelta(days=1)

    response = save_times(editor, read_form, article, up, up)

    assert "expires_at" in response.context["adminform"].form.errors


def test_a_writer_cannot_set_an_expiry_by_posting_it(make_staff, read_form, section):
    writer = Client()
    writer.force_login(make_staff("writer", roles.WRITER))
    add_url = reverse("admin:articles_article_add")
    data = read_form(writer.get(add_url))
    assert "expires_at_0" not in data
    date, time = typed(timezone.now() + timedelta(days=3))
    data.update(
        headline="Ferry offer", slug="ferry-offer", section=section.pk,
        expires_at_0=date, expires_at_1=time, _save="Save",
    )

    response = writer.post(add_url, data)

    assert response.status_code == 200
    assert "Only an editor may set the expiry time." in response.content.decode()
    assert not Article.objects.filter(slug="ferry-offer").exists()


def test_the_article_list_calls_an_expired_story_expired(editor, offer, clock):
    clock.advance(hours=1)

    page = editor.get(reverse("admin:articles_article_changelist")).content.decode()

    assert "Expired" in page
