"""Newsroom's content: sections, authors, credited images, and the articles that use them."""

import reversion
from taggit.models import Tag

from .article import Article, ArticleQuerySet, ArticleTag, Byline, Reference
from .author import Author
from .editorial import Correction, OldAddress, ShareLink, StatusChange
from .fields import WebAddressField
from .image import LICENCE_URLS, Image, Licence, image_upload_to
from .presence import Presence
from .review import Notice, ReviewNote
from .section import RESERVED_SECTION_SLUGS, Section, validate_section_slug
from .working_copy import WorkingCopy

__all__ = [
    "LICENCE_URLS",
    "RESERVED_SECTION_SLUGS",
    "Article",
    "ArticleQuerySet",
    "ArticleTag",
    "Author",
    "Byline",
    "Correction",
    "Image",
    "Licence",
    "Notice",
    "OldAddress",
    "Presence",
    "Reference",
    "ReviewNote",
    "Section",
    "ShareLink",
    "StatusChange",
    "WebAddressField",
    "WorkingCopy",
    "image_upload_to",
    "validate_section_slug",
]

# A revision keeps the article with its byline, sources and tags, so restoring one brings all of
# them back. Corrections and share links are left out on purpose: a restore must not erase a
# correction or reopen a revoked link. So are the links' copies of the article's publication time:
# a restored link takes its article's time as it stands (see articles.saving).
reversion.register(Article, follow=["bylines", "references", "tagged_items"])
reversion.register(Byline, exclude=["published_at"])
reversion.register(Reference)
reversion.register(ArticleTag, follow=["tag"], exclude=["published_at"])
reversion.register(Tag)
