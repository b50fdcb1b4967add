"""The listings' pages: each later page is addressed by the article before it, `?before=<id>`.

A page far back costs what the first costs, nothing counts a whole listing, and an address that
names no article of the listing (a draft's, another section's, nonsense) is a 404 like any other.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone
from taggit.models import Tag

from articles import pagination, views
from articles.models import Article, ArticleTag, Author, Byline
from articles.publishing import publish
from articles.saving import copy_publication_times
from articles.sitemaps import ArticleSitemap

pytestmark = pytest.mark.django_db

PER_PAGE = 12
PAGES = re.compile(r'<nav class="pagination" aria-label="Pages">(.*?)</nav>', re.DOTALL)
LINK = re.compile(r'<a rel="(prev|next)" href="([^"]*)">')
ARTICLE = re.compile(r'<h2 class="card-headline"><a href="[^"]*">([^<]*)</a></h2>')


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    nav = PAGES.search(html)
    links = dict(LINK.findall(nav.group(1))) if nav else {}
    return ARTICLE.findall(html), links


def follow(base, link):
    """The address a link on the page at `base` leads to."""
    return base.split("?")[0] + link if link.startswith("?") else link


def walk(client, url):
    """Every article of a listing, page by page along the "Older" links, and the pages'
    addresses."""
    articles, addresses = [], [url]
    while True:
        found, links = page(client, addresses[-1])
        articles.extend(found)
        if "next" not in links:
            return articles, addresses
        addresses.append(follow(url, links["next"]))


@pytest.fixture
def newsroom(make_article, author, section, other_section):
    """Thirty published articles an hour apart, newest first by name, with articles readers may
    not see among them; all with the same author and tag."""
    now = timezone.now()
    published = [
        make_article(
            f"Story {number:02d}", published_at=now - timedelta(hours=number + 1),
            authors=[author], tags=["harbour"],
        )
        for number in range(30)
    ]
    hidden = [
        make_article("Secret draft", status=Article.Status.DRAFT, published_at=now - timedelta(
            hours=5, minutes=30), authors=[author], tags=["harbour"]),
        make_article("Scheduled scoop", published_at=now + timedelta(hours=2),
                     authors=[author], tags=["harbour"]),
        make_article("Taken down", status=Article.Status.UNPUBLISHED,
                     published_at=now - timedelta(hours=7, minutes=30),
                     authors=[author], tags=["harbour"]),
    ]
    return published, hidden


def listings(author, section):
    return ["/", section.get_absolute_url(), author.get_absolute_url(),
            reverse("articles:tag", args=["harbour"])]


def test_the_older_links_visit_every_article_once_newest_first(
    client, newsroom, author, section
):
    published, _ = newsroom
    expected = [article.headline for article in published]
    for url in listings(author, section):
        articles, addresses = walk(client, url)
        assert articles == expected, url
        assert len(addresses) == 3, url
        # Each later page is addressed by the last article of the page before it.
        assert addresses[1].endswith(f"?before={published[PER_PAGE - 1].pk}")
        assert addresses[2].endswith(f"?before={published[2 * PER_PAGE - 1].pk}")


def test_the_newer_links_lead_back_to_the_first_page(client, newsroom, author, section):
    for url in listings(author, section):
        _, addresses = walk(client, url)
        for newer, older in zip(addresses, addresses[1:], strict=False):
            _, links = page(client, older)
            assert follow(url, links["prev"]) == newer, url
        _, links = page(client, url)
        assert "prev" not in links


def test_a_page_keeps_its_articles_when_newer_ones_come_out(client, newsroom, make_article):
    published, _ = newsroom
    address = f"/?before={published[PER_PAGE - 1].pk}"
    before, _ = page(client, address)

    breaking = make_article("Breaking news", published_at=timezone.now() - timedelta(minutes=1))

    after, links = page(client, address)
    assert after == before
    # Its newer page is still the twelve articles just above it, which are no longer the first
    # page: that one now starts with the news.
    assert links["prev"] == f"?before={breaking.pk}"
    newer, _ = page(client, "/" + links["prev"])
    assert newer == [article.headline for article in published[:PER_PAGE]]
    assert page(client, "/")[0][0] == "Breaking news"


def test_articles_published_at_the_same_moment_are_each_listed_once(client, make_article):
    moment = timezone.now() - timedelta(hours=1)
    for number in range(2 * PER_PAGE + 3):
        make_article(f"Same time {number:02d}", published_at=moment)

    articles, addresses = walk(client, "/")

    assert len(addresses) == 3
    assert sorted(articles) == [f"Same time {number:02d}" for number in range(2 * PER_PAGE + 3)]
    # The newer one first: the one saved last, as in the feeds and the rest of the site.
    assert articles[0] == f"Same time {2 * PER_PAGE + 2:02d}"


def test_an_address_naming_an_article_outside_the_listing_is_a_404(
    client, newsroom, author, section, other_section, make_article
):
    published, hidden = newsroom
    elsewhere = make_article("Business story", section=other_section,
                             authors=[Author.objects.create(name="B", slug="b")], tags=["other"])
    for url in listings(author, section):
        for article in [*hidden, elsewhere] if url != "/" else hidden:
            response = client.get(f"{url}?before={article.pk}")
            assert response.status_code == 404, (url, article.headline)
            assert article.headline not in response.content.decode()
        for nonsense in ["", "abc", "0", "-3", "1e3", "%20", "99999999999999999999999",
                         str(Article.objects.order_by("pk").last().pk + 1)]:
            assert client.get(f"{url}?before={nonsense}").status_code == 404, (url, nonsense)
        # Nothing is older than the oldest article; and one address, not two.
        assert client.get(f"{url}?before={published[-1].pk}").status_code == 404
        assert client.get(f"{url}?before={published[5].pk}&page=2").status_code == 404


def test_drafts_and_scheduled_articles_never_show_on_any_page(
    client, newsroom, author, section
):
    for url in listings(author, section):
        for address in walk(client, url)[1]:
            html = client.get(address).content.decode()
            for secret in ["Secret draft", "Scheduled scoop", "Taken down"]:
                assert secret not in html, (address, secret)


def test_page_numbers_still_answer_for_the_first_pages(client, newsroom, author, section):
    published, _ = newsroom
    headlines = [article.headline for article in published]
    for url in listings(author, section):
        articles, links = page(client, f"{url}?page=2")
        assert articles == headlines[PER_PAGE : 2 * PER_PAGE], url
        assert links == {"prev": url, "next": f"?before={published[2 * PER_PAGE - 1].pk}"}
        articles, links = page(client, f"{url}?page=3")
        assert articles == headlines[2 * PER_PAGE :]
        assert links == {"prev": "?page=2"}
        assert page(client, f"{url}?page=1")[0] == headlines[:PER_PAGE]
        assert client.get(f"{url}?page=4").status_code == 404


def test_page_numbers_stop_where_the_links_take_over(client, make_article):
    moment = timezone.now() - timedelta(days=30)
    articles = [
        make_article(f"Story {number}", published_at=moment - timedelta(minutes=number))
        for number in range(pagination.MAX_PAGE_NUMBER * PER_PAGE + 1)
    ]
    last, _ = page(client, f"/?page={pagination.MAX_PAGE_NUMBER}")
    assert last[-1] == articles[pagination.MAX_PAGE_NUMBER * PER_PAGE - 1].headline
    assert client.get(f"/?page={pagination.MAX_PAGE_NUMBER + 1}").status_code == 404
    # The article beyond is one link away.
    found, _ = page(client, f"/?before={articles[-2].pk}")
    assert found == [articles[-1].headline]


def test_a_later_page_is_its_own_canonical_address(client, newsroom, section):
    published, _ = newsroom
    html = client.get(
        f"{section.get_absolute_url()}?before={published[11].pk}&utm_source=x"
    ).content.decode()
    expected = f"http://testserver{section.get_absolute_url()}?before={published[11].pk}"
    assert f'<link rel="canonical" href="{expected}">' in html


def test_the_first_page_of_a_listing_has_no_page_links_when_everything_fits(
    client, make_article
):
    make_article("Only story")
    html = client.get("/").content.decode()
    assert "Only story" in html
    assert 'class="pagination"' not in html


def test_a_tag_only_drafts_carry_is_a_404_however_its_articles_are_read(
    client, make_article
):
    for number in range(3):
        make_article(f"Draft {number}", status=Article.Status.DRAFT, tags=["merger talks"])
    make_article("Scheduled", published_at=timezone.now() + timedelta(hours=1),
                 tags=["merger talks"])
    url = reverse("articles:tag", args=["merger-talks"])
    response = client.get(url)
    assert response.status_code == 404
    assert "Draft 0" not in response.content.decode()
    assert client.get(url + "?page=2").status_code == 404


def test_an_author_with_nothing_published_has_an_empty_page(client, make_article):
    writer = Author.objects.create(name="New Writer", slug="new-writer")
    make_article("Their first draft", status=Article.Status.DRAFT, authors=[writer])
    html = client.get(writer.get_absolute_url()).content.decode()
    assert "No stories here yet." in html
    assert "Their first draft" not in html


@pytest.mark.parametrize(
    "url_name, kwargs", [("home", {}), ("section", {"slug": "city"}),
                         ("tag", {"slug": "harbour"}), ("author", {"slug": "mira-okafor"})],
)
def test_a_page_costs_the_same_few_queries_however_deep_and_however_many_articles(
    client, make_article, author, image, django_assert_num_queries, url_name, kwargs
):
    url = reverse(f"articles:{url_name}", kwargs=kwargs)
    people = [author, *(Author.objects.create(name=f"W {n}", slug=f"w-{n}") for n in range(2))]
    articles = [
        make_article(lead_image=image, authors=people, tags=["harbour", f"tag {number}"])
        for number in range(3 * PER_PAGE + 2)
    ]
    # The listing's own row (a section, tag or author), then: the page's articles (one more, to
    # know there are older ones), their bylines and the navigation's sections.
    own = {"home": 0, "section": 1, "tag": 1, "author": 1}[url_name]
    with django_assert_num_queries(own + 3):
        page(client, url)
    # A later page first finds its article, and ends by finding the newer page's.
    for article in [articles[PER_PAGE - 1], articles[2 * PER_PAGE - 1], articles[-3]]:
        with django_assert_num_queries(own + 5):
            page(client, f"{url}?before={article.pk}")


# A tag or an author whose articles are all older than the rest of the newsroom's.

# More than the 500 articles a tag's or author's page used to put in order one by one: past
# that, each page read the published index from the newest article until the tag's turned up.
ARCHIVE_ARTICLES = 505


@pytest.fixture
def archive(section, author):
    """A tag and an author on ARCHIVE_ARTICLES articles a day apart, all years old, two of them
    articles readers may not see, and on one article scheduled for tomorrow; then forty newer
    articles with other tags and writers. The published archive's headlines, newest first.

    Written in bulk as the demo seed writes, then given their links' times as any bulk write
    gives them: with copy_publication_times().
    """
    now = timezone.now()
    hidden = {6: Article.Status.DRAFT, 20: Article.Status.UNPUBLISHED}
    old = Article.objects.bulk_create(
        Article(
            headline=f"Archive {number:03d}", slug=f"archive-{number}", section=section,
            status=hidden.get(number, Article.Status.PUBLISHED),
            published_at=now - timedelta(days=3 * 365 + number),
        )
        for number in range(ARCHIVE_ARTICLES)
    )
    scheduled = Article.objects.create(
        headline="Archive scheduled", slug="archive-scheduled", section=section,
        status=Article.Status.PUBLISHED, published_at=now + timedelta(days=1),
    )
    tag = Tag.objects.create(name="Old harbour", slug="old-harbour")
    ArticleTag.objects.bulk_create(
        ArticleTag(tag=tag, content_object=article) for article in [*old, scheduled]
    )
    Byline.objects.bulk_create(
        Byline(article=article, author=author) for article in [*old, scheduled]
    )
    other = Author.objects.create(name="Ben Recent", slug="ben-recent")
    for number in range(40):
        recent = Article.objects.create(
            headline=f"Recent {number}", slug=f"recent-{number}", section=section,
            status=Article.Status.PUBLISHED, published_at=now - timedelta(hours=number + 1),
        )
        Byline.objects.create(article=recent, author=other)
        recent.tags.set(["harbour"])
    copy_publication_times(Article.objects.all())
    return [article.headline for article in old if article.status == Article.Status.PUBLISHED]


def archive_listings(author):
    return [reverse("articles:tag", args=["old-harbour"]), author.get_absolute_url()]


def test_a_tag_or_author_whose_articles_are_all_old_shows_each_once_page_by_page(
    client, archive, author
):
    for url in archive_listings(author):
        articles, address, newer = [], url, None
        while True:
            found, links = page(client, address)
            articles.extend(found)
            # Each page's "Newer" link leads back to the page before it.
            assert (follow(url, links["prev"]) if "prev" in links else None) == newer, address
            if "next" not in links:
                break
            address, newer = follow(url, links["next"]), address
        assert articles == archive, url
        assert len(articles) == len(set(articles))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
def test_a_page_of_old_articles_reads_its_own_links_not_the_published_index(
    client, archive, author
):
    """Its articles come from the tag's or the author's links in the order their index holds,
    each article looked up by its key: no walk down the newest-first index of every article."""
    second = Article.objects.get(headline=archive[PER_PAGE - 1]).pk
    addresses = [
        *(url + suffix for url in archive_listings(author) for suffix in ["", f"?before={second}"]),
        reverse("articles:tag_feed_rss", args=["old-harbour"]),
        reverse("articles:author_feed_atom", args=[author.slug]),
    ]
    for address in addresses:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        plans = [sql_plan(query["sql"]) for query in queries]
        reading = [plan for plan in plans if any(map(reads_articles, plan))]
        assert reading, address
        for plan in reading:
            assert all(step in BY_KEY for step in plan if reads_articles(step)), (address, plan)
            assert not any("TEMP B-TREE" in step for step in plan), (address, plan)
        # The page's articles: a range of the links' index, read backwards from its start.
        assert any(LINKS_FROM_THE_PAGE.fullmatch(step) for plan in reading for step in plan), (
            address, reading)


BY_KEY = {"SEARCH articles_article USING INTEGER PRIMARY KEY (rowid=?)",
          "SEARCH U0 USING INTEGER PRIMARY KEY (rowid=?)"}
LINKS_FROM_THE_PAGE = re.compile(
    r"SEARCH articles_(articletag|byline) USING COVERING INDEX (articletag_tag|byline_author)"
    r"_published_idx \((tag|author)_id=\? AND published_at<\?\)"
)


def reads_articles(step):
    return bool(re.search(r"\b(articles_article|U0)\b", step))


def tag_and_author_listings(author):
    return [
        reverse("articles:tag", args=["harbour"]), author.get_absolute_url(),
        reverse("articles:tag_feed_rss", args=["harbour"]),
        reverse("articles:author_feed_rss", args=[author.slug]),
    ]


def test_whether_an_article_shows_is_its_own_status_and_time_not_its_links(
    client, make_article, author
):
    """The links' copies of the publication time only put articles in order: an article taken down,
    or moved to tomorrow, behind the workflow's back (its links keep the time they had) is not
    shown for all that."""
    make_article("Still out", authors=[author], tags=["harbour"])
    gone = make_article("Taken down", authors=[author], tags=["harbour"])
    moved = make_article("Moved to tomorrow", authors=[author], tags=["harbour"])
    Article.objects.filter(pk=gone.pk).update(status=Article.Status.UNPUBLISHED)
    Article.objects.filter(pk=moved.pk).update(published_at=timezone.now() + timedelta(days=1))

    for url in tag_and_author_listings(author):
        html = client.get(url).content.decode()
        assert "Still out" in html, url
        assert "Taken down" not in html and "Moved to tomorrow" not in html, url


@pytest.fixture
def older_and_newer(make_article, author):
    now = timezone.now()
    older = make_article("Older", published_at=now - timedelta(days=2), authors=[author],
                         tags=["harbour"])
    make_article("Newer", published_at=now - timedelta(days=1), authors=[author],
                 tags=["harbour"])
    return older


def headlines_on(client, url):
    """The headlines on a listing's page, or in its feed, in order."""
    html = client.get(url).content.decode()
    return ARTICLE.findall(html) or re.findall(r"<item><title>([^<]*)</title>", html)


def test_an_article_published_again_at_a_new_time_moves_on_its_tag_and_author_pages(
    client, older_and_newer, author
):
    publish(older_and_newer, at=timezone.now() - timedelta(minutes=5))

    for url in tag_and_author_listings(author):
        assert headlines_on(client, url) == ["Older", "Newer"], url


@pytest.mark.parametrize(
    "save", [lambda article: article.save(),
             lambda article: article.save(update_fields=["published_at"])],
    ids=["save", "update-fields"],
)
def test_a_plain_save_of_a_new_publication_time_moves_the_article_on_its_pages(
    client, older_and_newer, author, save
):
    """As the shell or a data migration would: no workflow step, just the article saved."""
    older_and_newer.published_at = timezone.now() - timedelta(minutes=5)
    save(older_and_newer)

    for url in tag_and_author_listings(author):
        assert headlines_on(client, url) == ["Older", "Newer"], url


def test_an_editor_moving_the_publication_time_moves_the_article_on_its_pages(
    client, admin_client, read_form, older_and_newer, author
):
    url = reverse("admin:articles_article_change", args=[older_and_newer.pk])
    data = read_form(admin_client.get(url))
    when = timezone.localtime(timezone.now() - timedelta(minutes=5))
    data.update({
        "published_at_0": when.strftime(formats.get_format("DATE_INPUT_FORMATS")[0]),
        "published_at_1": when.strftime("%H:%M:%S"),
        "_save": "Save",
    })
    assert admin_client.post(url, data).status_code == 302

    for url in tag_and_author_listings(author):
        assert headlines_on(client, url) == ["Older", "Newer"], url


def sql_plan(sql):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [row[-1] for row in cursor.fetchall()]


def test_the_pagination_is_a_labelled_navigation_with_related_links(client, newsroom):
    html = client.get(f"/?before={newsroom[0][11].pk}").content.decode()
    nav = PAGES.search(html).group(0)
    assert '<a rel="prev" href="/">← Newer</a>' in nav
    assert f'<a rel="next" href="?before={newsroom[0][23].pk}">Older →</a>' in nav


def test_the_tags_index_is_paginated_and_counts_only_published_articles(client, make_article):
    for number in range(55):
        make_article(tags=[f"topic {number:02d}"])
    make_article(tags=["topic 00"])
    make_article(status=Article.Status.DRAFT, tags=["topic 00", "zz draft only"])
    make_article(published_at=timezone.now() + timedelta(hours=1), tags=["topic 01"])

    first = client.get(reverse("articles:tag_list")).content.decode()
    second = client.get(reverse("articles:tag_list") + "?page=2").content.decode()

    assert 'topic 00 <span class="count">2</span>' in first
    assert 'topic 01 <span class="count">1</span>' in first
    assert "topic 49" in first and "topic 50" not in first
    assert 'topic 54 <span class="count">1</span>' in second
    assert "zz draft only" not in first + second
    assert client.get(reverse("articles:tag_list") + "?page=3").status_code == 404
    for bad in ["02", "+2", "last", ""]:
        assert client.get(reverse("articles:tag_list") + f"?page={bad}").status_code == 404, bad


def test_the_tags_index_costs_the_same_few_queries_however_many_tags(
    client, make_article, django_assert_num_queries
):
    make_article(tags=["a", "b"])
    # the tags with a published article, their counts, navigation sections
    with django_assert_num_queries(3):
        client.get(reverse("articles:tag_list"))
    for number in range(30):
        make_article(tags=[f"t {number}", "b"])
    with django_assert_num_queries(3):
        client.get(reverse("articles:tag_list"))


def query_plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
class TestPagesReadTheIndexFromTheirArticle:
    """At a hundred thousand articles a scan or a sort costs seconds: each page's articles come from
    an index range that starts at its article, in the index's own order."""

    def test_a_later_page_starts_at_its_article(self, make_article, author, section):
        article = make_article(authors=[author], tags=["harbour"])
        view = views.ArticleListView()
        older = view.articles(until=article.published_at).exclude(
            published_at=article.published_at, pk__gte=article.pk
        )
        for queryset in [older, older.filter(section=section)]:
            plan = query_plan(queryset.for_listing()[:13])
            steps = [step for step in plan if "articles_article " in step + " "]
            # One upper bound on the publication time, the article's: the range starts there.
            assert any(
                re.match(r"SEARCH articles_article USING (COVERING )?INDEX article_\w*published_idx"
                         r" \((section_id=\? AND )?status=\? AND published_at<\?\)", step)
                for step in steps
            ), plan
            assert not any("TEMP B-TREE" in step for step in plan), plan

    def test_articles_readers_may_not_see_are_read_from_indexes(self, db):
        plan = query_plan(Article.objects.hidden_ids())
        steps = [step for step in plan if step.startswith(("SEARCH", "SCAN"))]
        assert steps and all("USING COVERING INDEX" in step for step in steps), plan

    def test_the_newest_update_is_read_from_the_update_index(self, make_article):
        make_article()
        with CaptureQueriesContext(connection) as queries:
            ArticleSitemap().get_latest_lastmod()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {queries.captured_queries[-1]['sql']}")
            plan = [row[-1] for row in cursor.fetchall()]
        assert any("article_updated_idx" in step for step in plan), plan
        assert not any(step.startswith("SCAN") for step in plan), plan


def test_the_hidden_articles_are_exactly_those_published_leaves_out(make_article):
    now = timezone.now()
    make_article("Out")
    make_article("Draft", status=Article.Status.DRAFT)
    make_article("Undated draft", status=Article.Status.DRAFT, published_at=None)
    make_article("In review", status=Article.Status.IN_REVIEW)
    make_article("Taken down", status=Article.Status.UNPUBLISHED)
    make_article("Scheduled", published_at=now + timedelta(hours=1))
    undated = make_article("Published, undated")
    Article.objects.filter(pk=undated.pk).update(published_at=None)

    published = set(Article.objects.published().values_list("headline", flat=True))
    hidden = set(Article.objects.filter(pk__in=Article.objects.hidden_ids())
                 .values_list("headline", flat=True))

    assert published == {"Out"}
    assert published | hidden == set(Article.objects.values_list("headline", flat=True))
    assert not published & hidden
