from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import roles
from articles.models import Article, Author
from articles.publishing import add_correction

pytestmark = pytest.mark.django_db


def future():
    return timezone.now() + timedelta(days=1)


def test_article_page_shows_what_a_reader_expects(client, make_article, image, author):
    article = make_article(
        "Harbour City votes to bring back the night tram",
        standfirst="The first night service since 1987.",
        body="<p>After three years of studies…</p><h2>A line for the night shift</h2><p>More.</p>",
        lead_image=image,
        authors=[author],
        tags=["night tram", "transport"],
        references=["Night Tram Feasibility Study", "Council Meeting Minutes"],
    )
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Harbour City votes to bring back the night tram</h1>" in html
    assert "The first night service since 1987." in html
    assert '<a href="/authors/mira-okafor/">Mira Okafor</a>' in html
    # To the second: a machine-readable time in HTML may not carry microseconds.
    published = timezone.localtime(article.published_at)
    assert f'<time datetime="{published:%Y-%m-%dT%H:%M:%S%z}"' in html
    assert "<h2>A line for the night shift</h2>" in html
    # The image carries its caption, credit and licence link.
    assert '<figure class="lead-image">' in html
    assert "The restored tram at the Eastgate depot." in html
    assert '<a href="https://example.org/ana-ruiz">Ana Ruiz / Courier</a>' in html
    assert '<a rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">' in html
    assert 'alt="A green tram at a depot"' in html
    # References in order, and tag links.
    assert html.index("Night Tram Feasibility Study") < html.index("Council Meeting Minutes")
    assert '<a href="/tags/night-tram/" rel="tag">night tram</a>' in html


def test_reference_links_where_it_has_a_url(client, make_article):
    article = make_article()
    article.references.create(
        title="Transit Workers Petition", publisher="Harbour Workers' Union",
        url="https://example.org/petition",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="https://example.org/petition">Transit Workers Petition</a>' in html
    assert "Harbour Workers&#x27; Union" in html


def test_staff_typed_text_is_escaped_on_the_page(client, make_article):
    article = make_article('<script>alert("x")</script> & friends', standfirst="<b>bold?</b>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends" in html
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "status, published_at",
    [
        (Article.Status.DRAFT, None),
        (Article.Status.DRAFT, "an hour ago"),
        (Article.Status.PUBLISHED, future),
    ],
    ids=["draft", "draft-with-a-date", "scheduled"],
)
def test_unpublished_article_is_a_404_like_a_missing_one(
    client, make_article, status, published_at
):
    article = make_article(
        "Embargoed budget leak",
        status=status,
        published_at=published_at() if callable(published_at) else published_at,
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "Embargoed budget leak" not in response.content.decode()
    missing = client.get(article.get_absolute_url().replace(article.slug, "no-such-story"))
    assert missing.status_code == 404


def test_scheduled_article_appears_by_itself_when_its_time_comes(client, make_article, clock):
    article = make_article("Tomorrow's story", published_at=clock.now + timedelta(hours=2))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Tomorrow&#x27;s story" not in client.get("/").content.decode()
    # The clock moves on: nothing but time changes.
    clock.advance(hours=2, seconds=1)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Tomorrow&#x27;s story" in client.get("/").content.decode()


def test_drafts_and_scheduled_articles_are_absent_from_every_listing(
    client, make_article, author, section
):
    make_article("Visible story", authors=[author], tags=["budget"])
    make_article("Secret draft", status=Article.Status.DRAFT, authors=[author], tags=["budget"])
    make_article("Scheduled scoop", published_at=future(), authors=[author], tags=["budget"])
    for url in [
        "/", section.get_absolute_url(), author.get_absolute_url(),
        reverse("articles:tag", args=["budget"]), reverse("articles:tag_list"),
    ]:
        html = client.get(url).content.decode()
        assert "Secret draft" not in html, url
        assert "Scheduled scoop" not in html, url
    assert "Visible story" in client.get("/").content.decode()


def test_tags_index_counts_only_published_articles(client, make_article):
    make_article(tags=["budget", "transport"])
    make_article(tags=["budget"])
    make_article(status=Article.Status.DRAFT, tags=["budget", "leaked-draft-tag"])
    response = client.get(reverse("articles:tag_list"))
    html = response.content.decode()
    assert 'budget <span class="count">2</span>' in html
    assert 'transport <span class="count">1</span>' in html
    assert "leaked-draft-tag" not in html


def test_a_tag_only_drafts_carry_is_a_404(client, make_article):
    make_article(status=Article.Status.DRAFT, tags=["merger talks"])
    assert client.get(reverse("articles:tag", args=["merger-talks"])).status_code == 404


def test_section_page_lists_its_own_articles_newest_first(
    client, make_article, section, other_section
):
    make_article("Older city story", published_at=timezone.now() - timedelta(days=2))
    make_article("Newer city story", published_at=timezone.now() - timedelta(hours=2))
    make_article("A business story", section=other_section)
    html = client.get(section.get_absolute_url()).content.decode()
    assert "<h1>City</h1>" in html
    assert "News from the city." in html
    assert html.index("Newer city story") < html.index("Older city story")
    assert "A business story" not in html


def test_author_page_shows_bio_and_their_articles(client, make_article, author):
    make_article("Mira's story", authors=[author])
    make_article("Someone else's story", authors=[Author.objects.create(name="B", slug="b")])
    html = client.get(author.get_absolute_url()).content.decode()
    assert "Covers transport." in html
    assert "Mira&#x27;s story" in html
    assert "Someone else" not in html


def test_listings_are_paginated_and_a_bad_page_is_a_404(client, make_article, settings):
    articles = [make_article(f"Story {number:02d}") for number in range(14)]
    first = client.get("/").content.decode()
    # The next page is addressed by the last article shown, the twelfth newest.
    older = f"?before={articles[11].pk}"
    second = client.get("/" + older).content.decode()
    assert f'rel="next" href="{older}"' in first
    assert 'rel="prev"' not in first
    assert 'rel="prev" href="/"' in second
    assert 'rel="next"' not in second
    assert "Story 00" in first and "Story 13" in second
    assert "Story 11" in first and "Story 11" not in second
    # The earlier addresses still answer.
    assert "Story 13" in client.get("/?page=2").content.decode()
    for bad in ["abc", "0", "3", "-1", "99999999999999999999", "11", "2.0", " 2", "02", "+2"]:
        assert client.get(f"/?page={bad}").status_code == 404, bad
    for bad in ["abc", "0", "-1", "99999999999999999999", str(articles[0].pk + 100)]:
        assert client.get(f"/?before={bad}").status_code == 404, bad
    # Nothing is older than the oldest article.
    assert client.get(f"/?before={articles[13].pk}").status_code == 404
    assert client.get(f"/?before={articles[11].pk}&page=2").status_code == 404


def test_missing_pages_are_404s_with_the_site_look(client, section):
    for url in ["/no-such-section/", "/tags/no-such-tag/", "/authors/nobody/",
                "/city/2026/01/01/no-such-story/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        html = response.content.decode()
        assert "We can’t find that page" in html
        assert f'href="{reverse("articles:feed_rss")}"' in html


def test_an_old_date_or_section_in_the_address_redirects_to_the_article(
    client, make_article, other_section
):
    article = make_article()
    wrong = f"/{other_section.slug}/2001/01/01/{article.slug}/"
    response = client.get(wrong)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_staff_can_preview_a_draft_which_is_never_cached(admin_client, make_article):
    article = make_article("Draft for the lawyer", status=Article.Status.DRAFT, published_at=None)
    response = admin_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Preview — readers cannot see this story" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def writers(make_staff):
    return make_staff("ana", roles.WRITER), make_staff("ben", roles.WRITER)


def test_an_editor_can_preview_any_draft(client, make_article, make_staff, writers):
    ana, _ = writers
    article = make_article(
        "Ana's draft", status=Article.Status.DRAFT, published_at=None, created_by=ana
    )
    client.force_login(make_staff("dana", roles.EDITOR))

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Preview — readers cannot see this story" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_a_writer_can_preview_their_own_draft_but_not_another_writers(
    client, make_article, writers
):
    ana, ben = writers
    own = make_article("Ana's draft", status=Article.Status.DRAFT, created_by=ana)
    other = make_article("Ben's scoop", status=Article.Status.IN_REVIEW, created_by=ben)
    client.force_login(ana)

    response = client.get(own.get_absolute_url())
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]

    response = client.get(other.get_absolute_url())
    assert response.status_code == 404
    assert "Ben&#x27;s scoop" not in response.content.decode()


def test_staff_without_a_role_cannot_preview(client, make_article, make_staff):
    article = make_article("Embargoed budget leak", status=Article.Status.DRAFT)
    client.force_login(make_staff("visitor"))

    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_writer_reads_another_writers_published_article_like_any_reader(
    client, make_article, writers
):
    ana, ben = writers
    article = make_article("Ben's story", created_by=ben)
    client.force_login(ana)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Preview" not in response.content.decode()


def test_every_page_links_its_feeds(client, make_article, author, section):
    article = make_article(authors=[author], tags=["budget"])
    expectations = {
        "/": reverse("articles:feed_rss"),
        article.get_absolute_url(): reverse("articles:feed_atom"),
        section.get_absolute_url(): reverse("articles:section_feed_rss", args=["city"]),
        reverse("articles:tag", args=["budget"]): reverse(
            "articles:tag_feed_atom", args=["budget"]
        ),
        author.get_absolute_url(): reverse("articles:author_feed_rss", args=[author.slug]),
    }
    for page, feed in expectations.items():
        html = client.get(page).content.decode()
        assert 'rel="alternate" type="application/' in html, page
        assert f'href="{feed}"' in html, page


def test_navigation_lists_sections_in_their_order(client, section, other_section):
    other_section.position = 0
    other_section.save()
    section.position = 5
    section.save()
    html = client.get("/").content.decode()
    nav = html[html.index('<nav class="site-nav"'):html.index("</nav>")]
    assert nav.index("Business") < nav.index("City")


def test_article_page_query_count_does_not_grow(
    client, make_article, image, author, django_assert_num_queries
):
    small = make_article(lead_image=image, authors=[author], tags=["a"], references=["r1"])
    people = [Author.objects.create(name=f"Writer {n}", slug=f"writer-{n}") for n in range(4)]
    big = make_article(
        lead_image=image, authors=people, tags=[f"tag {n}" for n in range(8)],
        references=[f"Source {n}" for n in range(10)],
    )
    for number in range(6):
        add_correction(big, f"Correction number {number}.")
    # article, bylines, tags, references, corrections, navigation sections
    with django_assert_num_queries(6):
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(big.get_absolute_url()).status_code == 200


def test_listing_query_count_does_not_grow_with_items(
    client, make_article, image, author, django_assert_num_queries
):
    make_article(lead_image=image, authors=[author], tags=["a"])
    # articles (one more than a page, to know there are older ones), bylines, navigation
    # sections: nothing counts the articles
    with django_assert_num_queries(3):
        assert client.get("/").status_code == 200
    people = [Author.objects.create(name=f"Writer {n}", slug=f"writer-{n}") for n in range(3)]
    for number in range(11):
        make_article(lead_image=image, authors=people, tags=[f"tag {number}", "shared"])
    with django_assert_num_queries(3):
        assert client.get("/").status_code == 200


def test_tags_in_any_script_have_their_own_pages(client, make_article):
    article = make_article("Night markets", tags=["Café", "日本", "été 2026"])
    html = client.get(article.get_absolute_url()).content.decode()
    for name in ["Café", "日本", "été 2026"]:
        assert f">{name}</a>" in html
    for slug in ["café", "日本", "été-2026"]:
        response = client.get(reverse("articles:tag", args=[slug]))
        assert response.status_code == 200, slug
        assert "Night markets" in response.content.decode()
        assert client.get(reverse("articles:tag_feed_rss", args=[slug])).status_code == 200
    assert client.get(reverse("articles:tag_list")).status_code == 200


def test_an_article_links_its_section_feeds_and_marks_its_section_in_the_navigation(
    client, make_article, section
):
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert f'href="{reverse("articles:section_feed_atom", args=[section.slug])}"' in html
    assert f'href="{reverse("articles:feed_rss")}"' in html
    assert '<a href="/city/" aria-current="page">City</a>' in html


def test_times_are_given_in_the_newsrooms_time_zone_to_readers_and_machines(
    client, make_article, settings
):
    settings.TIME_ZONE = "Europe/London"
    when = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
    article = make_article("Summer story", published_at=when)

    for url in ["/", article.get_absolute_url()]:
        html = client.get(url).content.decode()
        # 09:30 UTC is 10:30 in London in July.
        assert '<time datetime="2026-07-01T10:30:00+0100">' in html, url
        assert "1 Jul 2026, 10:30" in html or "1 July 2026, 10:30" in html, url
