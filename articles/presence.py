"""Who else has a story open: each open article form sends a heartbeat every half minute
(static/admin/newsroom/presence.js), and whoever's heartbeat stopped more than two minutes ago
has gone. The form and the article list show the others; which articles a person may hear of is
the admin's to decide (articles.permissions), before any of this is asked."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from .models import Presence

HEARTBEAT = timedelta(seconds=30)
# Four heartbeats missed: a browser closed, a laptop shut, a network gone.
GONE_AFTER = timedelta(minutes=2)
# A form left is gone this soon: unless its person is back at once, as the same form is after
# saving it, when their first heartbeat keeps the time they opened it.
BACK_WITHIN = timedelta(seconds=15)


def current():
    """The presences whose heartbeat is fresh, with their people."""
    return Presence.objects.filter(last_seen__gte=timezone.now() - GONE_AFTER).select_related(
        "user"
    )


def record_heartbeat(article, user):
    """`user` has `article` open now: since their first heartbeat of this visit."""
    now = timezone.now()
    with transaction.atomic():
        fresh = Presence.objects.filter(
            article=article, user=user, last_seen__gte=now - GONE_AFTER
        ).update(last_seen=now)
        if not fresh:
            Presence.objects.update_or_create(
                article=article, user=user, defaults={"since": now, "last_seen": now}
            )
    # The gone are cleared as others come: the table holds only the open forms of the moment.
    Presence.objects.filter(last_seen__lt=now - GONE_AFTER).delete()


def record_leaving(article, user):
    """`user` closed the form or went to another page: others need not wait for the expiry."""
    Presence.objects.filter(article=article, user=user).update(
        last_seen=timezone.now() - GONE_AFTER + BACK_WITHIN
    )


def others_on(article, user):
    """The people other than `user` with `article` open, first come first."""
    return list(current().filter(article=article).exclude(user=user))


def with_presences(articles):
    """`articles` (a queryset) with each one's fresh presences as `open_now`, in one query for
    all of them."""
    return articles.prefetch_related(Prefetch("presences", queryset=current(), to_attr="open_now"))


def person(user):
    return user.get_full_name() or user.get_username()


def describe(presence):
    """“Mira Okafor has this story open since 10:42”."""
    since = timezone.localtime(presence.since).strftime("%H:%M")
    return f"{person(presence.user)} has this story open since {since}"


def as_json(presences):
    return [
        {
            "name": person(presence.user),
            "since": timezone.localtime(presence.since).isoformat(),
            "text": describe(presence),
        }
        for presence in presences
    ]
