"""Working copies: what an editor typed in an article's form and has not saved, kept on the
server by the form's autosave so that a closed tab, a crash or an expired session costs no text.

A working copy is not a change to the article: keeping one makes no revision, changes nothing
readers see, and is shown to nobody but the person who typed it. A real save of the article
clears it; copies older than NEWSROOM_WORKING_COPY_DAYS are never offered and are removed when
the next one is kept, or by `manage.py clear_working_copies`.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import WorkingCopy

# What the form sends, bounded: the form has a few dozen fields with a few inline rows.
MAX_FIELDS = 1000
MAX_NAME_LENGTH = 200


class BadFormData(ValueError):
    """The data is not a form as the article form's autosave sends it; the message says why."""


def check_form_data(data):
    """`data` as a working copy holds it, or BadFormData.

    {"fields": [[name, value], ...], "labels": {name: {value: text}}}: the form's fields in
    order, and the text of the options chosen in its pickers, which load their options only
    when opened.
    """
    if not isinstance(data, dict) or set(data) - {"fields", "labels"}:
        raise BadFormData("Send an object with “fields” and, optionally, “labels”.")
    fields = data.get("fields")
    if not isinstance(fields, list) or len(fields) > MAX_FIELDS:
        raise BadFormData(f"“fields” must be a list of at most {MAX_FIELDS} [name, value] pairs.")
    for pair in fields:
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair)
            and 0 < len(pair[0]) <= MAX_NAME_LENGTH
        ):
            raise BadFormData("Each of “fields” must be a [name, value] pair of strings.")
    labels = data.get("labels", {})
    if not isinstance(labels, dict) or len(labels) > MAX_FIELDS or not all(
        isinstance(name, str) and isinstance(options, dict)
        and all(isinstance(v, str) and isinstance(t, str) for v, t in options.items())
        for name, options in labels.items()
    ):
        raise BadFormData("“labels” must map field names to {value: text} objects.")
    return {"fields": fields, "labels": labels}


def oldest_kept():
    return timezone.now() - timedelta(days=settings.NEWSROOM_WORKING_COPY_DAYS)


def working_copy(user, article=None):
    """`user`'s working copy of `article` (None: of the article they have not saved yet)."""
    return WorkingCopy.objects.filter(
        user=user.pk, article=article, saved_at__gte=oldest_kept()
    ).first()


def keep_working_copy(user, data, article=None):
    """Keep `data` (checked by check_form_data) as `user`'s working copy of `article`."""
    clear_old_working_copies()
    copy, _ = WorkingCopy.objects.update_or_create(
        user=user, article=article, defaults={"data": data, "saved_at": timezone.now()}
    )
    return copy


def clear_working_copy(user, article=None):
    """Forget `user`'s working copy of `article`: they saved it, or chose to discard it."""
    WorkingCopy.objects.filter(user=user.pk, article=article).delete()


def clear_old_working_copies():
    """Remove the working copies too old to be offered. Returns how many went."""
    deleted, _ = WorkingCopy.objects.filter(saved_at__lt=oldest_kept()).delete()
    return deleted
