"""What search engines, aggregators and social networks read from our pages."""

import json
import re

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.images.renditions import make_renditions
from articles.models import Article, Image, Licence, Reference
from articles.publishing import add_correction

pytestmark = pytest.mark.django_db


def structured_data(html):
    """Every JSON-LD block on the page, parsed as a machine reads it."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def meta(html, key):
    """The content of every <meta property|name=key>."""
    pattern = rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">'
    return re.findall(pattern, html)


@pytest.fixture
def article(make_article, image, author):
    article = make_article(
        "Harbour City votes to bring back the night tram",
        standfirst="The first night service since 1987.",
        lead_image=image,
        authors=[author],
        tags=["night tram", "transport"],
    )
    Reference.objects.create(
        article=article, position=0, title="Night Tram Feasibility Study",
        publisher="Harbour City Transit Authority", url="https://example.org/study",
    )
    return article


def test_an_article_is_a_complete_news_article_for_machines(client, article, image):
    html = client.get(article.get_absolute_url()).content.decode()
    [data] = structured_data(html)
    url = f"http://testserver{article.get_absolute_url()}"

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ReportageNewsArticle"
    assert data["headline"] == article.headline
    assert data["description"] == "The first night service since 1987."
    assert data["mainEntityOfPage"]["@id"] == url
    assert data["datePublished"] == article.published_at.isoformat(timespec="seconds")
    assert data["dateModified"] == data["datePublished"]
    assert data["author"] == [
        {"@type": "Person", "name": "Mira Okafor", "url": "http://testserver/authors/mira-okafor/"}
    ]
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["publisher"]["logo"]["url"].endswith("/img/logo.png")
    assert data["publisher"]["correctionsPolicy"] == "http://testserver/corrections/"
    assert data["articleSection"] == "City"
    assert sorted(data["keywords"]) == ["night tram", "transport"]
    assert data["inLanguage"] == "en-gb"
    assert data["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "Night Tram Feasibility Study",
            "publisher": {"@type": "Organization", "name": "Harbour City Transit Authority"},
            "url": "https://example.org/study",
        }
    ]


def test_the_lead_image_carries_its_credit_and_licence_to_machines(client, article, image):
    [data] = structured_data(client.get(article.get_absolute_url()).content.decode())
    image_object = data["image"]

    assert image_object["@type"] == "ImageObject"
    assert image_object["contentUrl"].startswith("http://testserver/media/")
    assert image_object["width"] > 0 and image_object["height"] > 0
    assert image_object["caption"] == "The restored tram at the Eastgate depot."
    assert image_object["creditText"] == "Ana Ruiz / Courier"
    assert image_object["creator"] == {"@type": "Person", "name": "Ana Ruiz / Courier"}
    assert image_object["copyrightNotice"] == "© Ana Ruiz / Courier"
    assert image_object["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert image_object["acquireLicensePage"] == "https://example.org/ana-ruiz"


def test_a_correction_moves_the_modified_date(client, article):
    add_correction(article, "The vote was 31 to 12, not 31 to 21.", at=timezone.now())
    article.refresh_from_db()
    [data] = structured_data(client.get(article.get_absolute_url()).content.decode())

    assert data["dateModified"] == article.updated_at.isoformat(timespec="seconds")
    assert data["dateModified"] > data["datePublished"]


@pytest.mark.parametrize(
    ("label", "schema_type"),
    [
        (Article.Label.NEWS, "ReportageNewsArticle"),
        (Article.Label.ANALYSIS, "AnalysisNewsArticle"),
        (Article.Label.OPINION, "OpinionNewsArticle"),
        (Article.Label.REVIEW, "ReviewNewsArticle"),
        (Article.Label.EXPLAINER, "BackgroundNewsArticle"),
        (Article.Label.SPONSORED, "AdvertiserContentArticle"),
    ],
)
def test_the_label_shows_above_the_headline_and_types_the_article(
    client, make_article, label, schema_type
):
    article = make_article("Labelled story", label=label)
    html = client.get(article.get_absolute_url()).content.decode()
    [data] = structured_data(html)

    assert data["@type"] == schema_type
    header = html[html.index('<header class="article-header">'):html.index("<h1>")]
    shown = f'<span class="label label-{label}">{label.label}</span>'
    assert shown in header
    assert shown in client.get("/").content.decode()


def test_a_sponsored_article_says_so_unmistakably(client, make_article):
    article = make_article("Ten reasons to visit the marina", label=Article.Label.SPONSORED)
    html = client.get(article.get_absolute_url()).content.decode()

    assert "Sponsored content." in html
    assert "An advertiser paid for this story" in html
    assert html.index("Sponsored content.") < html.index("<h1>")


def test_a_hostile_headline_cannot_break_out_of_the_structured_data(client, make_article):
    headline = 'Council says </script><script>alert("x")</script> & <!-- no'
    article = make_article(headline)
    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    [data] = structured_data(html)
    assert data["headline"] == headline


def test_an_article_has_a_canonical_address_and_social_cards(client, article, image):
    html = client.get(article.get_absolute_url() + "?utm_source=feed").content.decode()
    url = f"http://testserver{article.get_absolute_url()}"

    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:url") == [url]
    assert meta(html, "og:title") == [article.headline]
    assert meta(html, "og:description") == ["The first night service since 1987."]
    assert meta(html, "og:image")[0].startswith("http://testserver/")
    assert int(meta(html, "og:image:width")[0]) > 0
    assert int(meta(html, "og:image:height")[0]) > 0
    assert meta(html, "article:published_time")
    assert meta(html, "article:modified_time")
    assert meta(html, "article:section") == ["City"]
    assert sorted(meta(html, "article:tag")) == ["night tram", "transport"]
    assert meta(html, "twitter:card") == ["summary_large_image"]
    assert meta(html, "description") == ["The first night service since 1987."]


def test_an_article_is_its_own_canonical_address_whatever_its_address_carries(client, article):
    """An article reads no page number: ?page=7 on its address is no page of its own."""
    html = client.get(article.get_absolute_url() + "?page=7&before=3").content.decode()

    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html


def test_previews_and_missing_pages_ask_not_to_be_indexed(admin_client, make_article):
    draft = make_article("Draft", status=Article.Status.DRAFT, published_at=None)
    for response in [admin_client.get(draft.get_absolute_url()), admin_client.get("/nope/")]:
        html = response.content.decode()
        assert '<meta name="robots" content="noindex">' in html
        assert 'rel="canonical"' not in html
        assert structured_data(html) == []


def test_the_front_page_describes_the_site_and_its_publisher(client, article):
    html = client.get("/").content.decode()
    [data] = structured_data(html)
    website, publisher = data["@graph"]

    assert website["@type"] == "WebSite"
    assert website["url"] == "http://testserver/"
    assert website["publisher"] == {"@id": "http://testserver/#publisher"}
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == "The Harbour City Courier"
    assert meta(html, "og:type") == ["website"]


def test_listings_have_their_own_titles_and_canonical_pages(client, make_article, section):
    for number in range(14):
        make_article(f"Story {number}", tags=["budget"])
    html = client.get(section.get_absolute_url() + "?page=2&utm_campaign=x").content.decode()

    assert '<link rel="canonical" href="http://testserver/city/?page=2">' in html
    assert meta(html, "og:title") == ["City"]
    assert meta(html, "og:description") == ["News from the city."]
    tag_page = client.get(reverse("articles:tag", args=["budget"])).content.decode()
    assert meta(tag_page, "og:title") == ["budget"]



@pytest.mark.parametrize("feed", ["articles:feed_rss", "articles:feed_atom"])
def test_feeds_carry_the_label_and_mark_sponsored_articles_in_the_title(
    client, make_article, feed
):
    make_article("Why the tram vote matters", label=Article.Label.ANALYSIS)
    make_article("Ten reasons to visit the marina", label=Article.Label.SPONSORED)
    parsed = feedparser.parse(client.get(reverse(feed)).content)

    assert parsed.bozo == 0
    entries = {entry.title: entry for entry in parsed.entries}
    assert set(entries) == {
        "Why the tram vote matters", "Sponsored: Ten reasons to visit the marina",
    }
    labels = {
        title: [tag.get("label") or tag.term for tag in entry.tags
                if tag.get("scheme") == "urn:newsroom:label"]
        for title, entry in entries.items()
    }
    assert labels == {
        "Why the tram vote matters": ["Analysis"],
        "Sponsored: Ten reasons to visit the marina": ["Sponsored"],
    }


def test_shared_and_indexed_images_are_large_renditions_not_the_upload(
    client, make_article, make_upload
):
    image = Image.objects.create(
        file=make_upload("wide.jpg", size=(2000, 1125)), alt_text="The quay at dusk",
        credit="Ana Ruiz / Courier", licence=Licence.CC_BY,
    )
    make_renditions(image)
    article = make_article(lead_image=image)
    html = client.get(article.get_absolute_url()).content.decode()
    [data] = structured_data(html)

    [og_image] = meta(html, "og:image")
    assert og_image == data["image"]["contentUrl"]
    assert image.file.url not in og_image
    assert og_image.endswith(".jpg")
    # Social networks ask for at least 1200 pixels; the smallest rendition that wide is sent.
    width = int(meta(html, "og:image:width")[0])
    assert 1200 <= width < 2000
    assert width == data["image"]["width"]
