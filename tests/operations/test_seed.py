"""seed_demo, the synthetic newsroom at size."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone
from taggit.models import Tag

from articles.html import clean_body, strip_control_characters
from articles.models import Article, ArticleTag, Author, Byline, Correction, Image, Section
from newsroom.synthetic import cast

SUMMARY = re.compile(r"^Seeded (\d[\d,]*) articles \(.*\) .* in \d+\.\d s$")


@pytest.fixture(autouse=True)
def few_small_images(monkeypatch):
    """The cast's images, fewer and smaller: drawing and resizing two dozen takes a while."""
    monkeypatch.setattr(cast, "IMAGE_COUNT", 4)
    monkeypatch.setattr(cast, "IMAGE_SIZE", (320, 180))


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def seeded(db):
    """A small synthetic newsroom, and what the command printed."""
    return run("--articles", "200", "--seed", "3")


@pytest.mark.django_db
class TestSeedDemo:
    def test_writes_the_articles_and_their_cast(self, seeded):
        out, err = seeded

        assert SUMMARY.match(out.strip())
        assert out.count("\n") == 1
        assert "200/200 articles" in err
        assert Article.objects.count() == 200
        assert Section.objects.count() == len(cast.SECTIONS)
        assert Author.objects.count() == cast.AUTHOR_COUNT
        assert Tag.objects.count() == cast.TAG_COUNT
        assert Image.objects.count() == 4

    def test_each_article_has_bylines_tags_and_sources(self, seeded):
        articles = Article.objects.annotate(
            authors_count=Count("bylines", distinct=True),
            tags_count=Count("tagged_items", distinct=True),
            references_count=Count("references", distinct=True),
        )
        for article in articles:
            assert 1 <= article.authors_count <= 3
            assert 2 <= article.tags_count <= 5
            assert 0 <= article.references_count <= 4
        assert articles.filter(references_count=0).exists()
        assert articles.filter(authors_count__gt=1).exists()
        assert articles.filter(lead_image__isnull=False).count() > 150
        assert articles.filter(lead_image__isnull=True).exists()
        updated = Article.objects.filter(updated_at__isnull=False)
        assert updated.exists()
        assert all(article.was_updated for article in updated)
        assert set(Correction.objects.values_list("article", flat=True)) <= {a.pk for a in updated}
        assert len(set(articles.values_list("section", flat=True))) == len(cast.SECTIONS)
        assert len(set(articles.values_list("label", flat=True))) >= 3

    def test_articles_are_as_saving_and_publishing_would_leave_them(self, seeded):
        now = timezone.now()
        for article in Article.objects.all():
            assert article.body == clean_body(article.body)
            assert article.body.count("<p>") >= 4
            assert article.headline == strip_control_characters(article.headline)
            assert article.standfirst
            assert article.created_at < now
            if article.status in (Article.Status.DRAFT, Article.Status.IN_REVIEW):
                assert article.published_at is None
                assert article.first_published_at is None
            else:
                assert article.first_published_at == article.published_at
                assert article.created_at < article.published_at <= article.modified_at
        assert len(set(Article.objects.values_list("uuid", flat=True))) == 200
        # Each tag's and byline's link carries its article's publication time, as publishing
        # leaves it: their pages list the articles in that order.
        times = dict(Article.objects.values_list("pk", "published_at"))
        links = [*ArticleTag.objects.values_list("content_object", "published_at"),
                 *Byline.objects.values_list("article", "published_at")]
        assert links and all(at == times[article] for article, at in links)

    def test_mostly_published_over_years_with_drafts_and_scheduled_articles(self, seeded):
        published = Article.objects.published()
        times = sorted(published.values_list("published_at", flat=True))
        assert published.count() >= 190
        assert (times[-1] - times[0]).days > 3 * 365
        assert Article.objects.filter(status=Article.Status.DRAFT).count() == 4
        scheduled = Article.objects.filter(
            status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
        )
        assert scheduled.exists()
        assert not any(article.is_published for article in scheduled)

    def test_the_site_shows_what_is_published(self, seeded, client):
        home = client.get("/")
        assert home.status_code == 200
        newest = list(Article.objects.published()[:12])
        for article in newest:
            assert article.get_absolute_url() in home.text
        for article in Article.objects.published().filter(lead_image__isnull=False)[:5]:
            response = client.get(article.get_absolute_url())
            assert response.status_code == 200
            assert article.lead_image.renditions  # the page serves resized images
            assert "<picture>" in response.text
        hidden = Article.objects.exclude(pk__in=Article.objects.published()).first()
        assert client.get(hidden.get_absolute_url()).status_code == 404

    def test_listings_of_sections_tags_and_authors(self, seeded, client):
        article = Article.objects.published().first()
        tag = article.tags.first()
        author = article.byline_authors[0]
        for address in (article.section.get_absolute_url(), f"/tags/{tag.slug}/",
                        author.get_absolute_url(), "/feed/rss/", "/sitemap-articles.xml"):
            assert client.get(address).status_code == 200, address

    def test_refuses_a_newsroom_that_has_articles(self, make_article):
        make_article()

        with pytest.raises(CommandError) as refused:
            run("--articles", "10")

        assert "\n" not in str(refused.value)
        assert "--add" in str(refused.value)
        assert Article.objects.count() == 1

    def test_adds_to_a_newsroom_with_add_reusing_the_cast(self, seeded):
        cast = [model.objects.count() for model in (Section, Author, Tag, Image)]

        out, _ = run("--articles", "30", "--add", "--seed", "3")

        assert SUMMARY.match(out.strip()).group(1) == "30"
        assert Article.objects.count() == 230
        assert [model.objects.count() for model in (Section, Author, Tag, Image)] == cast

    def test_the_same_seed_writes_the_same_newsroom(self, db, clock):
        run("--articles", "40", "--seed", "7")
        first = snapshot()
        Article.objects.all().delete()

        run("--articles", "40", "--seed", "7")
        assert snapshot() == first

        Article.objects.all().delete()
        run("--articles", "40", "--seed", "8")
        assert snapshot() != first


def snapshot():
    return [
        (
            article.uuid, article.headline, article.slug, article.standfirst, article.body,
            article.label, article.section.slug, article.status, article.published_at,
            article.created_at, article.modified_at, article.updated_at,
            article.lead_image.file.name if article.lead_image else None,
            [author.slug for author in article.byline_authors],
            sorted(tag.name for tag in article.tags.all()),
            [(ref.title, ref.publisher, ref.url, ref.date, ref.note)
             for ref in article.references.all()],
        )
        for article in Article.objects.order_by("pk").for_page()
    ]
