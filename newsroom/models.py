from django.conf import settings
from django.db import models
from django.utils import timezone


class LoggedInSession(models.Model):
    """A session someone is logged in with, so that all of a person's can be ended at once.

    Neither session store (the database or Redis) can be searched by user, so each logged-in
    session's key is noted here (see newsroom/sessions.py).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="logged_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    logged_in_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user} since {self.logged_in_at:%d %b %Y, %H:%M}"
