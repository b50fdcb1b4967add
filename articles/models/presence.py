"""Who has an article's form open right now, as their browsers' heartbeats tell (see
articles.presence)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .article import Article


class Presence(models.Model):
    """One person with one article's form open: since when, and when their browser last said so.

    Kept in the database rather than the cache: every app server shares it whatever the cache
    is (files on one machine are not shared), a (article, person) pair is one row that two
    heartbeats cannot overwrite each other's part of, and the article list reads the open forms
    of a whole page of articles in one query.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["since", "pk"]
        # Nobody manages presences by hand: the heartbeat records them, for whoever may see the
        # article (articles.permissions), so there is no permission for a role to hold.
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="unique_presence")
        ]

    def __str__(self):
        return f"{self.user} on {self.article_id}"
