"""What happens to an article after it is written: its workflow, corrections, previews, moves."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .article import Article


class StatusChange(models.Model):
    """One step of an article's workflow: who moved it to which status, and when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=20, choices=Article.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()} by {self.changed_by or 'someone'}"


class Correction(models.Model):
    """A change readers are told about, shown with its date under the article."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"
        EDITORS_NOTE = "editors-note", "Editor’s note"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(help_text="What was wrong or unclear, and what is right.")
    created_at = models.DateTimeField("time", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.created_at:%d %B %Y}"


def new_share_token():
    return secrets.token_urlsafe(24)  # 192 bits


def share_link_expiry():
    return timezone.now() + timedelta(hours=settings.NEWSROOM_SHARE_LINK_HOURS)


def share_link_lifetime():
    """The longest a share link works after it is made, whatever time its maker chose."""
    return timedelta(days=settings.NEWSROOM_SHARE_LINK_MAX_DAYS)


class ShareLink(models.Model):
    """A secret address where someone outside the newsroom can read a draft before it is out."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    note = models.CharField(
        max_length=200, blank=True, help_text="Who the link is for, e.g. “the council’s lawyer”."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=share_link_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.note or f"Share link {self.pk}"

    def get_absolute_url(self):
        return reverse("articles:share_link", args=[self.token])

    @property
    def closes_at(self):
        """When the link stops working: its expiry, or the end of its longest lifetime if that
        comes first. The lifetime holds for every link, those made before there was one too."""
        made = self.created_at or timezone.now()
        return min(self.expires_at, made + share_link_lifetime())

    @property
    def is_usable(self):
        """Open until it expires, is revoked, or the article is out for everyone to read."""
        return (
            self.revoked_at is None
            and self.closes_at > timezone.now()
            and not self.article.is_published
        )


class OldAddress(models.Model):
    """An address a published article had before its slug, section or date changed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_addresses")
    path = models.CharField(max_length=500, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "old addresses"

    def __str__(self):
        return self.path
