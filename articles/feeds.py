"""RSS 2.0 and Atom feeds for the site, each section, tag and author.

Each item carries the standfirst as its summary, the full body with absolute links and any
corrections under it, and the lead image as Media RSS with its credit and licence, so the
picture's provenance travels with it.
"""

import mimetypes
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape
from taggit.models import Tag

from .html import absolutise_links, strip_control_characters
from .models import Article, Author, Section

MEDIA_NAMESPACE = "http://search.yahoo.com/mrss/"
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DUBLIN_CORE_NAMESPACE = "http://purl.org/dc/elements/1.1/"


def add_media_content(handler, item):
    image = item.get("image")
    if not image:
        return
    url = urljoin(item["link"], image.file.url)
    attributes = {
        "url": url,
        "medium": "image",
        "width": str(image.width),
        "height": str(image.height),
    }
    content_type = mimetypes.guess_type(image.file.name)[0]
    if content_type:
        attributes["type"] = content_type
    handler.startElement("media:content", attributes)
    handler.addQuickElement("media:credit", clean(image.credit), {"role": "author"})
    if image.caption:
        handler.addQuickElement("media:description", clean(image.caption), {"type": "plain"})
    licence_attributes = {"type": "text/html"}
    if image.licence_url:
        licence_attributes["href"] = image.licence_url
    handler.addQuickElement("media:license", image.get_licence_display(), licence_attributes)
    handler.endElement("media:content")


class MediaRssFeed(Rss201rev2Feed):
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
        # RSS 2.0 has no updated date of its own; feed readers read Atom's.
        if item["updateddate"]:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        if item.get("content"):
            handler.addQuickElement(
                "content:encoded", absolutise_links(clean(item["content"]), item["link"])
            )
        add_media_content(handler, item)


class MediaAtomFeed(Atom1Feed):
    def root_attributes(self):
        return super().root_attributes() | {"xmlns:media": MEDIA_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, path in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", urljoin(item["link"], path))
            handler.endElement("author")
        if item.get("content"):
            handler.addQuickElement(
                "content", absolutise_links(clean(item["content"]), item["link"]), {"type": "html"}
            )
        add_media_content(handler, item)


def clean(text):
    return strip_control_characters(str(text))


def corrections_html(article):
    """The story's corrections as paragraphs under its body, as readers see them on the page."""
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

    def item_title(self, item):
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
        return [clean(tag.name) for tag in item.tags.all()]

    def item_extra_kwargs(self, item):
        return {
            "content": item.body + corrections_html(item),
            "image": item.lead_image,
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
        # Like the tag page: a tag only drafts carry is not revealed.
        if not Article.objects.published().filter(tags=tag).exists():
            raise Http404("No published article has this tag.")
        return tag

    def title(self, obj):
        return f"{clean(obj.name)} — {settings.NEWSROOM_SITE_NAME}"

    def description(self, obj):
        return f"Articles tagged “{clean(obj.name)}”."

    def link(self, obj):
        return reverse("articles:tag", args=[obj.slug])

    def articles(self, obj):
        return Article.objects.published().filter(tags=obj)


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
        return Article.objects.published().filter(bylines__author=obj)


class AuthorAtomFeed(AuthorFeed):
    feed_type = MediaAtomFeed
    subtitle = AuthorFeed.description
