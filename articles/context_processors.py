from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import to_locale

from newsroom.page_cache import parameters_read

from .models import Section


def feed_links(title, rss_url, atom_url):
    return [
        {"title": f"{title} (RSS)", "url": rss_url, "type": "application/rss+xml"},
        {"title": f"{title} (Atom)", "url": atom_url, "type": "application/atom+xml"},
    ]


def canonical_url(request):
    """The page's own address: its path and the query parameters its view reads (a listing's
    ?before= or ?page=), but for a first page's ?page=1. Any other parameter (a share's
    utm_source) only makes a duplicate."""
    match = request.resolver_match
    names = parameters_read(match.func) if match else ()
    query = [(name, request.GET[name]) for name in names if name in request.GET]
    query = [(name, value) for name, value in query if (name, value) != ("page", "1")]
    return request.build_absolute_uri(request.path + (f"?{urlencode(query)}" if query else ""))


def site_feed_links():
    return feed_links(
        settings.NEWSROOM_SITE_NAME, reverse("articles:feed_rss"), reverse("articles:feed_atom")
    )


def section_feed_links(section):
    return feed_links(
        section.name,
        reverse("articles:section_feed_rss", args=[section.slug]),
        reverse("articles:section_feed_atom", args=[section.slug]),
    )


def site(request):
    """What every public page needs: the site's name, its sections and its feeds.

    A listing with feeds of its own (a section, a tag, an author) puts them in its context
    instead, which takes precedence over these.
    """
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_description": settings.NEWSROOM_SITE_DESCRIPTION,
        "language_code": settings.LANGUAGE_CODE,
        "og_locale": to_locale(settings.LANGUAGE_CODE),
        # Query strings other than the page number make duplicates, not pages of their own.
        "canonical_url": canonical_url(request),
        "navigation_sections": Section.objects.all(),
        "feeds": site_feed_links(),
    }
