from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.views.defaults import page_not_found
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from . import permissions, search
from .context_processors import feed_links, section_feed_links, site_feed_links
from .html import strip_control_characters
from .models import (
    Article,
    ArticleTag,
    Author,
    Correction,
    OldAddress,
    Section,
    ShareLink,
)
from .pagination import ArticlePages, IdsFirst, NumberedPages


class ArticleListView(ArticlePages, ListView):
    """Published articles, newest first, a page at a time (see ArticlePages)."""

    paginate_by = settings.NEWSROOM_ARTICLES_PER_PAGE
    context_object_name = "articles"

    def articles(self, until=None):
        """The listing's articles, as published by `until` (see ArticleQuerySet.published).

        `listed_at` and `listed_pk` name what the listing is in order of, newest first, and
        what its index holds in that order: here the articles' own publication time and key.
        """
        return Article.objects.published(until).annotate(
            listed_at=F("published_at"), listed_pk=F("pk")
        )

    def get_queryset(self):
        return self.articles().for_listing().order_by("-listed_at", "-listed_pk")


class HomeView(ArticleListView):
    template_name = "articles/home.html"


class SectionView(ArticleListView):
    template_name = "articles/section.html"

    def get(self, request, *args, **kwargs):
        self.section = get_object_or_404(Section, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def articles(self, until=None):
        return super().articles(until).filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section, feeds=section_feed_links(self.section), **kwargs
        )


class TagView(ArticleListView):
    template_name = "articles/tag.html"

    def get(self, request, *args, **kwargs):
        self.tag = get_object_or_404(Tag, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def articles(self, until=None):
        # In the order of the tag's links, which their index holds: however few or old the
        # tag's articles are, a page reads its own. `until` bounds the links alone: given the
        # same bound on the articles' own times as well, PostgreSQL took the two for independent
        # filters, expected a handful of rows and read every older article of the tag to sort.
        return Article.objects.published().tagged(self.tag, until)

    def paginate_queryset(self, queryset, page_size):
        paginated = super().paginate_queryset(queryset, page_size)
        # A tag that only drafts carry must not reveal that those drafts exist.
        if not paginated[2]:
            raise Http404("No published article has this tag.")
        return paginated

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tag=self.tag,
            feeds=feed_links(
                f"Topic: {self.tag.name}",
                reverse("articles:tag_feed_rss", args=[self.tag.slug]),
                reverse("articles:tag_feed_atom", args=[self.tag.slug]),
            ),
            **kwargs,
        )


class AuthorView(ArticleListView):
    template_name = "articles/author.html"

    def get(self, request, *args, **kwargs):
        self.author = get_object_or_404(Author, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def articles(self, until=None):
        # In the order of the author's bylines, like a tag's page.
        return Article.objects.published().written_by(self.author, until)

    def get_context_data(self, **kwargs):
        slug = self.author.slug
        return super().get_context_data(
            author=self.author,
            feeds=feed_links(
                self.author.name,
                reverse("articles:author_feed_rss", args=[slug]),
                reverse("articles:author_feed_atom", args=[slug]),
            ),
            **kwargs,
        )


class TagListView(NumberedPages, ListView):
    """Every tag with a published article, by name, with the number of its published articles.

    An article is counted unless it is one of the few readers may not see (hidden_ids): the counts
    read the tags' links from the index, and only this page's tags are counted.
    """

    template_name = "articles/tag_list.html"
    context_object_name = "tags"
    paginate_by = 50

    def get_queryset(self):
        shown = ArticleTag.objects.shown().filter(tag=OuterRef("pk"))
        return list(
            Tag.objects.filter(Exists(shown))
            .order_by(Lower("name"), "name")
            .values_list("pk", "name", "slug")
        )

    def paginate_queryset(self, queryset, page_size):
        paginator, page, tags, is_paginated = super().paginate_queryset(queryset, page_size)
        counts = dict(
            ArticleTag.objects.shown()
            .filter(tag__in=[pk for pk, _, _ in tags])
            .order_by()
            .values("tag")
            .annotate(count=Count("pk"))
            .values_list("tag", "count")
        )
        tags = [
            {"name": name, "slug": slug, "article_count": counts.get(pk, 0)}
            for pk, name, slug in tags
        ]
        return paginator, page, tags, is_paginated


class CorrectionListView(NumberedPages, ListView):
    """Every correction to a published article, newest first."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    paginate_by = settings.NEWSROOM_ARTICLES_PER_PAGE

    def get_queryset(self):
        # Each correction's article is checked by its key: there are far fewer corrections than
        # published articles. The articles and sections are read for the page's corrections only.
        corrections = Correction.objects.filter(
            Article.objects.published_exists(OuterRef("article_id"))
        )
        return IdsFirst(
            corrections.select_related("article__section").order_by("-created_at", "-pk")
        )


class ArticleView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def can_preview(self, article):
        """Editors may preview any article before it is out; other staff only their own."""
        user = self.request.user
        return user.is_staff and permissions.can_view(user, article)

    def may_see(self, article):
        return article.is_published or self.can_preview(article)

    def get_object(self, queryset=None):
        articles = Article.objects.for_page().filter(slug=self.kwargs["slug"])
        if not self.request.user.is_staff:
            articles = articles.published()
        article = articles.first()
        if article is None or not self.may_see(article):
            raise Http404("No article at this address.")
        return article

    def moved_article(self):
        """The article that had this address before its slug, section or date changed."""
        address = (
            OldAddress.objects.select_related("article__section")
            .filter(path=self.request.path)
            .first()
        )
        if address and self.may_see(address.article):
            return address.article
        return None

    def get(self, request, *args, **kwargs):
        try:
            article = self.get_object()
        except Http404:
            article = None
        if article is not None and request.path == article.get_absolute_url():
            self.object = article
            response = self.render_to_response(self.get_context_data(object=article))
            if not article.is_published:
                add_never_cache_headers(response)
            return response
        # An address an article had before it moved leads to that article, not to another that
        # merely shares the slug.
        moved = self.moved_article()
        if moved is not None:
            return redirect(moved, permanent=moved.is_published)
        if article is None:
            raise Http404("No article at this address.")
        # One address per article: any other date or section in the path leads to the real one.
        return redirect(article, permanent=article.is_published)

    def get_context_data(self, **kwargs):
        section = self.object.section
        return super().get_context_data(
            section=section, feeds=site_feed_links() + section_feed_links(section), **kwargs
        )


class ShareLinkView(ArticleView):
    """An article before publication, for whoever holds the link, until it expires or is revoked.

    Anything else, a guessed token included, is the site's ordinary 404: nothing tells a visitor
    whether a link ever existed.
    """

    def dispatch(self, request, *args, **kwargs):
        try:
            response = super().dispatch(request, *args, **kwargs)
        except Http404 as exception:
            response = page_not_found(request, exception)
        # Nobody but the holder keeps a copy, search engines stay out, and links followed from
        # the preview do not carry its secret address to other sites in the Referer header.
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
        return response

    def get_object(self, queryset=None):
        share_link = get_object_or_404(
            ShareLink.objects.select_related("created_by"), token=self.kwargs["token"]
        )
        share_link.article = get_object_or_404(Article.objects.for_page(), pk=share_link.article_id)
        if not share_link.is_usable:
            raise Http404("No article at this address.")
        self.share_link = share_link
        return share_link.article

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(
            self.get_context_data(object=self.object, share_link=self.share_link)
        )


class SearchView(NumberedPages, ListView):
    """Published articles matching the reader's words, best first; a bad page number is a 404."""

    query_parameters = ("q", "page")
    template_name = "articles/search.html"
    context_object_name = "results"
    paginate_by = settings.NEWSROOM_ARTICLES_PER_PAGE

    def get(self, request, *args, **kwargs):
        typed = " ".join(strip_control_characters(request.GET.get("q", "")).split())
        self.query_was_cut = len(typed) > search.MAX_QUERY_LENGTH
        self.query = typed[: search.MAX_QUERY_LENGTH].rstrip()
        response = super().get(request, *args, **kwargs)
        # Result pages are for readers, not for search engines' indexes (robots.txt agrees).
        response["X-Robots-Tag"] = "noindex"
        if "q" in request.GET:
            # Every query is a page of its own, and few readers type exactly the same words:
            # kept in the page cache (or a CDN's), results would rarely be served twice, and
            # made-up queries would push out the pages every reader asks for.
            patch_cache_control(response, private=True)
        return response

    def get_queryset(self):
        return search.search(self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            search_query=self.query,
            query_was_cut=self.query_was_cut,
            has_words=bool(search.query_words(self.query)),
            max_query_length=search.MAX_QUERY_LENGTH,
            **kwargs,
        )
        # Known once the paginator has counted the results.
        context["more_results"] = self.object_list.more
        # The results' own address holds the words as searched, not as typed (however long).
        query = {"q": self.query} if self.query else {}
        if context["page_obj"].number > 1:
            query["page"] = context["page_obj"].number
        context["canonical_url"] = self.request.build_absolute_uri(
            self.request.path + (f"?{urlencode(query)}" if query else "")
        )
        return context


def robots_txt(request):
    """Crawlers may read every public page; not the admin, share links or search results."""
    sitemaps = [reverse("articles:sitemap_index"), reverse("articles:news_sitemap")]
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        # A share link is a secret address for one outside reader.
        "Disallow: /preview/",
        # Every query is a page of its own: endless for a crawler, and no news to anyone.
        f"Disallow: {reverse('articles:search')}",
        "",
        *(f"Sitemap: {request.build_absolute_uri(path)}" for path in sitemaps),
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
