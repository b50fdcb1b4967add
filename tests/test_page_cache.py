"""The page cache: readers get cached pages, and never a stale or a private one."""

import gzip
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.http import HttpResponse, QueryDict
from django.test import RequestFactory
from django.urls import resolve, reverse

from articles import roles
from articles.caching import content_version
from articles.models import Article, ShareLink
from articles.publishing import add_correction, publish, unpublish
from newsroom.page_cache import PageCacheMiddleware, parameters_read


def fetch(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response


def text(client, url):
    return fetch(client, url).content.decode()


def cached_twice(client, url, **headers):
    """Read a page twice; the second answer must come from the cache."""
    first = fetch(client, url, **headers)
    second = fetch(client, url, **headers)
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    return second


READER_PAGES = [
    ("home", lambda article: reverse("articles:home")),
    ("article", lambda article: article.get_absolute_url()),
    ("section", lambda article: article.section.get_absolute_url()),
    ("tag", lambda article: reverse("articles:tag", args=["night-tram"])),
    ("author", lambda article: article.bylines.get().author.get_absolute_url()),
    ("rss", lambda article: reverse("articles:feed_rss")),
    ("atom", lambda article: reverse("articles:feed_atom")),
    ("sitemap", lambda article: reverse("articles:sitemap", args=["articles"])),
    ("news sitemap", lambda article: reverse("articles:news_sitemap")),
    ("search", lambda article: reverse("articles:search")),
]


@pytest.fixture
def article(make_article, author):
    return make_article("Night tram returns", authors=[author], tags=["night tram"])


@pytest.mark.parametrize(("name", "address"), READER_PAGES)
def test_a_readers_page_comes_from_the_cache_without_touching_the_database(
    client, article, django_assert_num_queries, name, address
):
    url = address(article)
    first = fetch(client, url)
    with django_assert_num_queries(0):
        again = fetch(client, url)
    assert again["X-Cache"] == "hit"
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_publishing_shows_the_article_on_the_next_request(client, article, make_article):
    cached_twice(client, "/")
    cached_twice(client, article.section.get_absolute_url())
    draft = make_article("Ferry timetable changes", status=Article.Status.DRAFT)

    publish(draft)

    assert "Ferry timetable changes" in text(client, "/")
    assert "Ferry timetable changes" in text(client, draft.section.get_absolute_url())
    assert fetch(client, draft.get_absolute_url())["X-Cache"] == "miss"


def test_an_edit_to_a_published_article_shows_on_the_next_request(client, article):
    cached_twice(client, article.get_absolute_url())
    cached_twice(client, reverse("articles:feed_rss"))

    article.headline = "Night tram returns on Friday"
    article.save()

    assert "Night tram returns on Friday" in text(client, article.get_absolute_url())
    assert "Night tram returns on Friday" in text(client, reverse("articles:feed_rss"))


def test_a_correction_shows_on_the_next_request(client, article):
    cached_twice(client, article.get_absolute_url())

    add_correction(article, "The first tram leaves at 23:40, not 23:30.")

    assert "23:40, not 23:30" in text(client, article.get_absolute_url())


def test_an_unpublished_article_is_gone_on_the_next_request(client, article):
    cached_twice(client, article.get_absolute_url())
    cached_twice(client, "/")

    unpublish(article)

    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Night tram returns" not in text(client, "/")


def test_a_scheduled_article_appears_when_its_time_comes(client, article, make_article, clock):
    make_article("Budget day", published_at=clock.now + timedelta(minutes=30))
    assert "Budget day" not in cached_twice(client, "/").content.decode()

    clock.advance(minutes=31)

    assert "Budget day" in text(client, "/")


def test_a_changed_image_credit_shows_on_the_next_request(client, make_article, image):
    article = make_article("Depot reopens", lead_image=image)
    cached_twice(client, article.get_absolute_url())

    image.credit = "Ana Ruiz / Harbour Courier"
    image.save()

    assert "Ana Ruiz / Harbour Courier" in text(client, article.get_absolute_url())


def test_a_renamed_section_shows_on_the_next_request(client, article):
    cached_twice(client, "/")
    article.section.name = "City and Harbour"
    article.section.save()

    assert "City and Harbour" in text(client, "/")


def test_an_editors_preview_of_a_draft_never_reaches_a_reader(client, make_article, make_staff):
    draft = make_article("Embargoed: mayor resigns", status=Article.Status.DRAFT)
    editor_client = type(client)()
    editor_client.force_login(make_staff("edith", roles.EDITOR))

    preview = editor_client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "Embargoed: mayor resigns" in preview.content.decode()
    assert "X-Cache" not in preview
    assert "private" in preview["Cache-Control"] or "no-store" in preview["Cache-Control"]

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Embargoed" not in text(client, "/")


def test_a_signed_in_users_pages_are_neither_stored_nor_served_from_the_cache(
    client, article, make_staff
):
    editor_client = type(client)()
    editor_client.force_login(make_staff("edith", roles.EDITOR))
    cached_twice(client, article.get_absolute_url())

    for _ in range(2):
        response = editor_client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert "X-Cache" not in response
        assert "private" in response["Cache-Control"]
    # What the editor saw was not stored for readers either.
    caches["pages"].clear()
    editor_client.get("/")
    assert fetch(client, "/")["X-Cache"] == "miss"


def test_share_links_and_the_admin_are_never_cached(client, make_article, make_staff):
    draft = make_article("Council budget leak", status=Article.Status.DRAFT)
    link = ShareLink.objects.create(article=draft, created_by=make_staff("edith", roles.EDITOR))

    for _ in range(2):
        preview = client.get(link.get_absolute_url())
        assert preview.status_code == 200
        assert "X-Cache" not in preview
    for _ in range(2):
        login_page = client.get(reverse("admin:login"))
        assert login_page.status_code == 200
        assert "X-Cache" not in login_page


def test_missing_pages_are_not_cached(client, article):
    for _ in range(2):
        response = client.get("/no-such-section/")
        assert response.status_code == 404
        assert "X-Cache" not in response


def test_a_response_that_sets_a_cookie_is_not_stored(db):
    def view(request):
        response = HttpResponse("<p>Hello</p>")
        response.set_cookie("seen", "1")
        return response

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        response = middleware(RequestFactory().get("/hello/"))
        assert "X-Cache" not in response
        assert response.cookies["seen"].value == "1"


def test_pages_answer_conditional_requests_from_the_cache(
    client, article, django_assert_num_queries
):
    url = article.get_absolute_url()
    first = fetch(client, url)
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=60"

    with django_assert_num_queries(0):
        not_modified = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304

    add_correction(article, "A correction.")
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_compressed_and_plain_copies_are_kept_apart(client, article):
    url = article.get_absolute_url()
    plain = cached_twice(client, url)
    packed = cached_twice(client, url, **{"Accept-Encoding": "gzip, br"})

    assert packed["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert gzip.decompress(packed.content).decode().count("Night tram returns") == (
        plain.content.decode().count("Night tram returns")
    )
    assert "Accept-Encoding" in packed["Vary"]


def test_head_requests_are_answered_from_the_cache_without_a_body(client, article):
    url = article.get_absolute_url()
    full = fetch(client, url)
    head = client.head(url)
    assert head.status_code == 200
    assert head["X-Cache"] == "hit"
    assert head.content == b""
    assert int(head["Content-Length"]) == len(full.content)


def test_pages_are_served_when_the_cache_fails(client, article, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache server gone")

    monkeypatch.setattr(caches["default"], "get", broken)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Night tram returns" in response.content.decode()


def test_a_cached_page_lives_no_longer_than_its_page_says(client, make_article, clock):
    fresh = make_article("Fresh story", published_at=clock.now - timedelta(hours=47))
    url = reverse("articles:news_sitemap")
    assert fresh.get_absolute_url() in cached_twice(client, url).content.decode()

    clock.advance(hours=2)

    assert fresh.get_absolute_url() not in text(client, url)


def test_the_content_version_changes_with_every_save(article):
    before = content_version()
    article.standfirst = "A new standfirst."
    article.save()
    assert content_version()[0] != before[0]


def test_the_page_cache_can_be_turned_off(client, article, settings):
    settings.NEWSROOM_PAGE_CACHE = False
    for _ in range(2):
        response = fetch(client, article.get_absolute_url())
        assert "X-Cache" not in response
        assert response["ETag"]


def test_a_page_made_for_a_signed_in_user_is_not_stored_however_they_signed_in(db, make_staff):
    editor = make_staff("edith", roles.EDITOR)

    def view(request):
        request.user = editor  # signed in without a session cookie, e.g. by a proxy's header
        return HttpResponse("<p>Drafts waiting for Edith</p>")

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        assert "X-Cache" not in middleware(RequestFactory().get("/desk/"))


# Query strings: only the parameters a page reads tell its addresses apart.


@pytest.fixture
def small_page_cache(settings):
    """A page cache of 50 entries, where 50 made-up addresses would be enough to push a page out."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-small-pages",
            "OPTIONS": {"MAX_ENTRIES": 50},
        },
    }
    caches["pages"].clear()


def test_made_up_query_strings_cannot_push_pages_out_of_the_cache(
    client, article, small_page_cache
):
    article_url = article.get_absolute_url()
    feed = reverse("articles:feed_rss")
    pages = [cached_twice(client, url) for url in ["/", article_url, feed]]

    # Parameters no view reads, and parameters some view reads but not these pages.
    for number in range(500):
        for url in [f"{feed}?x={number}", f"{article_url}?before={number}&page={number}",
                    f"{feed}?q=tram{number}&p={number}"]:
            assert fetch(client, url)["X-Cache"] == "hit", url

    for url, page in zip(["/", article_url, feed], pages, strict=True):
        again = fetch(client, url)
        assert again["X-Cache"] == "hit", url
        assert again.content == page.content


def test_made_up_spellings_of_the_host_cannot_push_pages_out_of_the_cache(
    client, article, small_page_cache
):
    """Django answers a host name in any case, with a trailing dot and on any port, and each
    page says its host in its links: such a page is served, but not stored."""
    article_url = article.get_absolute_url()
    pages = [cached_twice(client, url) for url in ["/", article_url]]

    # More made-up spellings than the cache has room for, were each page of theirs stored.
    for number in range(60):
        for host in [f"testserver:{8000 + number}", f"TestServer{'.' * (number % 2)}"]:
            response = fetch(client, article_url, Host=host)
            assert "X-Cache" not in response, host
            assert f"http://{host}{article_url}" in response.content.decode()

    for url, page in zip(["/", article_url], pages, strict=True):
        again = fetch(client, url)
        assert again["X-Cache"] == "hit", url
        assert again.content == page.content


def test_a_host_only_a_wildcard_allows_is_served_but_not_stored(client, article, settings):
    settings.ALLOWED_HOSTS = ["news.example.org", ".example.org"]
    url = article.get_absolute_url()

    cached_twice(client, url, Host="news.example.org")
    for _ in range(2):
        assert "X-Cache" not in fetch(client, url, Host="made-up-1.example.org")
    assert client.get(url, headers={"Host": "news.example.net"}).status_code == 400


def test_a_shared_link_with_tracking_parameters_is_the_pages_own_entry(
    client, article, django_assert_num_queries
):
    url = article.get_absolute_url()
    page = cached_twice(client, url)

    with django_assert_num_queries(0):
        shared = fetch(client, f"{url}?utm_source=social&utm_medium=post&fbclid=abc123")
    assert shared["X-Cache"] == "hit"
    assert shared.content == page.content


def test_a_page_first_asked_for_with_a_made_up_query_is_stored_as_the_page_itself(
    client, article
):
    """Whatever the first reader's address carried, the next reader gets the page as it is."""
    url = article.get_absolute_url()
    first = fetch(client, f"{url}?page=7&before=3&utm_source=x")
    assert first["X-Cache"] == "miss"

    page = fetch(client, url)

    assert page["X-Cache"] == "hit"
    assert f'<link rel="canonical" href="http://testserver{url}">' in page.content.decode()


def test_each_page_of_a_listing_has_an_entry_of_its_own(client, make_article):
    articles = [make_article(f"Story {number:02d}") for number in range(14)]
    older = f"/?before={articles[11].pk}"
    first = cached_twice(client, "/").content.decode()
    second = cached_twice(client, older).content.decode()

    assert "Story 13" in second and "Story 13" not in first
    assert "Story 00" in first and "Story 00" not in second
    # The same page, however its address is written.
    for url in [f"{older}&utm_source=x", f"/?utm_source=x&before={articles[11].pk}",
                f"{older}&before={articles[11].pk}", f"/?before=abc&before={articles[11].pk}",
                f"/?%62efore={articles[11].pk}"]:
        again = fetch(client, url)
        assert again["X-Cache"] == "hit", url
        assert again.content.decode() == second


def test_a_page_number_written_another_way_is_a_404_and_never_stored(client, make_article):
    for number in range(14):
        make_article(f"Story {number:02d}")
    for url in ["/?page=02", "/?page=0002", "/?page=%2B2", "/?page=2&page=02",
                reverse("articles:corrections") + "?page=01",
                reverse("articles:sitemap", args=["articles"]) + "?p=01"]:
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 404, url
            assert "X-Cache" not in response


def test_search_results_are_never_stored(client, article):
    """Every query would be an entry of its own; the search page itself is cached."""
    url = reverse("articles:search")
    for _ in range(2):
        results = fetch(client, f"{url}?q=tram")
        assert article.get_absolute_url() in results.content.decode()
        assert "X-Cache" not in results
        assert "private" in results["Cache-Control"]
    cached_twice(client, url)


def test_a_hostile_query_string_is_never_a_server_error(client, article):
    too_many = "&".join(f"page{number}=1&page=1" for number in range(1000))
    for query in [too_many, "page=%00", "before=%FF%FE", "%ZZ=1&page", "q=%00&p=-1", "page=1e3",
                  "before=" + "9" * 400, "=&&=x", "p=%2B1&%70=1"]:
        for url in ["/", article.get_absolute_url(), reverse("articles:feed_rss"),
                    reverse("articles:search"), reverse("articles:sitemap", args=["articles"])]:
            for _ in range(2):
                response = client.get(f"{url}?{query}")
                assert response.status_code in (200, 400, 404), (url, query[:40])


# Each view names the query parameters it reads: the cache tells its pages apart by those alone.


class ReadRecorder:
    """Which query parameters a request's handling asked for, by name."""

    def __init__(self, monkeypatch):
        self.names = set()
        self.building = 0  # a QueryDict asks itself for its keys while it is being made
        recorder = self
        original_init = QueryDict.__init__

        def building(self, *args, **kwargs):
            recorder.building += 1
            try:
                original_init(self, *args, **kwargs)
            finally:
                recorder.building -= 1

        monkeypatch.setattr(QueryDict, "__init__", building)
        for method in ("__getitem__", "get", "getlist", "__contains__"):
            original = getattr(QueryDict, method)

            def recording(self, key, *args, _original=original, **kwargs):
                if not recorder.building:
                    recorder.names.add(key)
                return _original(self, key, *args, **kwargs)

            monkeypatch.setattr(QueryDict, method, recording)
        for method in ("items", "lists", "keys", "values", "dict", "urlencode"):
            original = getattr(QueryDict, method)

            def reading_all(self, *args, _original=original, **kwargs):
                recorder.names.add("*")
                return _original(self, *args, **kwargs)

            monkeypatch.setattr(QueryDict, method, reading_all)


def test_no_readers_page_reads_a_query_parameter_its_view_does_not_name(
    client, settings, monkeypatch, article
):
    """A view reading a parameter it does not name would be served, from the cache, the page
    made without it."""
    settings.NEWSROOM_PAGE_CACHE = False
    tag = article.tags.first()
    author = article.bylines.first().author
    pages = [
        "/", article.section.get_absolute_url(), article.get_absolute_url(),
        reverse("articles:tag", args=[tag.slug]), author.get_absolute_url(),
        reverse("articles:tag_list"), reverse("articles:corrections"),
        reverse("articles:search") + "?q=harbour", reverse("articles:feed_rss"),
        reverse("articles:feed_atom"), reverse("articles:sitemap_index"),
        reverse("articles:news_sitemap"), reverse("articles:robots_txt"),
    ]
    for page in pages:
        recorder = ReadRecorder(monkeypatch)
        response = client.get(page, {"utm_source": "newsletter"} if "?" not in page else None)
        monkeypatch.undo()
        assert response.status_code == 200, page
        named = set(parameters_read(resolve(page.partition("?")[0]).func))
        assert recorder.names <= named, f"{page} reads {recorder.names - named}"
