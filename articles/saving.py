"""What holds after every save of an article, however it was saved.

An article is saved by the admin's form, a step of the workflow, a version restored from the
history, the wire importer, the shell, a data migration. The rules that must hold whichever it
was live on the save itself, in one pair of receivers: before the save, the stored row is read
once (not at all for a save whose update_fields name nothing the rules watch), and each rule
compares it with what is saved.

- A published article's old address keeps leading to it (see articles.addresses).
- Its tags' and bylines' links carry its publication time: tag and author pages and feeds list
  articles in the order of these copies (ArticleQuerySet.tagged, written_by). The time is copied
  to the links when it changed.
- A version restored from the history never takes back when readers first saw the article (see
  publishing.keep_first_publication).

Restoring a version saves every row with save_base(raw=True), which skips Model.save() but still
sends these signals. The links it brings back may carry the time they had then, or none at all
(a version kept before links had one), and the article may be restored before its links or after
them. So a raw save of an article copies its time to its links whatever it was, and a link saved
raw takes its article's time as it stands. Versions keep no copy of the links' times (see
articles.models): reversion serialises an article's links in its own post_save receiver, before
this module's runs, so the copy it kept was the links' time before the save.

QuerySet.update() and bulk_create() send no signals: code that changes publication times, or
makes links, that way must call copy_publication_times() itself.
"""

from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_save, pre_save

from .addresses import ADDRESS_FIELDS, known_address, remember_address
from .models import Article, ArticleTag, Byline
from .publishing import keep_first_publication

# Each kind of link, with its key to the article.
LINKS = {ArticleTag: "content_object", Byline: "article"}

# What the rules read the stored row for: the address is made of these, and the links copy the
# publication time. A save whose update_fields name none of them can break no rule.
WATCHED_FIELDS = ADDRESS_FIELDS | {"published_at"}


def copy_publication_times(articles):
    """Copy each of `articles`' (a queryset) publication time onto its tags' and bylines' links.

    For bulk writes, which send no signals; a save of an article copies its own time.
    """
    for model, key in LINKS.items():
        published_at = Article.objects.filter(pk=OuterRef(key)).values("published_at")
        model.objects.filter(**{f"{key}__in": articles.values("pk")}).update(
            published_at=Subquery(published_at)
        )


def _copy_publication_time(article):
    for model, key in LINKS.items():
        model.objects.filter(**{key: article.pk}).update(published_at=article.published_at)


def _stored_row(article):
    """The article as it is stored, with what the rules compare, or None if it is not yet."""
    try:
        return (
            Article.objects.select_related("section")
            .only(
                "slug", "status", "published_at", "created_at", "first_published_at",
                "section__slug",
            )
            .get(pk=article.pk)
        )
    except Article.DoesNotExist:  # a row saved with its own key for the first time
        return None


def _read_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._stored_before_save = None
    if instance.pk is None:
        return
    if update_fields is not None and not WATCHED_FIELDS.intersection(update_fields):
        return
    stored = instance._stored_before_save = _stored_row(instance)
    if raw:
        keep_first_publication(instance, stored)


def _keep_after_save(sender, instance, raw=False, update_fields=None, **kwargs):
    stored = instance.__dict__.pop("_stored_before_save", None)
    old_path = known_address(stored)
    if old_path and old_path != instance.get_absolute_url():
        remember_address(instance, old_path)
    if raw:
        # A restore: the links it brought back may carry any time, or none.
        _copy_publication_time(instance)
    elif stored is not None and stored.published_at != instance.published_at:
        if update_fields is None or "published_at" in update_fields:
            _copy_publication_time(instance)


def _take_article_time(sender, instance, raw=False, **kwargs):
    """A link restored from the history takes its article's time as it stands.

    Read by the link's own INSERT or UPDATE, so a restore costs no query per link; the restored
    instance holds the expression, as after any save of one. Model.save() gives a link made any
    other way the time of the article in hand.
    """
    if raw:
        article_id = getattr(instance, f"{LINKS[sender]}_id")
        instance.published_at = Subquery(
            Article.objects.filter(pk=article_id).values("published_at")
        )


def connect_signals():
    pre_save.connect(_read_before_save, sender=Article, dispatch_uid="newsroom-article-before")
    post_save.connect(_keep_after_save, sender=Article, dispatch_uid="newsroom-article-after")
    for model in LINKS:
        pre_save.connect(
            _take_article_time, sender=model,
            dispatch_uid=f"newsroom-link-time-{model._meta.label_lower}",
        )
