"""Tag names as editors and wire articles give them, made fit to keep, and the addresses made
from them."""

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from taggit.models import Tag

from .html import strip_control_characters
from .slugs import unique_slug

MAX_LENGTH = Tag._meta.get_field("name").max_length
SLUG_MAX_LENGTH = Tag._meta.get_field("slug").max_length


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


def fit_tag_slug(sender, instance, **kwargs):
    """Keep a tag's slug within its column, however the tag was made.

    Every new tag, from the article form, the wire importer, the demo or the shell, is made by
    taggit's TagBase.save(), which slugifies the whole name and numbers a slug already taken
    with _1, _2, …: a 100-character name gives 100 characters, and then 102 with the number,
    which SQLite keeps and PostgreSQL refuses. Slugifying can also lengthen a name (“ﬁ” is “fi”).
    A slug too long is made again here, cut to fit and numbered the same way if that is taken.
    """
    if instance.slug and len(instance.slug) > SLUG_MAX_LENGTH:
        instance.slug = unique_slug(Tag, instance.slugify(instance.name), separator="_", first=1)


def connect_signals():
    pre_save.connect(fit_tag_slug, sender=Tag, dispatch_uid="newsroom-tag-slug")
