from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def datetime_attribute(value):
    """A time as <time datetime="…"> gives it, in the site's time zone: 2026-11-27T09:30:00+0000.

    What `date:'Y-m-d\\TH:i:sO'` writes, at a fraction of the cost: a listing has a dozen.
    """
    if not value:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M:%S%z")


@register.filter
def iso_time(value):
    """A time in ISO 8601 in the site's time zone, as sitemaps give it: what `date:"c"` writes,
    at a fraction of the cost, for a sitemap's hundreds of entries."""
    if not value:
        return ""
    return timezone.localtime(value).isoformat()
