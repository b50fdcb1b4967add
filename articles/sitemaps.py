"""Sitemaps for search engines: every published article (with its lead image), section, tag
and author, and a Google News sitemap of the last two days' articles.

Each starts from Article.objects.published() and lists what get_absolute_url() gives.
"""

from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Case, Exists, F, Max, OuterRef, Prefetch, Subquery, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.models import Tag

from .caching import expire_page
from .images.renditions import best_file
from .models import Article, ArticleTag, Author, Byline, Image, Section
from .pagination import whole_number

# Google News takes articles from the last two days, at most a thousand of them.
NEWS_HOURS = 48
NEWS_LIMIT = 1000

# The articles and tags per sitemap page. Each entry costs its address (a URL reversal) and its
# turn through the template, about a tenth of a millisecond, and each page a line of the index:
# at 100,000 articles, pages of 200 keep both a page and the index (about 500 lines) near 25 ms,
# where pages of 50,000 took seconds.
PAGE_SIZE = 200

# Far more pages than any newsroom has: past this, a page number is not read at all.
MAX_PAGE_NUMBER = 1_000_000


class UncountedPages(Paginator):
    """Pages read without counting the items first: a page past the end is found empty.

    Only the sitemap index counts, for the number of pages it lists.
    """

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        if number > MAX_PAGE_NUMBER:  # no database takes an offset that large
            raise EmptyPage("That page contains no results")
        bottom = (number - 1) * self.per_page
        items = self.read(bottom, bottom + self.per_page)
        if not items and number > 1:
            raise EmptyPage("That page contains no results")
        return self._get_page(items, number, self)

    def read(self, start, stop):
        return list(self.object_list[start:stop])


class ArticleSitemapPages(UncountedPages):
    """A page of articles, found in the published index first (skipping the earlier pages there),
    then read with only what an entry needs; each section and image is read once, however
    many articles share it."""

    @cached_property
    def count(self):
        # For the index: every article but the few readers may not see. A whole table is counted
        # without reading its rows one by one, which counting the published range would do.
        return Article.objects.count() - Article.objects.hidden_ids().count()

    def read(self, start, stop):
        ids = self.object_list.order_by("-published_at", "-pk").values("pk")[start:stop]
        sections = Section.objects.only("slug")
        images = Image.objects.only("file", "width", "height", "renditions")
        return list(
            Article.objects.filter(pk__in=ids)
            .only("slug", "published_at", "updated_at", "created_at", "section", "lead_image")
            .prefetch_related(
                Prefetch("section", queryset=sections), Prefetch("lead_image", queryset=images)
            )
            .order_by("-published_at", "-pk")
        )


class ArticleSitemap(Sitemap):
    limit = PAGE_SIZE

    def items(self):
        return Article.objects.published()

    @property
    def paginator(self):
        return ArticleSitemapPages(self.items(), self.limit)

    def lastmod(self, article):
        # As in the feeds: a correction or an update an editor marked counts, a typo fix does not.
        return article.updated_at if article.was_updated else article.published_at

    def get_urls(self, page=1, site=None, protocol=None):
        """Each entry also names its lead image's absolute address, for image:image: the
        largest JPEG made from it (the original file until renditions are made)."""
        urls = super().get_urls(page, site, protocol)
        addresses = {}  # by image: articles on one site share the same image's address
        for url in urls:
            image = url["item"].lead_image
            if image is not None and image.pk not in addresses:
                addresses[image.pk] = urljoin(url["location"], best_file(image).url)
            url["images"] = [addresses[image.pk]] if image is not None else []
        return urls

    def get_latest_lastmod(self):
        """The newest lastmod() of all, in one query rather than by loading every article.

        It is the newest publication, unless an article published was then updated (as
        Article.was_updated has it) after that: only those few are read, from the update index.
        """
        published = Article.objects.published()
        updated_since = (
            published.filter(updated_at__gt=OuterRef("published_at"))
            .filter(updated_at__gt=F("published_at") + timedelta(minutes=1))
            .order_by("-updated_at")
            .values("updated_at")[:1]
        )
        newest = (
            published.order_by("-published_at", "-pk")
            .annotate(updated=Subquery(updated_since))
            .values_list("published_at", "updated")
            .first()
        )
        if newest is None:
            return None
        return newest[1] or newest[0]


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

    @property
    def paginator(self):
        return Paginator(self.items(), self.limit)

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

    def get_latest_lastmod(self):
        # The newest lastmod() of the (at most a thousand) articles in it, in one query.
        # The condition is Article.was_updated's.
        substantive_update = Case(
            When(updated_at__gt=F("published_at") + timedelta(minutes=1), then="updated_at"),
            default="published_at",
        )
        return self.items().aggregate(latest=Max(substantive_update))["latest"]


class SectionSitemap(Sitemap):
    def items(self):
        return Section.objects.all()


class TagSitemap(Sitemap):
    limit = PAGE_SIZE

    def items(self):
        # Like the tag pages: a tag only drafts carry has no page. A tag has a page when one of
        # its articles is not among the few readers may not see.
        shown = ArticleTag.objects.shown().filter(tag=OuterRef("pk"))
        return Tag.objects.filter(Exists(shown)).order_by("slug")

    @property
    def paginator(self):
        return UncountedPages(self.items(), self.limit)

    def location(self, tag):
        return reverse("articles:tag", args=[tag.slug])


class AuthorSitemap(Sitemap):
    def items(self):
        # An author with nothing published has an empty page, not one worth a search engine's
        # time. Each author's articles are checked by their keys until one is out.
        bylines = Byline.objects.filter(author=OuterRef("pk")).filter(
            Article.objects.published_exists(OuterRef("article_id"))
        )
        return Author.objects.filter(Exists(bylines))


# The sections of /sitemap.xml, each served at /sitemap-<name>.xml.
SITEMAPS = {
    "articles": ArticleSitemap,
    "news": NewsSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def sitemap(request, section, template_name="sitemaps/sitemap.xml"):
    """One of the SITEMAPS, a page at a time (?p=2).

    Django's own reading of the page number takes ?p=02 as well, which would be a copy of page 2
    at an address of its own: here any spelling but the one is a 404.
    """
    if "p" in request.GET:
        whole_number(request.GET["p"])
    return sitemap_views.sitemap(request, SITEMAPS, section=section, template_name=template_name)


def news_sitemap(request):
    """The news sitemap changes by itself as articles turn two days old: the cached copy lasts
    only until the oldest article in it is due to leave."""
    response = sitemap(request, "news", template_name="sitemaps/news.xml")
    listed = list(NewsSitemap().items().values_list("first_published", flat=True))
    if listed:
        expire_page(response, min(listed) + timedelta(hours=NEWS_HOURS))
    return response


sitemap.query_parameters = news_sitemap.query_parameters = ("p",)
