"""What someone was typing in an article's form and has not saved: the form's working copy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .article import Article


class WorkingCopy(models.Model):
    """The article form as one person last left it, kept by the form's autosave.

    It is not the article: saving one changes nothing readers or the desk see and makes no
    revision. One per person and article, and one per person for an article not saved yet
    (`article` empty). Only its owner is ever shown it; a real save of the article clears it.
    """

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="working_copies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The form as the browser sends it: {"fields": [[name, value], ...], "labels": {...}}
    # (see articles.working_copies.check_form_data).
    data = models.JSONField()
    saved_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        # Reached only through the article's own permissions (articles.working_copies).
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="one_working_copy_per_article_and_user"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="one_new_article_working_copy_per_user",
            ),
        ]
        verbose_name_plural = "working copies"

    def __str__(self):
        return f"Unsaved typing of {self.user}, {self.saved_at:%d %b %Y %H:%M}"
