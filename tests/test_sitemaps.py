"""Sitemaps and robots.txt, as a search engine's crawler reads them."""

import re
import xml.etree.ElementTree as ElementTree
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import sitemaps
from articles.images.renditions import best_file, make_renditions
from articles.models import Article, Author, Image, Licence, Section

pytestmark = pytest.mark.django_db

NAMESPACES = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
# A W3C datetime to the second or finer, with its zone.
W3C_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")


def read_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def entries(root):
    """{location: <url> element} of a sitemap."""
    return {url.findtext("sm:loc", namespaces=NAMESPACES): url for url in root.iterfind(
        "sm:url", NAMESPACES
    )}


def when(element, path):
    """The W3C datetime at `path` under `element`, checked for its form, as a datetime."""
    text = element.findtext(path, namespaces=NAMESPACES)
    assert W3C_DATETIME.match(text), text
    return datetime.fromisoformat(text)


def absolute(path):
    return f"http://testserver{path}"


def sitemap_url(name):
    return reverse("articles:sitemap", kwargs={"section": name})


def test_the_sitemap_index_lists_every_child_sitemap(client, make_article):
    make_article()
    root = read_xml(client, "/sitemap.xml")

    locations = [loc.text for loc in root.iterfind("sm:sitemap/sm:loc", NAMESPACES)]
    assert locations == [
        absolute("/sitemap-articles.xml"),
        absolute("/sitemap-news.xml"),
        absolute("/sitemap-sections.xml"),
        absolute("/sitemap-tags.xml"),
        absolute("/sitemap-authors.xml"),
    ]
    for location in locations:
        assert client.get(location).status_code == 200, location


def test_the_article_sitemap_lists_only_published_articles(client, make_article):
    published = make_article("Published story")
    make_article("Draft story", status=Article.Status.DRAFT)
    make_article("Undated draft", status=Article.Status.DRAFT, published_at=None)
    make_article("Taken down", status=Article.Status.UNPUBLISHED)
    make_article("Scheduled story", published_at=timezone.now() + timedelta(hours=3))

    root = read_xml(client, sitemap_url("articles"))

    assert list(entries(root)) == [absolute(published.get_absolute_url())]


def test_an_article_entry_has_its_last_substantive_update_and_its_lead_image(
    client, make_article, image
):
    published_at = timezone.now() - timedelta(days=2)
    plain = make_article("No update", published_at=published_at, lead_image=image)
    corrected = make_article(
        "Corrected story", published_at=published_at, updated_at=published_at + timedelta(hours=5)
    )
    # A save within a minute of publication is not an update readers are told about.
    typo_fixed = make_article(
        "Typo fixed", published_at=published_at, updated_at=published_at + timedelta(seconds=30)
    )

    urls = entries(read_xml(client, sitemap_url("articles")))

    def lastmod(article):
        return when(urls[absolute(article.get_absolute_url())], "sm:lastmod")

    assert lastmod(plain) == published_at
    assert lastmod(corrected) == published_at + timedelta(hours=5)
    assert lastmod(typo_fixed) == published_at
    locations = urls[absolute(plain.get_absolute_url())].findall(
        "image:image/image:loc", NAMESPACES
    )
    assert [location.text for location in locations] == [absolute(image.file.url)]
    assert urls[absolute(corrected.get_absolute_url())].findall("image:image", NAMESPACES) == []


def test_the_image_entry_is_the_largest_rendition_once_there_are_renditions(
    client, make_article, make_upload
):
    image = Image.objects.create(
        file=make_upload("quay.jpg", size=(2000, 1000)),
        alt_text="The quay at dawn",
        credit="Ana Ruiz / Courier",
        licence=Licence.CC_BY,
    )
    make_renditions(image)
    article = make_article("Quay reopens", lead_image=image)

    urls = entries(read_xml(client, sitemap_url("articles")))

    (location,) = urls[absolute(article.get_absolute_url())].findall(
        "image:image/image:loc", NAMESPACES
    )
    largest = best_file(image)
    assert largest.width == 1600
    assert largest.url != image.file.url
    assert location.text == absolute(largest.url)


def test_the_index_gives_the_articles_newest_update(client, make_article):
    long_ago = timezone.now() - timedelta(days=30)
    make_article(
        "Old but corrected", published_at=long_ago, updated_at=long_ago + timedelta(days=29)
    )
    make_article("Recent", published_at=long_ago + timedelta(days=10))

    root = read_xml(client, "/sitemap.xml")

    articles = root.find("sm:sitemap", NAMESPACES)
    assert articles.findtext("sm:loc", namespaces=NAMESPACES) == absolute("/sitemap-articles.xml")
    assert when(articles, "sm:lastmod") == long_ago + timedelta(days=29)


def test_sections_tags_and_authors_with_published_articles_are_listed(
    client, make_article, section, other_section, author
):
    hidden_author = Author.objects.create(name="Draft Writer", slug="draft-writer")
    make_article("Published", authors=[author], tags=["night tram", "Café"])
    make_article(
        "Draft", status=Article.Status.DRAFT, authors=[hidden_author], tags=["secret plan"]
    )

    assert list(entries(read_xml(client, sitemap_url("sections")))) == [
        absolute(section.get_absolute_url()),
        absolute(other_section.get_absolute_url()),
    ]
    assert sorted(entries(read_xml(client, sitemap_url("tags")))) == [
        absolute(reverse("articles:tag", args=["café"])),
        absolute(reverse("articles:tag", args=["night-tram"])),
    ]
    assert list(entries(read_xml(client, sitemap_url("authors")))) == [
        absolute(author.get_absolute_url())
    ]


def test_every_listed_page_is_there_for_a_reader(client, make_article, author):
    make_article("Published", authors=[author], tags=["night tram"])
    for name in ["articles", "sections", "tags", "authors", "news"]:
        for location in entries(read_xml(client, sitemap_url(name))):
            assert client.get(location).status_code == 200, location


def test_the_news_sitemap_lists_only_the_last_two_days_published_articles(
    client, make_article, clock
):
    now = clock.now
    fresh = make_article("Fresh story", published_at=now - timedelta(hours=2))
    older = make_article("Yesterday's story", published_at=now - timedelta(hours=47))
    make_article("Three days old", published_at=now - timedelta(hours=49))
    # Republished today, but first out a week ago: old news.
    make_article(
        "Republished story",
        published_at=now - timedelta(hours=1),
        first_published_at=now - timedelta(days=7),
    )
    make_article("Draft story", status=Article.Status.DRAFT, published_at=now - timedelta(hours=1))
    make_article("Scheduled story", published_at=now + timedelta(hours=3))

    urls = entries(read_xml(client, reverse("articles:news_sitemap")))

    assert list(urls) == [absolute(fresh.get_absolute_url()), absolute(older.get_absolute_url())]

    clock.advance(hours=2)
    urls = entries(read_xml(client, reverse("articles:news_sitemap")))
    assert list(urls) == [absolute(fresh.get_absolute_url())]


def test_a_news_entry_names_the_publication_the_date_and_the_title(
    client, make_article, settings
):
    settings.NEWSROOM_SITE_NAME = "The Harbour & City Courier"
    settings.LANGUAGE_CODE = "pt-br"
    published_at = timezone.now() - timedelta(hours=3)
    article = make_article(
        'Fares "rise" <again> & again',
        published_at=published_at,
        first_published_at=published_at - timedelta(minutes=30),
    )

    (url,) = entries(read_xml(client, reverse("articles:news_sitemap"))).values()

    news = url.find("news:news", NAMESPACES)
    assert news.findtext("news:publication/news:name", namespaces=NAMESPACES) == (
        "The Harbour & City Courier"
    )
    assert news.findtext("news:publication/news:language", namespaces=NAMESPACES) == "pt"
    assert news.findtext("news:title", namespaces=NAMESPACES) == article.headline
    assert when(news, "news:publication_date") == published_at - timedelta(minutes=30)


def test_the_news_sitemap_holds_at_most_a_thousand_articles_newest_first(client, section):
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            headline=f"Story {number}",
            slug=f"story-{number}",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=number + 1),
        )
        for number in range(1005)
    )

    root = read_xml(client, reverse("articles:news_sitemap"))

    titles = [title.text for title in root.iterfind("sm:url/news:news/news:title", NAMESPACES)]
    assert len(titles) == 1000
    assert titles[:3] == ["Story 0", "Story 1", "Story 2"]
    assert titles[-1] == "Story 999"


def test_a_sitemap_page_costs_the_same_few_queries_however_many_articles(
    client, make_article, image, author, django_assert_num_queries
):
    make_article(lead_image=image, authors=[author], tags=["a"])
    # the page of articles (found in the index, not counted), their sections, their images
    with django_assert_num_queries(3):
        assert client.get(sitemap_url("articles")).status_code == 200
    for number in range(12):
        make_article(lead_image=image, authors=[author], tags=[f"tag {number}"])
    with django_assert_num_queries(3):
        assert client.get(sitemap_url("articles")).status_code == 200
    # for each of the five sitemaps: its newest update (where it has one) and its page count;
    # the articles are counted as all of them less those readers may not see
    with django_assert_num_queries(8):
        assert client.get("/sitemap.xml").status_code == 200


def test_long_sitemaps_come_in_pages_the_index_lists(client, make_article, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 5)
    monkeypatch.setattr(sitemaps.TagSitemap, "limit", 5)
    now = timezone.now()
    articles = [
        make_article(f"Story {number:02d}", published_at=now - timedelta(hours=number + 1),
                     tags=[f"topic {number:02d}"])
        for number in range(12)
    ]
    make_article("Draft", status=Article.Status.DRAFT, tags=["draft topic"])

    index = read_xml(client, "/sitemap.xml")
    locations = [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", NAMESPACES)]

    for name, pages in [("articles", 3), ("tags", 3)]:
        expected = [absolute(sitemap_url(name))]
        expected += [absolute(f"{sitemap_url(name)}?p={number}") for number in range(2, pages + 1)]
        assert [location for location in locations if f"-{name}." in location] == expected
    listed = []
    for number in range(1, 4):
        listed += list(entries(read_xml(client, f"{sitemap_url('articles')}?p={number}")))
    assert listed == [absolute(article.get_absolute_url()) for article in articles]
    tags = []
    for number in range(1, 4):
        tags += list(entries(read_xml(client, f"{sitemap_url('tags')}?p={number}")))
    assert len(tags) == 12 and absolute("/tags/draft-topic/") not in tags
    for bad in ["4", "0", "-1", "x", "20000000000000000", "99999999999999999999", "02", "+2"]:
        assert client.get(f"{sitemap_url('articles')}?p={bad}").status_code == 404, bad
        assert client.get(f"{sitemap_url('tags')}?p={bad}").status_code == 404, bad


def test_the_index_gives_an_update_only_when_it_is_substantive_and_published(
    client, make_article
):
    now = timezone.now()
    newest = make_article("Newest", published_at=now - timedelta(hours=2))
    # Saved since, but within a minute of its own publication: not an update readers are told of.
    make_article("Typo fixed", published_at=now - timedelta(hours=3),
                 updated_at=now - timedelta(hours=3) + timedelta(seconds=30))
    make_article("Draft", status=Article.Status.DRAFT, published_at=now - timedelta(days=1),
                 updated_at=now - timedelta(minutes=5))
    make_article("Scheduled", published_at=now + timedelta(hours=1),
                 updated_at=now + timedelta(hours=2))

    root = read_xml(client, "/sitemap.xml")
    assert when(root.find("sm:sitemap", NAMESPACES), "sm:lastmod") == newest.published_at

    corrected = make_article("Corrected", published_at=now - timedelta(days=3),
                             updated_at=now - timedelta(minutes=10))
    root = read_xml(client, "/sitemap.xml")
    assert when(root.find("sm:sitemap", NAMESPACES), "sm:lastmod") == corrected.updated_at


def test_robots_txt_keeps_crawlers_out_of_private_paths_and_names_the_sitemaps(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ["/admin/", "/preview/", "/search/"]:
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert not any(line == "Disallow: /" for line in lines)


def test_robots_txt_gives_the_address_the_site_is_reached_at(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]
    response = client.get("/robots.txt", HTTP_HOST="news.example.org", secure=True)

    assert "Sitemap: https://news.example.org/sitemap.xml" in response.content.decode()


def test_a_section_cannot_take_the_address_of_search_sitemaps_or_robots_txt():
    for slug in ["search", "sitemap.xml", "robots.txt"]:
        with pytest.raises(ValidationError, match="already a page of the site"):
            Section(name="Robots", slug=slug).full_clean()
