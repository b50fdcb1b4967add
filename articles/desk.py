"""The desk: the admin's home, from which a newsroom runs its day.

Each section is one named set of articles, defined once here and used twice: for the desk's
first few entries and count, and for the article list's "On the desk" filter that its "See all"
link opens. Every set starts from permissions.articles_for(user): a writer's desk shows only what
their article list shows, never a colleague's draft.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from . import review
from .models import Article, Correction, StatusChange
from .permissions import articles_for

# Entries shown in each section; the rest are a "See all" away.
SHOWN = 8


def _start_of_day(days_from_today=0):
    today = timezone.localdate() + timedelta(days=days_from_today)
    return timezone.make_aware(datetime.combine(today, time.min))


def in_review(user):
    """Handed in and waiting for an editor, the longest waiting first."""
    hand_ins = StatusChange.objects.filter(
        article=OuterRef("pk"), status=Article.Status.IN_REVIEW
    ).order_by("-changed_at", "-pk")
    return (
        articles_for(user)
        .filter(status=Article.Status.IN_REVIEW)
        .annotate(
            handed_in_at=Coalesce(Subquery(hand_ins.values("changed_at")[:1]), "modified_at")
        )
        .order_by("handed_in_at", "pk")
    )


def scheduled_soon(user):
    """Going out by themselves before the end of tomorrow, soonest first."""
    return (
        articles_for(user)
        .scheduled()
        .filter(published_at__lt=_start_of_day(2))
        .order_by("published_at", "pk")
    )


def my_drafts(user):
    """The drafts this person started, the last saved first."""
    return (
        articles_for(user)
        .filter(status=Article.Status.DRAFT, created_by=user.pk)
        .order_by("-modified_at", "-pk")
    )


RECENT = timedelta(hours=24)


def recently_published(user):
    """Out for readers in the last 24 hours, newest first."""
    return (
        articles_for(user)
        .published()
        .filter(published_at__gte=timezone.now() - RECENT)
        .order_by("-published_at", "-pk")
    )


def corrected_today(user):
    """Given a correction (or clarification, update, editor's note) since midnight, the last
    corrected first."""
    today = Correction.objects.filter(article=OuterRef("pk"), created_at__gte=_start_of_day())
    latest = today.order_by("-created_at", "-pk").values("created_at")[:1]
    return (
        articles_for(user)
        .filter(Exists(today))
        .annotate(corrected_at=Subquery(latest))
        .order_by("-corrected_at", "-pk")
    )


@dataclass(frozen=True)
class Section:
    key: str  # the "On the desk" filter's value in the article list's address
    title: str
    articles: callable
    empty: str


SECTIONS = [
    Section("in-review", "In review", in_review, "Nothing is waiting for an editor."),
    Section(
        "scheduled", "Scheduled today and tomorrow", scheduled_soon,
        "Nothing is scheduled before the end of tomorrow.",
    ),
    Section("my-drafts", "My drafts", my_drafts, "You have no drafts."),
    Section(
        "recently-published", "Recently published", recently_published,
        "Nothing went out in the last 24 hours.",
    ),
    Section(
        "corrected-today", "Corrections today", corrected_today,
        "No story was corrected today.",
    ),
]
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}


def notices_for(user):
    """The review conversation's notices addressed to `user` and not yet read (a story handed
    in, sent back, approved or commented on), newest first, each with `text`, `article` and
    `at`. Opening the story marks them read (see articles.review)."""
    return [
        {
            "text": f"{notice.note.get_kind_display()} by {_person(notice.note.author)}"
            + (f": {_opening(notice.note.text)}" if notice.note.text else ""),
            "article": notice.note.article,
            "at": notice.note.created_at,
        }
        for notice in review.notices_for(user, limit=SHOWN)
    ]


def _opening(text, length=120):
    """A note's first words, for a line on the desk."""
    line = " ".join(text.split())
    return line if len(line) <= length else line[: length - 1].rsplit(" ", 1)[0] + "…"


def desk_for(user):
    """What the desk shows `user`: the notices and each section's count and first entries, in a
    fixed number of queries however full the desk. None for someone who may not see articles."""
    if not user.has_perm("articles.view_article"):
        return None
    everyone = articles_for(user)
    counts = everyone.aggregate(**{
        section.key: Count("pk", filter=Q(pk__in=section.articles(user).values("pk")))
        for section in SECTIONS
    })
    list_url = reverse("admin:articles_article_changelist")
    sections = []
    for section in SECTIONS:
        articles = section.articles(user).select_related("section")
        if section.key == "in-review":
            hand_ins = StatusChange.objects.filter(status=Article.Status.IN_REVIEW)
            articles = articles.prefetch_related(
                Prefetch(
                    "status_changes",
                    queryset=hand_ins.select_related("changed_by"),
                    to_attr="hand_ins",
                )
            )
        sections.append({
            "key": section.key,
            "title": section.title,
            "count": counts[section.key],
            "entries": [_entry(section.key, article) for article in articles[:SHOWN]],
            "empty": section.empty,
            "see_all": f"{list_url}?desk={section.key}",
        })
    return {"notices": notices_for(user), "sections": sections}


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else "someone"


def _when(value):
    """A time as the desk says it: "10:42" today, "tomorrow 09:00", else "3 Dec 10:42"."""
    local = timezone.localtime(value)
    day = (local.date() - timezone.localdate()).days
    if day == 0:
        return local.strftime("%H:%M")
    if day == 1:
        return local.strftime("tomorrow %H:%M")
    if day == -1:
        return local.strftime("yesterday %H:%M")
    return f"{local.day} {local:%b %H:%M}"


def _entry(key, article):
    if key == "in-review":
        hand_in = article.hand_ins[-1] if article.hand_ins else None
        who = _person(hand_in.changed_by if hand_in else None)
        detail = f"Handed in by {who}, waiting since {_when(article.handed_in_at)}"
    elif key == "scheduled":
        detail = f"Goes out {_when(article.published_at)}"
    elif key == "my-drafts":
        detail = f"Last saved {_when(article.modified_at)}"
    elif key == "recently-published":
        detail = f"Out since {_when(article.published_at)}"
    else:
        detail = f"Corrected {_when(article.corrected_at)}"
    return {
        "headline": article.headline,
        "url": reverse("admin:articles_article_change", args=[article.pk]),
        "section": article.section.name,
        "detail": detail,
    }
