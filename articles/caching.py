"""The content version: what counts as a change readers can see, and the token that says so.

Every page an anonymous reader gets is kept in the page cache (newsroom.page_cache) under a key
that holds the *content version*: a token that changes whenever anything a reader can see
changes (an article published, unpublished or edited, a correction, an image's credit, a
section's name) and when the next scheduled article's time comes, or the next published article's
expiry. A change therefore makes every
page fresh on the very next request, with no list of pages to purge and no time to wait.

Saving or deleting any model of the newsroom changes the version by itself (connect_signals);
code that changes what readers see some other way calls content_changed(). A view whose page
changes by itself at a known time says so with expire_page().
"""

import hashlib
import logging
import uuid
from typing import NamedTuple

from django.apps import apps
from django.core.cache import caches
from django.db import transaction
from django.db.models import Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
# A version is made anew at least this often. Only if the shared cache could not be written when
# something changed (its server was down) does this bound matter: then, and only then, a page
# cached before the change may be served until the version runs out.
VERSION_LIFETIME = 60 * 60


class ContentVersion(NamedTuple):
    """One content version. The times are POSIX timestamps.

    The shared cache holds it as a plain tuple, the form every release reads.
    """

    token: str
    made_at: float
    # When the next scheduled article is due or the next published one expires, which starts a
    # new version; None if neither is.
    next_due: float | None


def _new_version():
    from .models import Article

    now = timezone.now()
    # Both times in one query, each read from its own index.
    next_times = Article.objects.order_by().annotate(
        next_scheduled=Subquery(
            Article.objects.scheduled().order_by("published_at").values("published_at")[:1]
        ),
        next_expiry=Subquery(
            Article.objects.expiring().order_by("expires_at").values("expires_at")[:1]
        ),
    ).values_list("next_scheduled", "next_expiry")[:1]
    times = next(iter(next_times), ())
    next_due = min((time for time in times if time is not None), default=None)
    return ContentVersion(
        uuid.uuid4().hex, now.timestamp(), next_due.timestamp() if next_due else None
    )


def bump_content_version():
    """Make every reader's page fresh on its next request. Returns the new version."""
    version = _new_version()
    caches["default"].set(VERSION_KEY, tuple(version), timeout=VERSION_LIFETIME)
    return version


def content_version():
    """The current content version; a scheduled article whose time has come, or a published one
    whose expiry has, starts a new one."""
    stored = caches["default"].get(VERSION_KEY)
    version = None if stored is None else ContentVersion._make(stored)
    if version is None or (
        version.next_due is not None and timezone.now().timestamp() >= version.next_due
    ):
        version = bump_content_version()
    return version


def content_changed(using=None):
    """Call after changing what readers see; saving or deleting a newsroom model calls it itself.

    The version changes at once, so the writer's own transaction reads its change, and again
    after the commit: a reader who rendered the old content in between cached it under a version
    that is already gone.
    """
    _bump_or_log()
    transaction.on_commit(_bump_or_log, using=using)


def _bump_or_log():
    # An editor's save must never fail because the cache server is down.
    try:
        bump_content_version()
    except Exception:
        logger.exception("The content version could not be changed; cached pages may be stale.")


def _model_changed(sender, raw=False, using=None, **kwargs):
    if not raw:  # loading fixtures
        content_changed(using)


def _links_changed(sender, using=None, **kwargs):
    # Only the newsroom's own links (bylines, tags) change what readers see. Others, such as a
    # role's permissions given by a migration before the articles' table has its latest columns,
    # must not read the articles.
    if sender._meta.app_label == "articles":
        content_changed(using)


# Models of the newsroom no reader ever sees, some written every few seconds while an editor
# works: their unsaved typing, who has a story open, and the review conversation.
UNSEEN_BY_READERS = {
    "articles.workingcopy", "articles.presence", "articles.reviewnote", "articles.notice",
}


def connect_signals():
    """Every model of the newsroom, and its tags, bumps the content version when it changes."""
    from taggit.models import Tag

    models = [
        model for model in apps.get_app_config("articles").get_models()
        if model._meta.label_lower not in UNSEEN_BY_READERS
    ] + [Tag]
    for model in models:
        uid = f"newsroom-content-{model._meta.label_lower}"
        post_save.connect(_model_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_model_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_links_changed, dispatch_uid="newsroom-content-m2m")


def content_etag(content):
    """A strong ETag: the digest of the page's bytes, so that any change to them changes it."""
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def expire_page(response, when):
    """Keep this page in the cache no later than `when`: it changes by itself at that time."""
    response.page_expires = when.timestamp()
