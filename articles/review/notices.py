"""The review events addressed to a person: what their desk shows them until they have read it."""

from django.utils import timezone

from .. import permissions
from ..models import Notice


def notices_for(user, unread_only=True, limit=20):
    """The review events addressed to `user`, newest first, on stories they may see.

    Each is a Notice: `notice.note` is the ReviewNote (its `kind`, `get_kind_display()`, `text`,
    `author`, `created_at`, `publish_at` and `article`), `notice.read_at` is when the user opened
    the story since (None while unread). One query, whatever the number.
    """
    if not user.is_active or not user.has_perm("articles.view_article"):
        return Notice.objects.none()
    notices = Notice.objects.filter(recipient=user.pk)
    if not permissions.is_editor(user):  # an editor may see every story
        notices = notices.filter(note__article__in=permissions.articles_for(user))
    notices = notices.select_related("note__author", "note__article")
    if unread_only:
        notices = notices.filter(read_at=None)
    return notices[:limit] if limit else notices


def unread_on(user, article):
    """The user's unread notices on one story, oldest first."""
    return list(
        Notice.objects.filter(recipient=user.pk, note__article=article.pk, read_at=None)
        .select_related("note__author")
        .order_by("note__created_at", "pk")
    )


def mark_read(user, article):
    """The user has seen the story's thread: its notices leave their desk."""
    return Notice.objects.filter(
        recipient=user.pk, note__article=article.pk, read_at=None
    ).update(read_at=timezone.now())
