"""The RSS and Atom feeds, as a subscriber's feed reader sees them."""

import calendar
import html
import re
import time
from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date
from taggit.models import Tag

from articles import roles
from articles.models import Article, Author, Byline, Correction, Image, Licence
from articles.publishing import add_correction, unpublish

RSS = "rss20"
ATOM = "atom10"

# Every feed of the site: URL name, the slug of what it follows, and the format it speaks.
FEEDS = [
    pytest.param("articles:feed_rss", None, RSS, id="site-rss"),
    pytest.param("articles:feed_atom", None, ATOM, id="site-atom"),
    pytest.param("articles:section_feed_rss", "city", RSS, id="section-rss"),
    pytest.param("articles:section_feed_atom", "city", ATOM, id="section-atom"),
    pytest.param("articles:tag_feed_rss", "night-tram", RSS, id="tag-rss"),
    pytest.param("articles:tag_feed_atom", "night-tram", ATOM, id="tag-atom"),
    pytest.param("articles:author_feed_rss", "mira-okafor", RSS, id="author-rss"),
    pytest.param("articles:author_feed_atom", "mira-okafor", ATOM, id="author-atom"),
]

SITE_FEEDS = [
    pytest.param("articles:feed_rss", None, RSS, id="site-rss"),
    pytest.param("articles:feed_atom", None, ATOM, id="site-atom"),
]

FOLLOWED_FEEDS = [
    pytest.param("articles:section_feed_rss", id="section-rss"),
    pytest.param("articles:section_feed_atom", id="section-atom"),
    pytest.param("articles:tag_feed_rss", id="tag-rss"),
    pytest.param("articles:tag_feed_atom", id="tag-atom"),
    pytest.param("articles:author_feed_rss", id="author-rss"),
    pytest.param("articles:author_feed_atom", id="author-atom"),
]

CONTENT_TYPES = {RSS: "application/rss+xml", ATOM: "application/atom+xml"}


def topics(entry):
    """An entry's tags, without the type-of-work label that travels as a category too."""
    return [tag.term for tag in entry.tags if tag.get("scheme") != "urn:newsroom:label"]


def feed_url(name, slug=None):
    return reverse(name, args=[slug] if slug else [])


def read_feed(client, name, slug=None):
    """Fetch a feed and return what a feed reader makes of it, with the raw XML."""
    response = client.get(feed_url(name, slug))
    assert response.status_code == 200, response.content[:500]
    return feedparser.parse(response.content), response.content.decode()


def titles(parsed):
    return [entry.title for entry in parsed.entries]


@pytest.fixture
def second_author(db):
    return Author.objects.create(name="Tomas Lind", slug="tomas-lind")


@pytest.fixture
def article(make_article, author, second_author, image):
    """A published article with two authors, two tags, a lead image and links in the body."""
    return make_article(
        "Night trams return to the harbour line",
        slug="night-trams-return",
        standfirst="From Friday the number 4 tram runs all night.",
        body=(
            '<p>Ask the <a href="/city/">city desk</a> or read '
            '<a href="https://example.org/report">the report</a>.</p>'
            "<p>Services resume at midnight.</p>"
        ),
        lead_image=image,
        authors=[author, second_author],
        tags=["night tram", "transport"],
    )


@pytest.mark.parametrize(("name", "slug", "version"), FEEDS)
def test_every_feed_is_well_formed_in_its_format(client, article, name, slug, version):
    """Each feed parses without error as RSS 2.0 or Atom 1.0 and says so in its content type."""
    response = client.get(feed_url(name, slug))
    parsed = feedparser.parse(response.content)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(CONTENT_TYPES[version])
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == version
    assert titles(parsed) == ["Night trams return to the harbour line"]


@pytest.mark.parametrize(("name", "slug", "version"), FEEDS)
def test_an_entry_links_to_the_article_with_a_stable_id(client, article, name, slug, version):
    """Each entry links to the article's absolute address and is identified by its urn:uuid."""
    parsed, _ = read_feed(client, name, slug)
    entry = parsed.entries[0]

    assert entry.link.startswith("http://testserver/")
    assert entry.link.endswith(article.get_absolute_url())
    assert entry.link == "http://testserver/city/" + timezone.localtime(
        article.published_at
    ).strftime("%Y/%m/%d/night-trams-return/")
    assert entry.id == article.guid
    assert entry.id == f"urn:uuid:{article.uuid}"


def test_an_entry_keeps_its_id_when_the_article_moves(client, article):
    """Correcting a slug changes the link but not the id, so readers do not see it twice."""
    before, _ = read_feed(client, "articles:feed_atom")

    article.slug = "night-trams-return-to-harbour-line"
    article.save()
    after, _ = read_feed(client, "articles:feed_atom")

    assert after.entries[0].id == before.entries[0].id
    assert after.entries[0].link != before.entries[0].link
    assert after.entries[0].link.endswith("/night-trams-return-to-harbour-line/")


@pytest.mark.parametrize(("name", "slug", "version"), FEEDS)
def test_an_entry_carries_its_dates_authors_and_tags(client, article, name, slug, version):
    """Publication date, the byline in order and the tags as categories reach the reader."""
    parsed, _ = read_feed(client, name, slug)
    entry = parsed.entries[0]

    assert calendar.timegm(entry.published_parsed) == int(article.published_at.timestamp())
    # Nothing substantive has changed since publication.
    assert calendar.timegm(entry.updated_parsed) == int(article.published_at.timestamp())
    assert [author.name for author in entry.authors] == ["Mira Okafor", "Tomas Lind"]
    if version == ATOM:
        assert entry.authors[0].href.startswith("http://testserver/authors/")
    assert sorted(topics(entry)) == ["night tram", "transport"]


@pytest.mark.parametrize(("name", "slug", "version"), FEEDS)
def test_an_entry_summarises_with_the_standfirst_and_carries_the_full_body(
    client, article, name, slug, version
):
    """The summary is the standfirst; the content is the whole body with absolute links."""
    parsed, _ = read_feed(client, name, slug)
    entry = parsed.entries[0]
    content = entry.content[0].value

    assert entry.summary == "From Friday the number 4 tram runs all night."
    assert 'href="http://testserver/city/"' in content
    assert 'href="/city/"' not in content
    assert 'href="https://example.org/report"' in content
    assert "Services resume at midnight." in content


@pytest.mark.parametrize(("name", "slug", "version"), SITE_FEEDS)
def test_a_standfirst_with_angle_brackets_reads_exactly_as_typed(
    client, make_article, name, slug, version
):
    """A standfirst is plain text: "<5%" or "<Harbour>" is shown to the reader, not swallowed."""
    standfirst = 'Fares rise by <5% on the <Harbour> line & "more" <b>soon</b>'
    make_article("Fares rise", standfirst=standfirst)

    parsed, _ = read_feed(client, name, slug)

    assert html.unescape(parsed.entries[0].summary) == standfirst


@pytest.mark.parametrize(("name", "slug", "version"), SITE_FEEDS)
def test_without_a_standfirst_the_summary_is_the_opening_of_the_body(
    client, make_article, name, slug, version
):
    """No standfirst: the reader sees the body's first words as text, entities decoded once."""
    make_article("Cartoon returns", standfirst="", body="<p>Tom &amp; Jerry say 3 &lt; 4.</p>")

    parsed, _ = read_feed(client, name, slug)

    assert html.unescape(parsed.entries[0].summary) == "Tom & Jerry say 3 < 4."


@pytest.mark.parametrize(("name", "slug", "version"), FEEDS)
def test_an_entry_carries_the_lead_image_with_its_credit_and_licence(
    client, article, image, name, slug, version
):
    """The lead image travels as Media RSS with its size, credit, caption and licence."""
    parsed, xml = read_feed(client, name, slug)
    entry = parsed.entries[0]

    (media,) = entry.media_content
    assert media["url"] == "http://testserver" + image.file.url
    assert media["medium"] == "image"
    assert media["type"] == "image/jpeg"
    assert (media["width"], media["height"]) == ("160", "90")
    assert entry.media_credit[0]["content"] == "Ana Ruiz / Courier"
    assert 'xmlns:media="http://search.yahoo.com/mrss/"' in xml
    assert "The restored tram at the Eastgate depot.</media:description>" in xml
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/"' in xml
    assert ">CC BY-SA 4.0</media:license>" in xml


@pytest.mark.parametrize(("name", "slug", "version"), SITE_FEEDS)
def test_an_image_without_an_open_licence_has_no_licence_link(
    client, make_article, make_upload, name, slug, version
):
    """A handout image names its terms but does not pretend to a licence URL."""
    handout = Image.objects.create(
        file=make_upload("handout.jpg"),
        alt_text="Council officers at the depot",
        credit="Harbour City Council",
        licence=Licence.HANDOUT,
    )
    make_article("Depot opens", lead_image=handout)

    parsed, xml = read_feed(client, name, slug)

    assert parsed.bozo == 0
    assert parsed.entries[0].media_credit[0]["content"] == "Harbour City Council"
    assert ">Handout</media:license>" in xml
    assert "creativecommons.org" not in xml


@pytest.mark.parametrize(("name", "slug", "version"), SITE_FEEDS)
def test_an_entry_without_image_or_byline_is_still_valid(
    client, make_article, name, slug, version
):
    """A short item with no image, author or tags is a plain, valid entry."""
    make_article("Road closed", standfirst="Quay Street is shut.", body="")

    parsed, xml = read_feed(client, name, slug)

    assert parsed.bozo == 0
    assert titles(parsed) == ["Road closed"]
    assert "media:content" not in xml
    assert "author" not in parsed.entries[0]


@pytest.mark.parametrize(("name", "slug", "version"), FEEDS)
def test_drafts_and_scheduled_articles_are_absent_from_every_feed(
    client, make_article, author, name, slug, version
):
    """Only what readers may already see is syndicated."""
    common = {"authors": [author], "tags": ["night tram"]}
    make_article("Published story", **common)
    make_article("Draft story", status=Article.Status.DRAFT, **common)
    make_article("Draft without a time", status=Article.Status.DRAFT, published_at=None, **common)
    make_article("Scheduled story", published_at=timezone.now() + timedelta(hours=3), **common)

    parsed, xml = read_feed(client, name, slug)

    assert titles(parsed) == ["Published story"]
    assert "Draft" not in xml
    assert "Scheduled" not in xml


@pytest.mark.parametrize(("name", "slug", "version"), FEEDS)
def test_a_scheduled_article_appears_by_itself_once_its_time_has_passed(
    client, make_article, author, clock, name, slug, version
):
    """Nobody has to press anything: when the clock passes its time, the article is in the feed."""
    make_article("Earlier story", authors=[author], tags=["night tram"])
    make_article(
        "Scheduled story",
        published_at=clock.now + timedelta(minutes=30),
        authors=[author],
        tags=["night tram"],
    )
    assert titles(read_feed(client, name, slug)[0]) == ["Earlier story"]

    clock.advance(minutes=31)

    assert titles(read_feed(client, name, slug)[0]) == ["Scheduled story", "Earlier story"]


@pytest.mark.parametrize(("name", "slug", "version"), FEEDS)
def test_a_feed_holds_the_twenty_newest_articles_newest_first(
    client, make_article, author, name, slug, version
):
    """A feed never carries more than 20 items, and the newest comes first."""
    now = timezone.now()
    for hours_ago in range(25, 0, -1):
        make_article(
            f"Story from {hours_ago} hours ago",
            published_at=now - timedelta(hours=hours_ago),
            authors=[author],
            tags=["night tram"],
        )

    parsed, _ = read_feed(client, name, slug)

    assert titles(parsed) == [f"Story from {hours_ago} hours ago" for hours_ago in range(1, 21)]


def test_each_feed_follows_only_its_own_section_tag_or_author(
    client, make_article, other_section, author, second_author
):
    """A section, tag or author feed carries only that section's, tag's or author's articles."""
    make_article("City story", authors=[author], tags=["night tram"])
    make_article("Business story", section=other_section, authors=[second_author])

    assert titles(read_feed(client, "articles:section_feed_rss", "city")[0]) == ["City story"]
    assert titles(read_feed(client, "articles:section_feed_atom", "business")[0]) == [
        "Business story"
    ]
    assert titles(read_feed(client, "articles:tag_feed_rss", "night-tram")[0]) == ["City story"]
    assert titles(read_feed(client, "articles:author_feed_atom", "tomas-lind")[0]) == [
        "Business story"
    ]
    assert sorted(titles(read_feed(client, "articles:feed_rss")[0])) == [
        "Business story",
        "City story",
    ]


@pytest.mark.parametrize(
    ("name", "slug", "version"),
    [feed for feed in FEEDS if not feed.values[0].startswith("articles:tag_")],
)
def test_an_empty_feed_is_still_valid(client, section, author, name, slug, version):
    """The site, a section or an author with nothing published yet has a valid, empty feed."""
    parsed, _ = read_feed(client, name, slug)

    assert parsed.bozo == 0
    assert parsed.version == version
    assert parsed.entries == []


HOSTILE_HEADLINE = 'Fares & "fees" <script>alert(1)</script> ]]> it\'s 🚋 — שלום עולם \x0bend'
HOSTILE_BODY = (
    "<p>Tom &amp; Jerry said &quot;no&quot; ]]&gt; 🚋 مرحبا</p>"
    "<script>alert('stolen')</script>"
    '<p onclick="steal()">Click <a href="javascript:alert(2)">here</a></p>'
)


@pytest.mark.parametrize(("name", "slug", "version"), FEEDS)
def test_hostile_headlines_and_bodies_still_give_a_clean_feed(
    client, make_article, author, name, slug, version
):
    """Ampersands, markup, CDATA ends, quotes, emoji, right-to-left text and control characters
    in what editors type never break a feed or smuggle a script to subscribers."""
    make_article(
        HOSTILE_HEADLINE,
        standfirst='Quotes "here" & <b>there</b> \x0c',
        body=HOSTILE_BODY,
        authors=[author],
        tags=["night tram"],
    )

    parsed, xml = read_feed(client, name, slug)
    entry = parsed.entries[0]
    content = entry.content[0].value

    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert "\x0b" not in xml
    assert "\x0c" not in xml
    assert entry.title == HOSTILE_HEADLINE.replace("\x0b", "")
    assert html.unescape(entry.summary).strip() == 'Quotes "here" & <b>there</b>'
    assert "<script" not in xml
    assert "<script" not in content
    assert "alert" not in content
    assert "onclick" not in content
    assert "javascript:" not in content
    assert 'Tom &amp; Jerry said "no" ]]&gt; 🚋 مرحبا' in content


@pytest.mark.parametrize(("name", "slug", "version"), SITE_FEEDS)
def test_an_unsanitised_body_already_in_the_database_is_cleaned_for_subscribers(
    client, make_article, name, slug, version
):
    """Even a body that bypassed saving (an old or bulk-updated row) reaches readers script-free."""
    article = make_article("Old story")
    Article.objects.filter(pk=article.pk).update(
        headline="Old\x0b story",
        body=(
            '<p onclick="steal()">Kept</p><script>alert(1)</script>'
            '<a href="javascript:alert(2)">x</a><p>Tab\x0bhere</p>'
        ),
    )

    parsed, xml = read_feed(client, name, slug)
    content = parsed.entries[0].content[0].value

    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.entries[0].title == "Old story"
    assert "Kept" in content
    assert "Tabhere" in content
    assert "<script" not in xml
    assert "onclick" not in content
    assert "javascript:" not in content


@pytest.mark.parametrize(("name", "slug", "version"), FEEDS)
def test_names_with_control_characters_never_break_a_feed(
    client, make_article, make_upload, name, slug, version
):
    """A stray control character in a tag, section, author, credit or caption is dropped."""
    tag = Tag.objects.create(name="night\x0btram", slug="night-tram")
    person = Author.objects.create(name="Mira\x0b Okafor", slug="mira-okafor")
    image = Image.objects.create(
        file=make_upload("quay.jpg"),
        alt_text="The quay\x0b at night",
        caption="Quay\x0b Street at night",
        credit="Ana\x0b Ruiz",
        licence=Licence.CC_BY,
    )
    article = make_article("Quay Street closes", lead_image=image)
    section = article.section
    section.name = "City\x0b news"
    section.description = "News\x0c from the city."
    section.save()
    Byline.objects.create(article=article, author=person)
    article.tags.add(tag)

    parsed, xml = read_feed(client, name, slug)
    entry = parsed.entries[0]

    assert parsed.bozo == 0, parsed.get("bozo_exception")
    for character in "\x0b\x0c":
        assert character not in xml
    assert topics(entry) == ["night tram"]
    assert entry.author == "Mira Okafor"
    assert entry.media_credit[0]["content"] == "Ana Ruiz"
    # A pasted line break in a caption stays a line break.
    assert "Quay\nStreet at night</media:description>" in xml


@pytest.mark.parametrize("name", FOLLOWED_FEEDS)
def test_a_feed_for_something_that_does_not_exist_is_not_found(client, article, name):
    """An unknown section, tag or author has no feed."""
    response = client.get(feed_url(name, "no-such-thing"))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["articles:tag_feed_rss", "articles:tag_feed_atom"])
def test_a_tag_only_drafts_carry_has_no_feed(client, make_article, name):
    """A tag on unpublished articles only is not revealed by its feed."""
    make_article("Published story", tags=["transport"])
    make_article("Secret merger", status=Article.Status.DRAFT, tags=["merger talks"])
    make_article(
        "Embargoed story",
        published_at=timezone.now() + timedelta(days=1),
        tags=["embargoed"],
    )

    assert client.get(feed_url(name, "merger-talks")).status_code == 404
    assert client.get(feed_url(name, "embargoed")).status_code == 404
    assert client.get(feed_url(name, "transport")).status_code == 200


def make_busy_articles(make_article, numbers, image):
    """Published articles, each with an image, three authors, four tags and two corrections."""
    for number in numbers:
        authors = [
            Author.objects.create(
                name=f"Reporter {number}-{index}", slug=f"reporter-{number}-{index}"
            )
            for index in range(3)
        ]
        article = make_article(
            f"Busy story {number}",
            lead_image=image,
            authors=authors,
            tags=[f"topic {number}", "transport", "night tram", f"district {number}"],
        )
        add_correction(article, "The depot is on Quay Street.")
        add_correction(article, "The fare is two dollars.", Correction.Kind.CLARIFICATION)


@pytest.mark.parametrize(
    ("name", "slug", "queries"),
    [
        # articles, bylines, tags, corrections
        pytest.param("articles:feed_rss", None, 4, id="site-rss"),
        pytest.param("articles:feed_atom", None, 4, id="site-atom"),
    ],
)
def test_a_feed_costs_the_same_number_of_queries_however_many_items(
    client, make_article, image, django_assert_num_queries, name, slug, queries
):
    """Three articles or twelve, with many authors, tags and corrections each: the feed's query
    count is fixed."""
    make_busy_articles(make_article, range(3), image)
    with django_assert_num_queries(queries):
        small, _ = read_feed(client, name, slug)

    make_busy_articles(make_article, range(3, 12), image)
    with django_assert_num_queries(queries):
        large, _ = read_feed(client, name, slug)

    assert len(small.entries) == 3
    assert len(large.entries) == 12
    assert len(topics(large.entries[0])) == 4


# Conditional requests: a feed reader polling a feed that has not changed gets 304 Not Modified.


@pytest.fixture(params=[True, False], ids=["page-cache", "no-page-cache"])
def page_cache(request, settings):
    """Feeds answer conditional requests alike whether the page cache is on or off."""
    settings.NEWSROOM_PAGE_CACHE = request.param
    return request.param


def get_again(client, url, response):
    """Ask for the feed again, as a feed reader does, with the validators it was given."""
    return client.get(
        url,
        HTTP_IF_NONE_MATCH=response["ETag"],
        HTTP_IF_MODIFIED_SINCE=response["Last-Modified"],
    )


@pytest.mark.parametrize(("name", "slug", "version"), FEEDS)
def test_every_feed_gives_a_strong_etag_last_modified_and_a_short_cache_time(
    client, article, name, slug, version
):
    response = client.get(feed_url(name, slug))

    assert response.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])  # strong: no W/
    # No earlier than the newest article, as the feed's content may have changed since.
    last_modified = parse_http_date(response["Last-Modified"])
    assert article.published_at.timestamp() - 1 < last_modified <= time.time()
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]


@pytest.mark.parametrize(("name", "slug", "version"), FEEDS)
def test_an_unchanged_feed_answers_304_not_modified(
    client, article, page_cache, name, slug, version
):
    url = feed_url(name, slug)
    first = client.get(url)

    again = get_again(client, url, first)

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "max-age=300" in again["Cache-Control"]
    # The ETag alone is enough, and so is the date alone.
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_section_feed_changes_with_its_own_articles_only(
    client, make_article, section, other_section
):
    """A reader polling a quiet section gets 304 while another section gets a new article."""
    make_article("City story")
    make_article("Business story", section=other_section)
    city = feed_url("articles:section_feed_rss", "city")
    business = feed_url("articles:section_feed_atom", "business")
    first_city, first_business = client.get(city), client.get(business)

    make_article("New business story", section=other_section)

    assert get_again(client, business, first_business).status_code == 200
    assert get_again(client, city, first_city).status_code == 304
    # The whole site's feed has the new article too.
    site = feed_url("articles:feed_rss")
    first_site = client.get(site)
    make_article("Another city story")
    assert get_again(client, site, first_site).status_code == 200


def test_a_feed_changes_when_an_item_is_edited_corrected_or_leaves(client, make_article):
    article = make_article("City story")
    older = make_article("Older story")
    url = feed_url("articles:feed_rss")

    def changed():
        nonlocal response
        again = get_again(client, url, response)
        response = client.get(url)
        return again.status_code == 200

    response = client.get(url)
    article.headline = "City story, corrected"
    article.save()
    assert changed()
    add_correction(article, "The depot is on Quay Street.")
    assert changed()
    unpublish(article)
    assert changed()
    assert not changed()
    assert older.headline in response.content.decode()


def test_a_scheduled_article_changes_the_feed_when_its_time_comes(client, make_article, clock):
    make_article("Earlier story")
    make_article("Scheduled story", published_at=clock.now + timedelta(minutes=30))
    url = feed_url("articles:feed_atom")
    first = client.get(url)
    assert get_again(client, url, first).status_code == 304

    clock.advance(minutes=31)

    again = get_again(client, url, first)
    assert again.status_code == 200
    assert "Scheduled story" in again.content.decode()


def test_a_renamed_section_changes_its_feed(client, make_article, section):
    make_article("City story")
    url = feed_url("articles:section_feed_rss", "city")
    first = client.get(url)

    section.name = "City and Harbour"
    section.save()

    assert get_again(client, url, first).status_code == 200


def test_a_feed_readers_304_comes_from_the_page_cache_without_a_query(
    client, make_article, django_assert_num_queries
):
    for number in range(5):
        make_article(f"Story {number}", tags=["night tram"])
    url = feed_url("articles:tag_feed_rss", "night-tram")
    first = client.get(url)

    with django_assert_num_queries(0):
        assert get_again(client, url, first).status_code == 304


def test_without_the_page_cache_a_304_costs_what_the_feed_costs(
    client, make_article, django_assert_num_queries, settings
):
    """The feed is rendered to learn its ETag: only the bytes are saved, not the work."""
    settings.NEWSROOM_PAGE_CACHE = False
    for number in range(5):
        make_article(f"Story {number}", tags=["night tram"])
    url = feed_url("articles:tag_feed_rss", "night-tram")
    first = client.get(url)

    # the tag, whether it has a published article, articles, bylines, tags, corrections
    with django_assert_num_queries(6):
        assert get_again(client, url, first).status_code == 304


def test_after_a_change_elsewhere_a_feed_is_rendered_once_for_all_its_readers(
    client, make_article, other_section, django_assert_num_queries
):
    """The first reader to poll after any change has the feed rendered and stored, though the
    answer is 304; the next one's 304 comes from the cache."""
    make_article("City story")
    url = feed_url("articles:section_feed_rss", "city")
    first = client.get(url)
    make_article("Business story", section=other_section)

    assert get_again(client, url, first).status_code == 304
    with django_assert_num_queries(0):
        assert get_again(client, url, first).status_code == 304


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        pytest.param("articles:feed_rss", None, id="site-rss"),
        pytest.param("articles:section_feed_atom", "city", id="section-atom"),
        pytest.param("articles:author_feed_rss", "mira-okafor", id="author-rss"),
    ],
)
def test_an_empty_feed_still_answers_304(client, section, author, page_cache, name, slug):
    url = feed_url(name, slug)
    first = client.get(url)

    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


# Edits that save no article still change what a feed shows, and so its ETag.


def change(thing, **fields):
    for field, value in fields.items():
        setattr(thing, field, value)
    thing.save()


EDITS_THAT_SAVE_NO_ARTICLE = [
    pytest.param(
        lambda article: change(article.lead_image, credit="Lena Berg / Courier"),
        "Lena Berg / Courier",
        id="image-credit",
    ),
    pytest.param(
        lambda article: change(article.lead_image, caption="The tram at dawn, before service."),
        "The tram at dawn, before service.",
        id="image-caption",
    ),
    pytest.param(
        lambda article: change(article.lead_image, licence=Licence.USED_WITH_PERMISSION),
        ">Used with permission</media:license>",
        id="image-licence",
    ),
    pytest.param(
        lambda article: change(Author.objects.get(slug="mira-okafor"), name="Mira Okafor-Lind"),
        "Mira Okafor-Lind",
        id="author-name",
    ),
    pytest.param(
        lambda article: change(Tag.objects.get(slug="transport"), name="public transport"),
        "public transport",
        id="tag-name",
    ),
]


@pytest.mark.parametrize(("name", "slug", "version"), SITE_FEEDS)
@pytest.mark.parametrize(("edit", "shown"), EDITS_THAT_SAVE_NO_ARTICLE)
def test_an_edit_that_saves_no_article_reaches_subscribers(
    client, article, clock, page_cache, name, slug, version, edit, shown
):
    """A subscriber polling with the validators it was given gets the new credit, name or
    licence: the ETag is new, and so is Last-Modified for a reader that sends only that."""
    url = feed_url(name, slug)
    first = client.get(url)
    assert shown not in first.content.decode()
    clock.advance(minutes=5)

    edit(article)

    again = get_again(client, url, first)
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert shown in again.content.decode()
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200
    # And the feed as it is now is unchanged from there on.
    assert get_again(client, url, again).status_code == 304


def test_a_section_feed_follows_the_sections_description(client, make_article, section):
    make_article("City story")
    url = feed_url("articles:section_feed_atom", "city")
    first = client.get(url)

    change(section, description="Streets, courts and council.")

    again = get_again(client, url, first)
    assert again.status_code == 200
    assert "Streets, courts and council." in again.content.decode()


def test_a_signed_in_subscriber_gets_304_and_changes_alike(client, article, make_staff):
    """Signed-in users bypass the page cache: the feed answers their conditional requests."""
    editor = type(client)()
    editor.force_login(make_staff("edith", roles.EDITOR))
    url = feed_url("articles:feed_atom")
    first = editor.get(url)
    assert "X-Cache" not in first

    assert editor.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    change(article.lead_image, credit="Lena Berg / Courier")
    again = editor.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Lena Berg / Courier" in again.content.decode()
