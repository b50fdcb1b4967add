"""Tag names as editors and wire stories give them, made fit to keep."""

from django.core.exceptions import ValidationError
from taggit.models import Tag

from .html import strip_control_characters

MAX_LENGTH = Tag._meta.get_field("name").max_length


def clean_tag_names(names):
    """Trimmed, de-duplicated (ignoring case) tag names, or ValidationError naming the bad one.

    A name must fit the tag table and give a web address: “!!!” has no letters to make one from.
    """
    cleaned = {}
    for name in names:
        name = " ".join(strip_control_characters(str(name)).split())
        if not name:
            continue
        if len(name) > MAX_LENGTH:
            raise ValidationError(
                "The tag “%(name)s…” is too long: at most %(limit)s characters.",
                params={"name": name[:30], "limit": MAX_LENGTH},
            )
        if not Tag().slugify(name):
            raise ValidationError(
                "The tag “%(name)s” needs at least one letter or digit.", params={"name": name}
            )
        cleaned.setdefault(name.casefold(), name)
    return list(cleaned.values())
