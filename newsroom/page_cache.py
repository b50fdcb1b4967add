"""Readers' pages from the cache, and never a stale one: the request side of the page cache.

Every page an anonymous reader gets — home, sections, articles, tags, authors, feeds, sitemaps,
search — is kept in the "pages" cache under a key that holds the content version
(articles.caching), which changes with anything a reader can see: a change makes every page
fresh on the very next request.

A page is told apart from the site's other pages by its address: its host (as the settings name
it; see site_host), its path, and only those query parameters that the view answering there
reads, as its `query_parameters` name them (a listing's ?before= and ?page=, a search's ?q=, a
sitemap's ?p=). Any other parameter — a share's utm_source, or a script's ?x=1, ?x=2, … — leaves
the page as it is, and so is served the page's own entry: a query string cannot fill the cache
with copies of one page.

Never cached: anything for a signed-in user (a request with a session cookie), the admin, static
and media files, previews and share links (they say private or no-store), responses that set a
cookie, and anything but a 200.

The middleware comes first in MIDDLEWARE, so a hit skips sessions, authentication, URL routing,
the view and the templates: it costs two cache reads. Only an address that carries a parameter
some other view reads (?page= on an article) is routed, to find that its page is the one without.
"""

import functools
import hashlib
import logging
import re
import uuid
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.utils import timezone
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, urlencode

from articles.caching import content_etag, content_version

logger = logging.getLogger(__name__)

# Pages cached by an earlier release of the code (other templates, other headers) are never
# served by this one. A deploy may name its release, so that app servers share their pages.
RELEASE = settings.NEWSROOM_RELEASE or uuid.uuid4().hex[:12]

# Response headers a cached page may vary on: the encoding is part of the cache key, and the
# cookie only ever tells signed-in users apart, who never get a cached page.
HARMLESS_VARY = {"accept-encoding", "cookie"}

CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


class PageEntry(NamedTuple):
    """A page as the cache keeps it (as a plain tuple, the form every release reads)."""

    status: int
    headers: list
    content: bytes
    # A POSIX timestamp past which the page is not served (see articles.caching.expire_page);
    # None if it lasts as long as its content version.
    expires: float | None


def parameters_read(view):
    """The query parameters `view` reads, as its `query_parameters` name them (on the class, for a
    class-based view). A view that reads one must name it: the page cache tells pages apart by
    these alone."""
    return tuple(getattr(getattr(view, "view_class", view), "query_parameters", ()))


@functools.cache
def parameters_read_anywhere(resolver):
    """Every query parameter that some view of the site reads."""
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            names.update(parameters_read_anywhere(pattern))
        else:
            names.update(parameters_read(pattern.callback))
    return frozenset(names)


@functools.cache
def naming_any(names):
    """A pattern that finds any of `names` written out, unencoded, as a raw query's parameter."""
    return re.compile(rf"(?:^|&)(?:{'|'.join(map(re.escape, sorted(names)))})(?:[=&]|$)")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.NEWSROOM_PAGE_CACHE
        self.cdn_max_age = settings.NEWSROOM_CDN_MAX_AGE
        self.session_cookie = f"{settings.SESSION_COOKIE_NAME}="
        # Files are the same for everyone and carry their own caching headers.
        self.files = tuple(
            prefix
            for prefix in ("/" + settings.STATIC_URL.lstrip("/"), settings.MEDIA_URL)
            if prefix.startswith("/")
        )
        self.excluded = ("/admin/", *self.files)
        self.site_names = {
            name.lower() for name in settings.ALLOWED_HOSTS if not name.startswith((".", "*"))
        }
        self.forwarded_host = settings.USE_X_FORWARDED_HOST

    def __call__(self, request):
        if not self.for_readers(request):
            response = self.get_response(request)
            signed_in = self.session_cookie in request.META.get("HTTP_COOKIE", "")
            if signed_in and not request.path.startswith(self.files):
                # A signed-in user's page: no shared cache in front of the site may keep it.
                patch_cache_control(response, private=True)
            return response
        try:
            version = content_version()
        except Exception:  # the cache is down: serve the page itself, and say so in the log
            logger.exception("The content version could not be read; serving uncached.")
            return self.get_response(request)
        key = entry = None
        host = self.site_host(request) if self.enabled else None
        if host:
            query = self.query(request)
            key = self.key(request, host, version.token, query)
            entry = self.read(key)
            if not self.fresh(entry) and query:
                # A parameter that some view reads, but perhaps not the view at this address:
                # then its page is the one without it. Only here is the address routed.
                own = self.own_query(request, query)
                if own is None:  # nothing answers at this address
                    key = None
                elif own != query:
                    key = self.key(request, host, version.token, own)
                    entry = self.read(key)
        if self.fresh(entry):
            return self.replay(request, entry)
        # A reader's conditional request is answered here, below, from the page as stored: the
        # view is asked for the whole page, which the next reader can be served, where a 304
        # could not be stored at all.
        conditions = {
            name: request.META.pop(name) for name in CONDITIONAL_HEADERS if name in request.META
        }
        try:
            response = self.get_response(request)
        finally:
            request.META.update(conditions)
        if not self.storable(request, response):
            return response
        self.add_validators(response, version)
        if key:
            self.store(key, response)
            response["X-Cache"] = "miss"
        if request.method == "HEAD":
            response["Content-Length"] = len(response.content)
            response.content = b""
        return self.conditional(request, response)

    def for_readers(self, request):
        return (
            request.method in ("GET", "HEAD")
            and self.session_cookie not in request.META.get("HTTP_COOKIE", "")
            and not request.path.startswith(self.excluded)
        )

    def site_host(self, request):
        """The host the page is for, if the request names the site as ALLOWED_HOSTS lists it,
        on no port or on the one the server listens on; None if it names it otherwise.

        Django answers the same name in any case, with a trailing dot and on any port, and a
        page says its host in its links: each spelling would be a page of its own, and any
        number of them can be made up. So can names that only a wildcard (.example.org, *)
        allows. Those pages are served, but never stored.
        """
        meta = request.META
        if self.forwarded_host or "HTTP_HOST" not in meta:
            host = request.get_host()  # a host Django refuses is a 400 here
        else:
            host = meta["HTTP_HOST"]
        if host in self.site_names:  # the usual case: the name alone, as a proxy in front sends it
            return host
        name, port = split_domain_port(host)
        if name in self.site_names and port in ("", meta.get("SERVER_PORT")):
            return host if host == (f"{name}:{port}" if port else name) else None
        return None

    def query(self, request):
        """The query parameters that some view of the site reads, each once with the value views
        read (the last) and in one order. The rest tell no page apart: they are left out."""
        raw = request.META.get("QUERY_STRING", "")
        if not raw:
            return []
        names = parameters_read_anywhere(get_resolver())
        # Most query strings that reach a cached page (a share's utm_source) name none of them,
        # and parsing one would add a sixth to the cost of a hit: such a string is not parsed. A
        # name is one of these only if written out as it is, or encoded with %.
        if "%" not in raw and not naming_any(names).search(raw):
            return []
        return sorted((name, request.GET[name]) for name in names & request.GET.keys())

    def own_query(self, request, query):
        """`query` without what the view at this address does not read; None if there is none."""
        try:
            view = resolve(request.path_info).func
        except Resolver404:
            return None
        names = parameters_read(view)
        return [(name, value) for name, value in query if name in names]

    def key(self, request, host, version, query):
        accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
        encoding = "gzip" if "gzip" in accepted else "identity"
        address = f"{request.scheme}://{host}{request.path}"
        if query:
            address += f"?{urlencode(query)}"
        digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
        return f"page:{RELEASE}:{version}:{encoding}:{digest}"

    def read(self, key):
        try:
            stored = caches["pages"].get(key)
        except Exception:
            logger.exception("The page cache could not be read.")
            return None
        return None if stored is None else PageEntry._make(stored)

    def fresh(self, entry):
        return entry is not None and (
            entry.expires is None or timezone.now().timestamp() < entry.expires
        )

    def store(self, key, response):
        expires = getattr(response, "page_expires", None)
        entry = PageEntry(response.status_code, list(response.items()), response.content, expires)
        try:
            caches["pages"].set(key, tuple(entry))
        except Exception:
            logger.exception("The page cache could not be written.")

    def storable(self, request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        vary = {field.strip().lower() for field in cc_delim_re.split(response.get("Vary", ""))}
        if not vary - {""} <= HARMLESS_VARY:
            return False
        # A view that looked at the signed-in user (previews, "edit" links) is not for readers.
        return not getattr(request, "user", None) or not request.user.is_authenticated

    def add_validators(self, response, version):
        if not response.has_header("ETag"):
            response["ETag"] = content_etag(response.content)
        if not response.has_header("Last-Modified"):
            # Nothing a reader sees has changed since the content version was made.
            response["Last-Modified"] = http_date(version.made_at)
        if not response.has_header("Cache-Control"):
            # A reader's browser checks back every time, so a change shows on the next visit;
            # a CDN may answer for a short while on the site's behalf.
            patch_cache_control(response, public=True, max_age=0, s_maxage=self.cdn_max_age)

    def replay(self, request, entry):
        head = request.method == "HEAD"
        response = HttpResponse(b"" if head else entry.content, status=entry.status)
        for field, value in entry.headers:
            response.headers[field] = value
        if head:
            response["Content-Length"] = len(entry.content)
        response["X-Cache"] = "hit"
        return self.conditional(request, response)

    def conditional(self, request, response):
        """304 Not Modified for a reader (or CDN) whose copy is still the current one."""
        meta = request.META
        if "HTTP_IF_NONE_MATCH" not in meta and "HTTP_IF_MODIFIED_SINCE" not in meta:
            return response
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response["Last-Modified"]),
            response=response,
        )
