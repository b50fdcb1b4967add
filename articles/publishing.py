"""An article's workflow: draft → in review → published (or scheduled) → unpublished.

Each step is an explicit function, shared by the admin's form and actions and the wire importer.
Each saves the article and records who took the step and when.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Article, Correction, StatusChange


def _status_before(article):
    """The status the workflow last recorded for the article, or else the stored row's: one query.

    The recorded step comes first: restoring a version from the history writes the stored row
    (a raw save) before the admin's save of the restored form comes here.
    """
    if article.pk is None:
        return None
    recorded = (
        StatusChange.objects.filter(article=OuterRef("pk"))
        .order_by("-changed_at", "-pk")
        .values("status")[:1]
    )
    stored = Article.objects.filter(pk=article.pk).order_by()
    return stored.values_list(Coalesce(Subquery(recorded), "status"), flat=True).first()


def _save_and_record(article, by):
    """Save the article; if its status changed, note who changed it.

    The save keeps everything else that must hold after it (see articles.saving).
    """
    with transaction.atomic():
        changed = _status_before(article) != article.status
        article.save()
        if changed:
            StatusChange.objects.create(article=article, status=article.status, changed_by=by)
    return article


def return_to_draft(article, by=None):
    article.status = Article.Status.DRAFT
    return _save_and_record(article, by)


def submit_for_review(article, by=None):
    """A writer hands the article to the editors."""
    article.status = Article.Status.IN_REVIEW
    return _save_and_record(article, by)


def check_publishable(article):
    """Raise ValidationError if the article may not go out as it is.

    Its lead image must say who made it and what it shows: readers, feeds and search engines
    all get the credit and the alt text wherever the image goes.
    """
    image = article.lead_image
    if image is None:
        return
    missing = [
        what for what, value in (("credit", image.credit), ("alt text", image.alt_text))
        if not (value or "").strip()
    ]
    if missing:
        raise ValidationError({
            "lead_image": ValidationError(
                "The lead picture has %(missing)s, so the story cannot be published. Add "
                "%(them)s to the picture first.",
                code="lead_image_incomplete",
                params={"missing": " and ".join(f"no {what}" for what in missing),
                        "them": "them" if len(missing) > 1 else "it"},
            )
        })


def publish(article, by=None, at=None):
    """Make the article public at `at` (default: its own publication time, or now).

    A time in the future schedules it; it then appears by itself when the time comes. Refused,
    with a ValidationError, if the article may not be published (see check_publishable).
    """
    check_publishable(article)
    article.status = Article.Status.PUBLISHED
    article.published_at = at or article.published_at or timezone.now()
    # Until readers have seen it, a rescheduled article's first publication moves with it.
    if article.first_published_at is None or article.first_published_at > timezone.now():
        article.first_published_at = article.published_at
    return _save_and_record(article, by)


def unpublish(article, by=None):
    """Take the article off the site; its dates are kept for when it returns."""
    article.status = Article.Status.UNPUBLISHED
    return _save_and_record(article, by)


TRANSITIONS = {
    Article.Status.DRAFT: return_to_draft,
    Article.Status.IN_REVIEW: submit_for_review,
    Article.Status.PUBLISHED: publish,
    Article.Status.UNPUBLISHED: unpublish,
}


def mark_updated(article, at=None):
    """Tell readers the article changed in substance: they see “Updated” and feeds see it anew."""
    article.updated_at = at or timezone.now()


def add_correction(article, text, kind=Correction.Kind.CORRECTION, by=None, at=None):
    """Record a correction; the article counts as updated from then on."""
    with transaction.atomic():
        correction = Correction.objects.create(
            article=article, kind=kind, text=text, created_by=by, created_at=at or timezone.now()
        )
        mark_updated(article, correction.created_at)
        article.save(update_fields=["updated_at", "modified_at"])
    return correction


def keep_first_publication(article, stored):
    """A version restored from the history never takes back when readers first saw the article.

    Reversion restores with raw saves, which write the version's first_published_at (none, for
    a version from before publication) over the stored one; only a time still to come, for a
    article that was scheduled and never seen, may change. Called by the raw save (see
    articles.saving), with `stored` the article's row as it was before, or None.
    """
    first = stored.first_published_at if stored is not None else None
    if first is not None and first <= timezone.now():
        article.first_published_at = first
