"""Who a review note is addressed to."""

from django.contrib.auth import get_user_model

from .. import roles


def editors_to_tell(exclude=None):
    """The active members of the Editor role: they are told when a story is handed in."""
    editors = get_user_model().objects.filter(is_active=True, groups__name=roles.EDITOR)
    if exclude is not None:
        editors = editors.exclude(pk=exclude.pk)
    return list(editors.distinct().order_by("pk"))


def people_in_thread(article, exclude=None):
    """The story's writer and everyone who has written in its thread, but `exclude`: those a
    comment is for."""
    User = get_user_model()
    people = User.objects.filter(is_active=True).filter(
        pk__in=[
            *article.review_notes.exclude(author=None).values_list("author", flat=True),
            *([article.created_by_id] if article.created_by_id else []),
        ]
    )
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people.order_by("pk"))
