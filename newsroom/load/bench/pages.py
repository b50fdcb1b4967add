"""The pages the benchmark measures, chosen from the newsroom at hand."""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from . import BenchError

# Articles the freshness proof publishes; never chosen as the benchmarked article.
FRESH_SLUG_PREFIX = "bench-fresh-"

# The pages wrk measures; choose_pages() names every page timed in process.
HTTP_PAGES = ["home", "article", "section", "tag", "feed"]
PAGE_TITLES = {
    "home": "home",
    "article": "article",
    "section": "section",
    "tag": "tag",
    "author": "author",
    "feed": "RSS feed",
    "atom": "Atom feed",
    "sitemap": "sitemap index",
    "sitemap_stories": "sitemap of stories",
    "search": "search",
    "home_last": "home, last page",
    "section_last": "section, last page",
    "limit": "static limit",
}


def choose_pages():
    """The pages to measure: the newest published article with a lead image that no run of the
    benchmark has corrected yet (so each run measures the same kind of page), its section, the
    tag on most published articles, the author with most bylines."""
    from taggit.models import Tag

    from articles.models import Article, ArticleTag, Author, Byline

    published = Article.objects.published()
    article = (
        published.filter(
            lead_image__isnull=False, updated_at__isnull=True, corrections__isnull=True
        )
        .exclude(slug__startswith=FRESH_SLUG_PREFIX)
        .select_related("section")
        .order_by("-published_at", "-pk")
        .first()
    )
    if article is None:
        raise BenchError("The newsroom has no published article with a lead picture to measure.")
    top_tag = (
        ArticleTag.objects.filter(content_object__in=published)
        .values("tag")
        .annotate(count=Count("pk"))
        .order_by("-count", "tag")
        .first()
    )
    top_author = (
        Byline.objects.values("author").annotate(count=Count("pk")).order_by("-count", "author")
        .first()
    )
    if top_tag is None or top_author is None:
        raise BenchError("The newsroom has no tagged or bylined stories to measure.")
    tag = Tag.objects.get(pk=top_tag["tag"])
    author = Author.objects.get(pk=top_author["author"])
    section_url = article.section.get_absolute_url()
    paths = {
        "home": reverse("articles:home"),
        "article": article.get_absolute_url(),
        "section": section_url,
        "tag": reverse("articles:tag", args=[tag.slug]),
        "author": author.get_absolute_url(),
        "feed": reverse("articles:feed_rss"),
        "atom": reverse("articles:feed_atom"),
        "sitemap": reverse("articles:sitemap_index"),
        "sitemap_stories": reverse("articles:sitemap", args=["articles"]),
        # A reader's two words: the busiest topic's name.
        "search": f"{reverse('articles:search')}?{urlencode({'q': tag.name})}",
        "home_last": last_page(reverse("articles:home"), published),
        "section_last": last_page(section_url, published.filter(section=article.section)),
    }
    return article, paths


def last_page(path, articles):
    """Where a listing's "Older" links end: the page of its oldest articles, addressed by the one
    just newer than them (the listing itself, when its articles fit on one page)."""
    size = settings.NEWSROOM_ARTICLES_PER_PAGE
    oldest_first = articles.order_by("published_at", "pk").values_list("pk", flat=True)
    newer = list(oldest_first[size : size + 1])
    return f"{path}?before={newer[0]}" if newer else path
