"""The review steps: hand in, send back, approve (and publish or schedule), and a comment.

Each is one function, used by the article's form, the list's actions and anything else that moves
a story through review. Each checks who may take it, moves the story through the workflow's own
step (articles.publishing), records a note in the story's thread, and addresses the note to the
people it concerns: their desk shows it at once, and an e-mail follows through a task once the
transaction has committed, so mail never slows or fails the save.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import permissions
from ..models import Article, Notice, ReviewNote
from ..publishing import TRANSITIONS, publish, return_to_draft, submit_for_review
from .people import editors_to_tell, people_in_thread

NOTE_MAX_LENGTH = 5000


def stored_status(article):
    """The article's status as saved, before the change being made to it: None if it is new."""
    if article.pk is None:
        return None
    return Article.objects.filter(pk=article.pk).values_list("status", flat=True).first()


# Who may take each step, judged on the article as it is saved.


def may_hand_in(user, article):
    """A writer their own draft (or the article they are writing), an editor any draft."""
    if article.pk is None:
        return user.has_perm("articles.add_article")
    if stored_status(article) != Article.Status.DRAFT:
        return False
    if not user.has_perm("articles.change_article"):
        return False
    return permissions.is_editor(user) or permissions.is_own(user, article)


def may_send_back(user, article):
    return permissions.is_editor(user) and stored_status(article) == Article.Status.IN_REVIEW


def may_approve(user, article):
    return permissions.is_editor(user) and stored_status(article) != Article.Status.PUBLISHED


def may_comment(user, article):
    return article.pk is not None and permissions.can_view(user, article)


def _refuse_unless(allowed, what):
    if not allowed:
        raise PermissionDenied(f"You may not {what} this story.")


def _clean_text(text, required, what):
    text = (text or "").strip()
    if required and not text:
        raise ValidationError(f"Write a note {what}.", code="required")
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            f"Keep the note under {NOTE_MAX_LENGTH} characters.", code="max_length"
        )
    return text


# The steps.


def hand_in(article, by, note="", site_url=""):
    """The writer hands the story to the editors, with a note if they like."""
    _refuse_unless(may_hand_in(by, article), "hand in")
    text = _clean_text(note, False, "")
    with transaction.atomic():
        submit_for_review(article, by=by)
        return _record(article, by, ReviewNote.Kind.HANDED_IN, text,
                       editors_to_tell(exclude=by), site_url)


def send_back(article, by, note, site_url=""):
    """An editor returns the story to its writer as a draft, saying what should change."""
    _refuse_unless(may_send_back(by, article), "send back")
    text = _clean_text(note, True, "to say what should change")
    with transaction.atomic():
        return_to_draft(article, by=by)
        return _record(article, by, ReviewNote.Kind.SENT_BACK, text,
                       _writer_unless(article, by), site_url)


def approve(article, by, note="", at=None, site_url=""):
    """An editor approves the story and publishes it: now, or at `at` (or its own publication
    time) if that is still to come, which schedules it."""
    _refuse_unless(may_approve(by, article), "approve")
    text = _clean_text(note, False, "")
    was_in_review = stored_status(article) == Article.Status.IN_REVIEW
    with transaction.atomic():
        publish(article, by=by, at=at)
        writer = _writer_unless(article, by)
        # An editor publishing their own story, unasked and without a word, tells no one.
        if not (text or writer or was_in_review):
            return None
        return _record(article, by, ReviewNote.Kind.APPROVED, text, writer, site_url,
                       publish_at=article.published_at)


def comment(article, by, note, site_url=""):
    """A note in the thread, for the others in the conversation."""
    _refuse_unless(may_comment(by, article), "comment on")
    text = _clean_text(note, True, "")
    with transaction.atomic():
        return _record(article, by, ReviewNote.Kind.COMMENT, text,
                       people_in_thread(article, exclude=by), site_url)


STEPS = {
    "hand_in": hand_in,
    "send_back": send_back,
    "approve": approve,
    "comment": comment,
}


def take_step(article, step, by, note="", site_url="", at=None):
    """Save the article through the review step named `step`, or, with none, through the
    workflow's step for its status (articles.publishing.TRANSITIONS)."""
    if step is None:
        return TRANSITIONS[article.status](article, by=by)
    if step == "approve":
        return approve(article, by, note, at=at, site_url=site_url)
    if step == "comment":
        with transaction.atomic():
            TRANSITIONS[article.status](article, by=by)
            return comment(article, by, note, site_url=site_url)
    return STEPS[step](article, by, note, site_url=site_url)


def _writer_unless(article, by):
    writer = article.created_by
    if writer is None or writer.pk == by.pk or not writer.is_active:
        return []
    return [writer]


def _record(article, by, kind, text, recipients, site_url, publish_at=None):
    from .mail import send_notice_emails

    note = ReviewNote.objects.create(
        article=article, author=by, kind=kind, text=text, created_at=timezone.now(),
        publish_at=publish_at,
    )
    notices = Notice.objects.bulk_create(
        Notice(note=note, recipient=person) for person in {p.pk: p for p in recipients}.values()
    )
    send_notice_emails(notices, site_url)
    return note
