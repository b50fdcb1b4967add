"""The indexes the public listings rely on: each finds its articles, and their order, in an index
rather than by scanning or sorting the articles table."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.sitemaps import NewsSitemap


def query_plan(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


def plans(queryset):
    """The plan of a listing's page and of the paginator's count."""
    sql, params = queryset[24:36].query.sql_with_params()
    page = query_plan(sql, params)
    with CaptureQueriesContext(connection) as queries:
        queryset.count()
    return page, query_plan(queries.captured_queries[-1]["sql"])


def article_steps(plan):
    return [step for step in plan if re.search(r"\barticles_article\b", step)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
@pytest.mark.django_db
class TestListingsUseIndexes:
    """Each public listing finds its articles, and their order, in an index: at a hundred
    thousand articles a scan of the table takes seconds, and so does sorting it."""

    @pytest.fixture
    def listings(self, make_article, author):
        article = make_article(authors=[author], tags=["harbour"])
        published = Article.objects.published().for_listing()
        return {
            "home": published,
            "section": published.filter(section=article.section),
            # A tag's and an author's articles in the order of their links' index, each read by
            # its key.
            "tag": published.tagged(article.tags.get()),
            "author": published.written_by(author),
        }

    @pytest.mark.parametrize("listing", ["home", "section", "tag", "author"])
    def test_page_and_count_search_the_articles_by_index(self, listings, listing):
        for plan in plans(listings[listing]):
            steps = article_steps(plan)
            assert steps, plan
            for step in steps:
                assert re.match(r"SEARCH articles_article USING (COVERING INDEX |INDEX "
                                r"|INTEGER PRIMARY KEY)", step), plan

    @pytest.mark.parametrize("listing", ["home", "section", "tag", "author"])
    def test_newest_first_comes_from_the_index_unsorted(self, listings, listing):
        page, _ = plans(listings[listing])
        assert not any("TEMP B-TREE" in step for step in page), page

    def test_section_listing_uses_the_section_index(self, listings):
        for plan in plans(listings["section"]):
            assert any("article_section_published_idx" in step for step in plan), plan

    def test_article_page_and_news_sitemap_use_indexes(self, make_article):
        slug = make_article().slug
        sql, params = Article.objects.for_page().filter(slug=slug).published()[:1].query \
            .sql_with_params()
        assert any("(slug=?)" in step for step in article_steps(query_plan(sql, params)))
        sql, params = NewsSitemap().items().query.sql_with_params()
        steps = article_steps(query_plan(sql, params))
        assert any("article_first_published_idx" in step for step in steps), steps
