"""The review conversation on an article: the notes handed back and forth between its writer and
the editors, and who each was addressed to."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .article import Article


class ReviewNote(models.Model):
    """One step of the conversation: a hand-in, a send-back, an approval, or a comment."""

    class Kind(models.TextChoices):
        HANDED_IN = "handed_in", "Handed in"
        SENT_BACK = "sent_back", "Sent back"
        APPROVED = "approved", "Approved"
        COMMENT = "comment", "Comment"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="review_notes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # For an approval: when the story was to go out (now, or the time it was scheduled for).
    publish_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.author or 'someone'}"

    @property
    def is_scheduling(self):
        return self.publish_at is not None and self.publish_at > self.created_at


class Notice(models.Model):
    """A note addressed to one person: on their desk until they read it, and sent by e-mail."""

    note = models.ForeignKey(ReviewNote, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_notices"
    )
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-note__created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["note", "recipient"], name="one_notice_per_recipient")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread_idx")]

    def __str__(self):
        return f"{self.note} for {self.recipient}"
