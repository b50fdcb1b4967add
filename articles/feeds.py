"""RSS 2.0 and Atom feeds for the site, each section, tag and author.

Each item carries the standfirst as its summary, the full body with absolute links and any
corrections under it, and the lead image as Media RSS with its credit and licence, so the
image's provenance travels with it.
"""

import io
from datetime import UTC, datetime
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape
from taggit.models import Tag

from .caching import content_etag
from .html import absolutise_links, strip_control_characters
from .images.renditions import best_file
from .models import Article, ArticleTag, Author, Section

MEDIA_NAMESPACE = "http://search.yahoo.com/mrss/"
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DUBLIN_CORE_NAMESPACE = "http://purl.org/dc/elements/1.1/"
# The type-of-work label (News, Analysis, Opinion…) travels as a category of its own scheme.
LABEL_SCHEME = "urn:newsroom:label"


def add_media_content(handler, item):
    image = item.get("image")
    if not image:
        return
    # A large JPEG rendition, which every feed reader can show, and a card-shaped thumbnail.
    large = best_file(image, "original", "jpeg", min_width=1280)
    attributes = {
        "url": urljoin(item["link"], large.url),
        "medium": "image",
        "type": large.media_type,
        "width": str(large.width),
        "height": str(large.height),
    }
    if large.bytes:
        attributes["fileSize"] = str(large.bytes)
    handler.startElement("media:content", attributes)
    thumbnail = best_file(image, "16x9", "jpeg", min_width=640)
    handler.addQuickElement("media:thumbnail", None, {
        "url": urljoin(item["link"], thumbnail.url),
        "width": str(thumbnail.width),
        "height": str(thumbnail.height),
    })
    handler.addQuickElement("media:credit", clean(image.credit), {"role": "author"})
    handler.addQuickElement("media:copyright", clean(image.copyright_line))
    if image.caption:
        handler.addQuickElement("media:description", clean(image.caption), {"type": "plain"})
    licence_attributes = {"type": "text/html"}
    if image.licence_url:
        licence_attributes["href"] = image.licence_url
    handler.addQuickElement("media:license", image.get_licence_display(), licence_attributes)
    handler.endElement("media:content")


class WrittenAtOnce:
    """A feed written into memory, then into the response in one piece: the XML writer's
    thousands of small writes would otherwise each go through the response's own write()."""

    def write(self, outfile, encoding):
        text = io.StringIO()
        super().write(text, encoding)
        outfile.write(text.getvalue())


class SameBytesEachTime:
    """A feed that, written twice from the same content, is the same bytes: its ETag is their
    digest. Django dates a feed without items at the moment it is written; here at the epoch."""

    def latest_post_date(self):
        if not self.items:
            return datetime.fromtimestamp(0, tz=UTC)
        return super().latest_post_date()


class MediaRssFeed(SameBytesEachTime, WrittenAtOnce, Rss201rev2Feed):
    def rss_attributes(self):
        return super().rss_attributes() | {
            "xmlns:media": MEDIA_NAMESPACE,
            "xmlns:content": CONTENT_NAMESPACE,
            "xmlns:dc": DUBLIN_CORE_NAMESPACE,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # RSS has one <author>, for an e-mail address; each byline is a Dublin Core creator.
        for name, _ in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        handler.addQuickElement("category", item["label"].label, {"domain": LABEL_SCHEME})
        # RSS 2.0 has no updated date of its own; feed readers read Atom's.
        if item["updateddate"]:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        if item.get("content"):
            handler.addQuickElement(
                "content:encoded", absolutise_links(clean(item["content"]), item["link"])
            )
        add_media_content(handler, item)


class MediaAtomFeed(SameBytesEachTime, WrittenAtOnce, Atom1Feed):
    def root_attributes(self):
        return super().root_attributes() | {"xmlns:media": MEDIA_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, path in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", urljoin(item["link"], path))
            handler.endElement("author")
        handler.addQuickElement(
            "category", None,
            {"term": item["label"].value, "label": item["label"].label, "scheme": LABEL_SCHEME},
        )
        if item.get("content"):
            handler.addQuickElement(
                "content", absolutise_links(clean(item["content"]), item["link"]), {"type": "html"}
            )
        add_media_content(handler, item)


def clean(text):
    return strip_control_characters(str(text))


def corrections_html(article):
    """The article's corrections as paragraphs under its body, as readers see them on the page."""
    corrections = article.corrections.all()
    if not corrections:
        return ""
    return render_to_string("articles/includes/feed_corrections.html", {"corrections": corrections})


class LatestArticlesFeed(Feed):
    """The whole site's latest published articles."""

    feed_type = MediaRssFeed

    def title(self, obj):
        return settings.NEWSROOM_SITE_NAME

    def description(self, obj):
        return settings.NEWSROOM_SITE_DESCRIPTION

    def link(self, obj):
        return reverse("articles:home")

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj):
        return self.articles(obj).for_feed()[: settings.NEWSROOM_FEED_LENGTH]

    # Feed readers poll, and any cache may reuse a feed for five minutes without asking: enough
    # to absorb a crowd of readers polling at once, short enough that a new article reaches them
    # soon.
    max_age = 300

    def __call__(self, request, *args, **kwargs):
        """The feed, with the digest of its bytes as its ETag: 304 Not Modified while unchanged.

        The digest changes with anything the feed shows — an article, an image's credit, caption
        or licence, an author's, a tag's or a section's name — where an ETag worked out from
        what the feed is made of needs a list of all that, kept up with every change to the
        feed. So a feed is rendered to learn its ETag. The page cache keeps it rendered and
        answers readers' conditional requests itself, from a hit without a query (see
        newsroom/page_cache.py); this answers signed-in users', and everyone's while the cache
        is down.

        Last-Modified, for a reader, is the page cache's as on every page: the time of the last
        change to anything readers see. Django's, the newest article's time, stays the same when
        only a credit changes, and a feed reader that sends only If-Modified-Since would keep
        the old credit.
        """
        response = super().__call__(request, *args, **kwargs)
        del response["Last-Modified"]
        response["ETag"] = content_etag(response.content)
        patch_cache_control(response, public=True, max_age=self.max_age)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    def item_title(self, item):
        # Many feed readers show no categories: paid-for content says so in its title.
        if item.label == Article.Label.SPONSORED:
            return f"Sponsored: {clean(item.headline)}"
        return clean(item.headline)

    def item_description(self, item):
        # Readers take the description as HTML; the summary is plain text.
        return escape(clean(item.summary))

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # A correction or an update an editor marked as such shows; a typo fix does not.
        return item.updated_at if item.was_updated else item.published_at

    def item_categories(self, item):
        return [clean(tag.name) for tag in item.tag_list]

    def item_extra_kwargs(self, item):
        return {
            "content": item.body + corrections_html(item),
            "image": item.lead_image,
            "label": Article.Label(item.label),
            "authors": [
                (clean(author.name), author.get_absolute_url()) for author in item.byline_authors
            ],
        }


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = MediaAtomFeed
    subtitle = LatestArticlesFeed.description


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj):
        return f"{clean(obj.name)} — {settings.NEWSROOM_SITE_NAME}"

    def description(self, obj):
        return clean(obj.description) or f"The latest from {clean(obj.name)}."

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().filter(section=obj)


class SectionAtomFeed(SectionFeed):
    feed_type = MediaAtomFeed
    subtitle = SectionFeed.description


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        # Like the tag page: a tag only drafts carry is not revealed. The tag's links are
        # asked, each article by its key: from the published articles' side, a tag whose articles
        # are all old was found only after every newer article had been read.
        out = ArticleTag.objects.filter(tag=tag).filter(
            Article.objects.published_exists(OuterRef("content_object_id"))
        )
        if not out.exists():
            raise Http404("No published article has this tag.")
        return tag

    def title(self, obj):
        return f"{clean(obj.name)} — {settings.NEWSROOM_SITE_NAME}"

    def description(self, obj):
        return f"Articles tagged “{clean(obj.name)}”."

    def link(self, obj):
        return reverse("articles:tag", args=[obj.slug])

    def articles(self, obj):
        # As on the tag's page: in the order of the tag's own links.
        return Article.objects.published().tagged(obj)


class TagAtomFeed(TagFeed):
    feed_type = MediaAtomFeed
    subtitle = TagFeed.description


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, obj):
        return f"{clean(obj.name)} — {settings.NEWSROOM_SITE_NAME}"

    def description(self, obj):
        return f"Articles by {clean(obj.name)}."

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().written_by(obj)


class AuthorAtomFeed(AuthorFeed):
    feed_type = MediaAtomFeed
    subtitle = AuthorFeed.description
