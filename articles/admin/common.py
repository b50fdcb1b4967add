"""What the admin's pages share: how they show a time, and how lists of the things articles
use are filtered."""

from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone

from .. import permissions


class OwnFieldLookups:
    """A list of things articles use (images, tags, authors, sections) filtered from its
    address only by its own fields, for anyone who may not see every article: a filter through
    the articles (?articles__id__exact=…) would tell which of them use what."""

    def lookup_allowed(self, lookup, value, request):
        if not permissions.is_editor(request.user):
            try:
                field = self.model._meta.get_field(lookup.split(LOOKUP_SEP)[0])
            except FieldDoesNotExist:
                return False
            if field.is_relation and not field.concrete:  # the other end of a relation
                return False
        return super().lookup_allowed(lookup, value, request)


def format_time(value):
    """A time as the admin's messages and lists show it, in the newsroom's time zone."""
    return timezone.localtime(value).strftime("%d %b %Y, %H:%M")
