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

from functools import cache

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_save

from .html import strip_control_characters


@cache
def _text_fields(model):
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]


def clean_typed_text(sender, instance, **kwargs):
    for name in _text_fields(sender):
        value = getattr(instance, name)
        if isinstance(value, str):
            setattr(instance, name, strip_control_characters(value))


def connect_signals():
    from taggit.models import Tag

    for model in [*apps.get_app_config("articles").get_models(), Tag]:
        pre_save.connect(
            clean_typed_text, sender=model,
            dispatch_uid=f"newsroom-typed-text-{model._meta.label_lower}",
        )
