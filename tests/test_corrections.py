"""Corrections, as readers meet them: under the article, on the corrections page and in feeds."""

import calendar
from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from articles.publishing import add_correction, publish, unpublish

pytestmark = pytest.mark.django_db

CORRECTIONS = reverse("articles:corrections")


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def time_tag(moment):
    return f'<time datetime="{timezone.localtime(moment):%Y-%m-%dT%H:%M:%S%z}">'


def test_corrections_are_listed_under_the_article_in_the_order_they_were_made(client, make_article):
    article = make_article("Night trams return")
    now = timezone.now()
    first = add_correction(
        article, "The depot is on Quay Street, not Dock Road.", at=now - timedelta(minutes=40)
    )
    second = add_correction(
        article, "Fares are unchanged.", Correction.Kind.CLARIFICATION,
        at=now - timedelta(minutes=20),
    )
    third = add_correction(article, "The mayor has replied.", Correction.Kind.UPDATE, at=now)
    html = page(client, article.get_absolute_url())

    section = html[html.index('<section class="corrections"'):]
    section = section[:section.index("</section>")]
    assert 'aria-labelledby="corrections-heading"' in section
    assert '<h2 id="corrections-heading">Corrections and updates</h2>' in section
    texts = ["The depot is on Quay Street", "Fares are unchanged.", "The mayor has replied."]
    assert [section.index(text) for text in texts] == sorted(section.index(t) for t in texts)
    for correction, label in [(first, "Correction"), (second, "Clarification"), (third, "Update")]:
        assert f"<strong>{label}</strong> · {time_tag(correction.created_at)}" in section
    # The header says the article was updated, when, and where to read what changed.
    assert f"· Updated {time_tag(third.created_at)}" in html
    assert '<a href="#corrections">Corrections and updates</a>' in html


def test_an_editors_note_is_labelled_as_such(client, make_article):
    article = make_article()
    add_correction(article, "This story was reported with the Gazette.", "editors-note")

    assert "<strong>Editor’s note</strong>" in page(client, article.get_absolute_url())


def test_an_article_without_corrections_says_nothing_about_them(client, make_article):
    article = make_article()
    # An edit nobody marked as substantive (a typo fixed) is not an update either.
    article.headline = "Night trams return to the harbour"
    article.save()

    html = page(client, article.get_absolute_url())

    assert 'class="corrections"' not in html
    assert 'href="#corrections"' not in html
    assert "Updated" not in html


def test_correction_text_is_escaped_and_keeps_its_line_breaks(client, make_article):
    article = make_article()
    add_correction(article, 'The <b>fare</b> is $2 & "rising".\n\nIt was $1.50 before.')

    for url in [article.get_absolute_url(), CORRECTIONS]:
        html = page(client, url)
        assert "<b>fare</b>" not in html, url
        assert "<p>The &lt;b&gt;fare&lt;/b&gt; is $2 &amp; &quot;rising&quot;.</p>" in html, url
        assert "<p>It was $1.50 before.</p>" in html, url


def test_a_correction_is_shown_everywhere_the_article_is(client, make_article):
    """On the article, on the corrections page and in both site feeds: nowhere is it left out."""
    article = make_article("Night trams return")
    correction = add_correction(article, "The depot is on Quay Street.")
    made = timezone.localtime(correction.created_at)

    assert "The depot is on Quay Street." in page(client, article.get_absolute_url())
    assert "The depot is on Quay Street." in page(client, CORRECTIONS)
    for feed in ["articles:feed_rss", "articles:feed_atom"]:
        entry = feedparser.parse(client.get(reverse(feed)).content).entries[0]
        content = entry.content[0].value
        assert "The depot is on Quay Street." in content, feed
        # Under the body, with its kind and date.
        day = f"{made.day} {made:%B %Y}"
        assert content.index("The body of story") < content.index(f"Correction ({day}):")


def test_the_footer_links_the_corrections_page(client, make_article):
    html = page(client, "/")

    footer = html[html.index('<footer class="site-footer">'):]
    assert f'<a href="{CORRECTIONS}">Corrections</a>' in footer


def test_the_corrections_page_lists_published_articles_corrections_newest_first(
    client, make_article
):
    now = timezone.now()
    older = make_article("Harbour bridge reopens")
    newer = make_article("Night trams return")
    add_correction(older, "The bridge opened on Monday.", at=now - timedelta(minutes=30))
    add_correction(newer, "The line is the number 4.", at=now - timedelta(minutes=20))
    add_correction(
        older, "Cyclists may use the bridge.", Correction.Kind.CLARIFICATION,
        at=now - timedelta(minutes=10),
    )

    html = page(client, CORRECTIONS)

    assert "<h1>Corrections</h1>" in html
    texts = ["Cyclists may use the bridge.", "The line is the number 4.", "The bridge opened"]
    assert [html.index(text) for text in texts] == sorted(html.index(t) for t in texts)
    assert f'<a href="{older.get_absolute_url()}">Harbour bridge reopens</a>' in html
    assert f'<a href="{newer.get_absolute_url()}">Night trams return</a>' in html
    assert "<strong>Clarification</strong>" in html
    assert html.count(time_tag(now - timedelta(minutes=20))) == 1
    assert f'<a href="{CORRECTIONS}" aria-current="page">Corrections</a>' in html


def test_corrections_to_articles_readers_cannot_see_are_never_listed(client, make_article):
    visible = make_article("Visible story")
    draft = make_article("Secret draft", status=Article.Status.DRAFT)
    scheduled = make_article("Scheduled scoop", published_at=timezone.now() + timedelta(days=1))
    withdrawn = make_article("Withdrawn story")
    publish(withdrawn)
    for article in [visible, draft, scheduled, withdrawn]:
        add_correction(article, f"A correction to {article.headline}.")
    unpublish(withdrawn)

    html = page(client, CORRECTIONS)

    assert "A correction to Visible story." in html
    for hidden in ["Secret draft", "Scheduled scoop", "Withdrawn story"]:
        assert hidden not in html


def test_the_corrections_page_says_so_when_there_are_none(client, make_article):
    add_correction(make_article(status=Article.Status.DRAFT), "Not yet out.")

    html = page(client, CORRECTIONS)

    assert "No corrections yet." in html
    assert "Not yet out." not in html


def test_the_corrections_page_is_paginated_and_a_bad_page_is_a_404(client, make_article, settings):
    article = make_article()
    now = timezone.now()
    for number in range(settings.NEWSROOM_ARTICLES_PER_PAGE + 2):
        add_correction(article, f"Correction {number:02d}.", at=now - timedelta(minutes=number))

    first = page(client, CORRECTIONS)
    second = page(client, CORRECTIONS + "?page=2")

    assert "Page 1 of 2" in first
    assert 'rel="next" href="?page=2"' in first
    assert "Correction 00." in first and "Correction 13." in second
    assert "Correction 13." not in first
    for bad in ["abc", "0", "3", "-1", "02", "+2", "last", ""]:
        assert client.get(f"{CORRECTIONS}?page={bad}").status_code == 404, bad


def test_the_corrections_page_query_count_does_not_grow_with_items(
    client, make_article, section, other_section, django_assert_num_queries
):
    add_correction(make_article(), "The first correction.")
    # count, corrections with their articles and sections, navigation sections
    with django_assert_num_queries(3):
        page(client, CORRECTIONS)
    for number in range(8):
        article = make_article(section=other_section if number % 2 else section)
        add_correction(article, "One.")
        add_correction(article, "Two.", Correction.Kind.UPDATE)
    with django_assert_num_queries(3):
        page(client, CORRECTIONS)


@pytest.mark.parametrize("feed", ["articles:feed_rss", "articles:feed_atom"])
def test_a_correction_bumps_the_feed_entrys_updated_time(client, make_article, feed):
    """Feed readers see the article anew: its updated time is the correction's."""
    article = make_article("Night trams return")

    def updated():
        entry = feedparser.parse(client.get(reverse(feed)).content).entries[0]
        return calendar.timegm(entry.updated_parsed)

    assert updated() == int(article.published_at.timestamp())

    correction = add_correction(article, "The depot is on Quay Street.")

    assert updated() == int(correction.created_at.timestamp())
    assert updated() > int(article.published_at.timestamp())
    raw = client.get(reverse(feed)).content.decode()
    tag = "atom:updated" if feed.endswith("rss") else "updated"
    stamp = f"<{tag}>{correction.created_at.isoformat()}</{tag}>"
    assert stamp in raw
