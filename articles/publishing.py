"""Publishing is an explicit act, shared by the admin and the wire importer."""

from django.utils import timezone

from .models import Article


def publish(article, at=None):
    """Make the article public at `at` (default: its own publication time, or now).

    A time in the future schedules it; it then appears by itself when the time comes.
    """
    article.status = Article.Status.PUBLISHED
    article.published_at = at or article.published_at or timezone.now()
    article.save()
    return article


def unpublish(article):
    """Take the article off the site; its publication time is kept for when it returns."""
    article.status = Article.Status.DRAFT
    article.save()
    return article
