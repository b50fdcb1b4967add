"""Sitemaps for search engines: every published article (with its lead picture), section, tag
and author, and a Google News sitemap of the last two days' stories.

Each starts from Article.objects.published() and lists what get_absolute_url() gives.
"""

from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Case, F, Max, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from .caching import expire_page
from .models import Article, Author, Section
from .renditions import best_file

# Google News takes stories from the last two days, at most a thousand of them.
NEWS_HOURS = 48
NEWS_LIMIT = 1000


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.published().select_related("section", "lead_image")

    def lastmod(self, article):
        # As in the feeds: a correction or an update an editor marked counts, a typo fix does not.
        return article.updated_at if article.was_updated else article.published_at

    def get_urls(self, page=1, site=None, protocol=None):
        """Each entry also names its lead picture's absolute address, for image:image: the
        largest JPEG made from it (the original file until renditions are made)."""
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            image = url["item"].lead_image
            url["images"] = [urljoin(url["location"], best_file(image).url)] if image else []
        return urls

    def get_latest_lastmod(self):
        # The newest lastmod() of all, in one query rather than by loading every article.
        # The condition is Article.was_updated's.
        substantive_update = Case(
            When(updated_at__gt=F("published_at") + timedelta(minutes=1), then="updated_at"),
            default="published_at",
        )
        return self.items().aggregate(latest=Max(substantive_update))["latest"]


class NewsSitemap(ArticleSitemap):
    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - timedelta(hours=NEWS_HOURS)
        return (
            Article.objects.published()
            .annotate(first_published=Coalesce("first_published_at", "published_at"))
            .filter(first_published__gte=since)
            .select_related("section", "lead_image")
            .order_by("-first_published", "-pk")[:NEWS_LIMIT]
        )

    def get_urls(self, page=1, site=None, protocol=None):
        """Each entry also carries the publication, as Google News asks for it."""
        urls = super().get_urls(page, site, protocol)
        publication = {
            "name": settings.NEWSROOM_SITE_NAME,
            # An ISO 639 code: the language without its region ("en", not "en-gb").
            "language": settings.LANGUAGE_CODE.split("-")[0].lower(),
        }
        for url in urls:
            url["publication"] = publication
        return urls


class SectionSitemap(Sitemap):
    def items(self):
        return Section.objects.all()


class TagSitemap(Sitemap):
    def items(self):
        # Like the tag pages: a tag only drafts carry has no page.
        published = Article.objects.published()
        return (
            Tag.objects.filter(articles_articletag_items__content_object__in=published)
            .distinct()
            .order_by("slug")
        )

    def location(self, tag):
        return reverse("articles:tag", args=[tag.slug])


class AuthorSitemap(Sitemap):
    def items(self):
        # An author with nothing published has an empty page, not one worth a search engine's time.
        published = Article.objects.published()
        return Author.objects.filter(bylines__article__in=published).distinct()


# The sections of /sitemap.xml, each served at /sitemap-<name>.xml.
SITEMAPS = {
    "articles": ArticleSitemap,
    "news": NewsSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def news_sitemap(request):
    """The news sitemap changes by itself as stories turn two days old: the cached copy lasts
    only until the oldest story in it is due to leave."""
    response = sitemap_views.sitemap(
        request, SITEMAPS, section="news", template_name="sitemaps/news.xml"
    )
    listed = list(NewsSitemap().items().values_list("first_published", flat=True))
    if listed:
        expire_page(response, min(listed) + timedelta(hours=NEWS_HOURS))
    return response
