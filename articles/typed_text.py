"""Text that staff type, cleaned once on its way into the database, whatever path writes it.

A control character pasted with a name, caption, credit, note or headline (a word processor's
line break is a vertical tab) shows on pages as a stray mark and breaks every feed's XML. Every
character and text field of the newsroom's models, and taggit's tag names, lose them as they are
saved: through the admin's forms, the wire importer, the demo, the shell, or a version restored
from the history (reversion's raw saves skip Model.save() but still send pre_save). Line breaks
and tabs stay; see strip_control_characters.

bulk_create() and QuerySet.update() send no signals: they write text the code made itself (the
synthetic newsroom's, the renditions record), never text someone typed.
"""

import re
from functools import cache

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_save

from .html import strip_control_characters

# Line breaks a word processor pastes (vertical tab, form feed, next line, the line and paragraph
# separators): a break, not nothing, or the words either side run together.
BREAK_CHARACTERS = "\x0b\x0c\x85\u2028\u2029"
LINE_BREAKS = re.compile(rf"[ \t]*[{BREAK_CHARACTERS}][ \t]*")
# Characters that hide or reorder what readers see: the C1 controls, the bidirectional
# overrides, embeddings and isolates (which can show a headline's words in another order than
# they are stored), and byte-order marks. The joiners and direction marks that scripts such as
# Persian and Arabic need are kept.
INVISIBLE = re.compile(r"[\x80-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_typed_text(text, multiline=False):
    """`text` as it may be kept: a pasted line break becomes a space (or, in text of several
    lines, a line break), and control and hiding characters go; tabs and line breaks stay."""
    text = LINE_BREAKS.sub("\n" if multiline else " ", text.strip(BREAK_CHARACTERS))
    return strip_control_characters(INVISIBLE.sub("", text))


@cache
def _text_fields(model):
    return [
        (field.attname, isinstance(field, models.TextField))
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]


def clean_text_fields(sender, instance, **kwargs):
    deferred = instance.get_deferred_fields()
    for name, multiline in _text_fields(sender):
        if name in deferred:
            continue  # not loaded, so not changed: reading it would cost a query
        value = getattr(instance, name)
        if isinstance(value, str):
            setattr(instance, name, clean_typed_text(value, multiline))


def connect_signals():
    from taggit.models import Tag

    for model in [*apps.get_app_config("articles").get_models(), Tag]:
        pre_save.connect(
            clean_text_fields, sender=model,
            dispatch_uid=f"newsroom-typed-text-{model._meta.label_lower}",
        )
