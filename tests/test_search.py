"""Site search, as a reader uses it: the box on every page and the results page."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import search
from articles.models import Article

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")


def find(client, query, **params):
    response = client.get(SEARCH, {"q": query, **params})
    assert response.status_code == 200, response.content[:300]
    return response


def headlines(response):
    """The headlines of the results, in order, as plain text."""
    results = response.context["results"]
    return [re.sub(r"<[^>]+>", "", article.highlight.headline) for article in results]


def test_every_page_has_a_labelled_search_box_that_works_without_javascript(client, section):
    html = client.get("/").content.decode()

    form = html[html.index('<form class="site-search"'):]
    form = form[: form.index("</form>")]
    assert 'role="search"' in form
    assert f'action="{SEARCH}"' in form
    assert 'method="get"' in form
    assert '<label class="visually-hidden" for="site-search-query">' in form
    assert '<input id="site-search-query" type="search" name="q"' in form
    assert '<button type="submit">Search</button>' in form


def test_an_article_is_found_by_a_word_from_its_body(client, make_article):
    article = make_article(
        "Council meets",
        standfirst="The budget is on the agenda.",
        body="<p>Councillors will also discuss the <strong>lighthouse</strong> repairs.</p>",
    )
    make_article("Something else", body="<p>Nothing to see.</p>")

    response = find(client, "lighthouse")
    html = response.content.decode()

    assert headlines(response) == ["Council meets"]
    assert f'href="{article.get_absolute_url()}"' in html
    assert "1 story found" in html
    # The passage around the match is shown as text, the word marked.
    assert "discuss the <mark>lighthouse</mark> repairs." in html
    assert "<strong>" not in html[html.index('<ol class="search-results"'):]


def test_a_headline_match_ranks_above_a_body_match(client, make_article):
    # The body match is the newer article, so only relevance can put the headline match first.
    make_article(
        "Weekend roadworks",
        body="<p>Crews will resurface the road to the ferry terminal.</p>",
        published_at=timezone.now() - timedelta(minutes=5),
    )
    make_article(
        "Ferry timetable changes",
        body="<p>New times start on Monday.</p>",
        published_at=timezone.now() - timedelta(days=3),
    )
    make_article("Standfirst only", standfirst="The ferry is late again.")

    response = find(client, "ferry")
    results = response.context["results"]

    assert headlines(response) == [
        "Ferry timetable changes", "Standfirst only", "Weekend roadworks"
    ]
    assert results[0].rank > results[1].rank > results[2].rank


def test_the_query_is_highlighted_and_staff_text_stays_escaped(client, make_article):
    make_article(
        'Tram <script>alert("x")</script> & bus',
        standfirst="The tram & the <b>bus</b>.",
        body="<p>Nothing here.</p>",
    )

    html = find(client, "tram").content.decode()

    assert "<mark>Tram</mark> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; bus" in html
    assert "The <mark>tram</mark> &amp; the &lt;b&gt;bus&lt;/b&gt;." in html
    assert "<script>alert" not in html


def test_every_word_must_match_and_the_last_may_be_the_start_of_a_word(client, make_article):
    make_article("Harbour ferry strike", body="<p>Crews walk out.</p>")
    make_article("Harbour festival", body="<p>Music all weekend.</p>")

    assert headlines(find(client, "harbour ferry")) == ["Harbour ferry strike"]
    assert sorted(headlines(find(client, "harb"))) == ["Harbour ferry strike", "Harbour festival"]
    assert headlines(find(client, "HARBOUR Fest")) == ["Harbour festival"]
    # Two letters are too few to stand for every word that starts with them.
    assert headlines(find(client, "ha")) == []


def test_another_form_of_a_word_finds_an_article(client, make_article):
    make_article("Ferries return to the quay", body="<p>The owners are running again.</p>")

    assert headlines(find(client, "run")) == ["Ferries return to the quay"]
    assert headlines(find(client, "ferry")) == ["Ferries return to the quay"]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's configurations keep accents"
)
def test_a_word_typed_without_its_accent_finds_an_article(client, make_article):
    make_article("Café reopens on the quay")

    assert headlines(find(client, "cafe")) == ["Café reopens on the quay"]


def test_drafts_and_scheduled_articles_are_never_found(client, make_article):
    make_article("Budget published", body="<p>The embargo lifted.</p>")
    make_article("Budget draft", status=Article.Status.DRAFT)
    make_article("Budget undated draft", status=Article.Status.DRAFT, published_at=None)
    make_article("Budget in review", status=Article.Status.IN_REVIEW)
    make_article("Budget taken down", status=Article.Status.UNPUBLISHED)
    make_article("Budget scheduled", published_at=timezone.now() + timedelta(hours=2))

    response = find(client, "budget")
    html = response.content.decode()

    assert headlines(response) == ["Budget published"]
    assert "1 story found" in html
    for hidden in ["draft", "review", "taken down", "scheduled"]:
        assert hidden not in html.lower()


def test_a_scheduled_article_is_found_once_its_time_has_come(client, make_article, clock):
    make_article("Budget scheduled", published_at=clock.now + timedelta(minutes=30))
    assert headlines(find(client, "budget")) == []

    clock.advance(minutes=31)

    assert headlines(find(client, "budget")) == ["Budget scheduled"]


HOSTILE_QUERIES = [
    pytest.param("ferry " * 20_000, id="100-kB"),
    pytest.param("ferry\x00", id="NUL"),
    pytest.param("\x00", id="only-NUL"),
    pytest.param("%", id="percent"),
    pytest.param("_", id="underscore"),
    pytest.param("%ferry%_", id="like-wildcards"),
    pytest.param('"', id="double-quote"),
    pytest.param('"ferry', id="open-quote"),
    pytest.param("'", id="single-quote"),
    pytest.param("ferry'); DROP TABLE articles_article; --", id="sql"),
    pytest.param("NEAR(ferry harbour, 2)", id="near"),
    pytest.param("NEAR(", id="open-near"),
    pytest.param("*", id="star"),
    pytest.param("ferry*", id="prefix-star"),
    pytest.param("-ferry", id="minus"),
    pytest.param("ferry AND OR NOT", id="operators"),
    pytest.param("AND", id="and"),
    pytest.param("headline:ferry", id="column-filter"),
    pytest.param("{headline body}: ferry", id="column-set"),
    pytest.param("^ferry", id="caret"),
    pytest.param("ferry + harbour", id="plus"),
    pytest.param("(((((ferry", id="brackets"),
    pytest.param("ferry & !harbour | x:*", id="tsquery-syntax"),
    pytest.param("\x02ferry\x03", id="highlight-markers"),
    pytest.param("🚋 שלום مرحبا 日本", id="scripts"),
    pytest.param("   ", id="blank"),
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_survives_a_hostile_query(client, make_article, query):
    """Whatever is typed, the reader gets a page (perhaps of no results), never an error."""
    make_article("Ferry returns to the harbour", body="<p>Ferry and harbour news.</p>")

    response = client.get(SEARCH, {"q": query})

    assert response.status_code == 200
    html = response.content.decode()
    assert "\x00" not in html
    assert "<script" not in html


def test_bytes_that_are_not_utf8_are_no_error(client, section):
    assert client.get(SEARCH + "?q=%FF%FEferry%00%C0").status_code == 200


def test_a_hostile_query_finds_by_its_words_alone(client, make_article):
    make_article("Ferry returns to the harbour", standfirst="Or so we hear.")

    for query in ['"ferry', "ferry*", "-ferry", "(ferry OR)", "ferry\x00", "%ferry%_", "ferry:*"]:
        assert headlines(find(client, query)) == ["Ferry returns to the harbour"], query


def test_a_long_query_is_cut_and_the_reader_told(client, make_article):
    make_article("Ferry returns")
    query = "ferry " + "x" * 100_000

    response = find(client, query)
    html = response.content.decode()

    assert "Searches can be up to 200 characters long, so only the first 200 were searched." in html
    assert response.context["search_query"] == query[: search.MAX_QUERY_LENGTH]
    assert "x" * 201 not in html


def test_results_name_the_words_as_searched_as_their_own_address(client, make_article):
    make_article("Ferry returns")

    html = find(client, "  ferry\x00   returns ", utm_source="x").content.decode()

    assert '<link rel="canonical" href="http://testserver/search/?q=ferry+returns">' in html


def test_the_query_is_echoed_escaped(client, section):
    html = find(client, '<script>alert("x")</script>').content.decode()

    assert "Search results for “&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;”" in html
    assert 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"' in html
    assert "<script>" not in html


def test_an_empty_search_asks_for_words_and_searches_nothing(
    client, make_article, django_assert_num_queries
):
    make_article("Ferry returns")
    # Only the navigation's sections.
    with django_assert_num_queries(1):
        response = client.get(SEARCH)
    assert response.status_code == 200
    assert "Type a word or two into the search box" in response.content.decode()
    assert "Search with words" in find(client, "%%%").content.decode()


def test_results_are_paginated_keep_the_query_and_a_bad_page_is_a_404(client, make_article):
    now = timezone.now()
    for number in range(14):
        make_article(f"Ferry story {number:02d}", published_at=now - timedelta(hours=number))

    first = find(client, "ferry")
    second = find(client, "ferry", page=2)

    assert len(first.context["results"]) == 12
    assert len(second.context["results"]) == 2
    assert "14 stories found, page 1 of 2." in first.content.decode()
    assert 'rel="next" href="?q=ferry&amp;page=2"' in first.content.decode()
    assert 'rel="prev" href="?q=ferry&amp;page=1"' in second.content.decode()
    assert set(headlines(first)).isdisjoint(headlines(second))
    for bad in ["abc", "0", "3", "-1", "99999999999999999999", "02", "+2", "last", ""]:
        assert client.get(SEARCH, {"q": "ferry", "page": bad}).status_code == 404, bad
    # With nothing found there is one, empty, page.
    nothing = find(client, "nothing")
    assert nothing.context["paginator"].num_pages == 1
    assert "No published story has all of these words." in nothing.content.decode()
    assert client.get(SEARCH, {"q": "nothing", "page": 2}).status_code == 404


def test_the_results_page_costs_the_same_few_queries_however_many_results(
    client, make_article, image, author, django_assert_num_queries
):
    make_article("Ferry one", lead_image=image, authors=[author], tags=["a"])
    # SQLite: the ranked hits, the page's highlighted texts, their articles; PostgreSQL: whether
    # the words as typed match, the count, the page of hits with their articles. Then both:
    # their bylines, navigation sections.
    queries = 5
    with django_assert_num_queries(queries):
        find(client, "ferry")
    for number in range(15):
        make_article(f"Ferry {number}", lead_image=image, authors=[author], tags=[f"tag {number}"])
    with django_assert_num_queries(queries):
        find(client, "ferry")


def test_search_pages_ask_search_engines_not_to_index_them(client, section):
    assert find(client, "ferry")["X-Robots-Tag"] == "noindex"


def test_the_index_follows_every_save_and_delete(client, make_article):
    article = make_article("Ferry returns", body="<p>Crews are ready.</p>")

    article.headline = "Lighthouse reopens"
    article.body = "<p>Keepers are ready.</p>"
    article.save()
    assert headlines(find(client, "lighthouse")) == ["Lighthouse reopens"]
    assert headlines(find(client, "ferry")) == []
    assert headlines(find(client, "keepers")) == ["Lighthouse reopens"]

    Article.objects.filter(pk=article.pk).update(standfirst="A bulk edit about the quay.")
    assert headlines(find(client, "quay")) == ["Lighthouse reopens"]

    article.delete()
    assert headlines(find(client, "lighthouse")) == []
    assert_index_is_whole()


def assert_index_is_whole():
    """SQLite's own check that the index matches the article table."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {search.INDEX}({search.INDEX}, rank) VALUES ('integrity-check', 1)"
            )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps its index by triggers")
def test_a_migration_that_drops_the_index_triggers_gets_them_back(client, make_article):
    """Rebuilding the article table (as Django does on SQLite) drops its triggers; migrate
    puts them back and catches up with what changed meanwhile."""
    article = make_article("Ferry returns")
    with connection.cursor() as cursor:
        for name in search.SQLITE_TRIGGER_NAMES:
            cursor.execute(f"DROP TRIGGER {name}")
    Article.objects.filter(pk=article.pk).update(headline="Lighthouse reopens")
    make_article("Harbour news")

    call_command("migrate", verbosity=0)

    assert headlines(find(client, "lighthouse")) == ["Lighthouse reopens"]
    assert headlines(find(client, "harbour")) == ["Harbour news"]
    assert headlines(find(client, "ferry")) == []
    assert_index_is_whole()


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="only SQLite ranks a window of the most recently written"
)
def test_a_word_in_very_many_articles_ranks_the_newest_and_says_there_are_more(
    client, make_article, monkeypatch
):
    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    now = timezone.now()
    # Five matches, written as they were published; the oldest has the word in its headline,
    # the best match of all.
    make_article("Ferry in the headline", published_at=now - timedelta(days=9))
    for number in reversed(range(4)):
        make_article(f"Story {number}", body="<p>The ferry is late.</p>",
                     published_at=now - timedelta(hours=number + 1))
    make_article("Draft", status=Article.Status.DRAFT, body="<p>The ferry.</p>")

    response = find(client, "ferry")
    html = response.content.decode()

    assert headlines(response) == ["Story 0", "Story 1", "Story 2"]
    assert "More than 3 stories found" in html
    assert response.context["paginator"].count == 3


def test_a_whole_word_is_not_also_read_as_the_start_of_longer_ones(client, make_article):
    make_article("Council meets")
    make_article("Councillors object")

    assert headlines(find(client, "council")) == ["Council meets"]
    assert headlines(find(client, "councillor")) == ["Councillors object"]
    # A word no article has whole is read as the start of one.
    assert sorted(headlines(find(client, "counc"))) == ["Council meets", "Councillors object"]
