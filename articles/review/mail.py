"""E-mail for review notices: one message per person, sent by a task after the save commits.

The worker (`manage.py db_worker`) sends it through Django's e-mail framework over SMTP. What a
message holds is what its recipient may see in the admin anyway — checked again when it is sent,
since roles change — and a link to the story there.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from .. import permissions
from ..models import Notice, ReviewNote

logger = logging.getLogger(__name__)

SUBJECTS = {
    ReviewNote.Kind.HANDED_IN: "Handed in",
    ReviewNote.Kind.SENT_BACK: "Sent back to you",
    ReviewNote.Kind.APPROVED: "Published",
    ReviewNote.Kind.COMMENT: "A note on",
}


def send_notice_emails(notices, site_url):
    """Once the transaction commits, queue an e-mail for each notice whose recipient has an
    address. A queue that cannot be reached is logged, never raised into the save."""
    for notice in notices:
        if notice.recipient.email:
            transaction.on_commit(partial(_enqueue, notice.pk, site_url), robust=True)


def _enqueue(notice_id, site_url):
    email_notice.enqueue(notice_id, site_url)


@task()
def email_notice(notice_id, site_url):
    """Send notice `notice_id` to its recipient, once. Returns what happened, for the task's
    result."""
    notice = (
        Notice.objects.select_related("recipient", "note__author", "note__article")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None or notice.emailed_at is not None:
        return "nothing to send"
    recipient, article = notice.recipient, notice.note.article
    if not (recipient.is_active and recipient.email and permissions.can_view(recipient, article)):
        return "not for this person now"
    notice_message(notice, site_url).send()
    Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    return "sent"


def subject_for(note):
    what = SUBJECTS[note.kind]
    if note.kind == ReviewNote.Kind.APPROVED and note.is_scheduling:
        what = "Scheduled"
    return f"{what}: {note.article.headline}"


def notice_message(notice, site_url):
    note = notice.note
    context = {
        "note": note,
        "article": note.article,
        "recipient": notice.recipient,
        "author_name": person_name(note.author),
        "recipient_name": person_name(notice.recipient),
        "link": site_url.rstrip("/") + reverse(
            "admin:articles_article_change", args=[note.article.pk]
        ) + "#review",
        "site_name": settings.NEWSROOM_SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=" ".join(subject_for(note).split()),  # one line, whatever the headline holds
        body=render_to_string("articles/review/notice_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.recipient.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(
        render_to_string("articles/review/notice_email.html", context), "text/html"
    )
    return message


def person_name(user):
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()
