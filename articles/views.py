from django.conf import settings
from django.db.models import Count
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from .context_processors import feed_links, section_feed_links, site_feed_links
from .models import Article, Author, Section


class ArticleListView(ListView):
    """A paginated list of published articles; a page number that does not exist is a 404."""

    paginate_by = settings.NEWSROOM_ARTICLES_PER_PAGE
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class HomeView(ArticleListView):
    template_name = "articles/home.html"


class SectionView(ArticleListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section, feeds=section_feed_links(self.section), **kwargs
        )


class TagView(ArticleListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            tag=self.tag,
            feeds=feed_links(
                f"Topic: {self.tag.name}",
                reverse("articles:tag_feed_rss", args=[self.tag.slug]),
                reverse("articles:tag_feed_atom", args=[self.tag.slug]),
            ),
            **kwargs,
        )
        # A tag that only drafts carry must not reveal that those drafts exist.
        if not context["paginator"].count:
            raise Http404("No published article has this tag.")
        return context


class AuthorView(ArticleListView):
    template_name = "articles/author.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(bylines__author=self.author)

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


class TagListView(ListView):
    template_name = "articles/tag_list.html"
    context_object_name = "tags"
    paginate_by = 100

    def get_queryset(self):
        published = Article.objects.published()
        return (
            Tag.objects.filter(articles_articletag_items__content_object__in=published)
            .annotate(article_count=Count("articles_articletag_items"))
            .order_by(Lower("name"), "name")
        )


class ArticleView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def can_preview(self):
        user = self.request.user
        return user.is_staff and user.has_perm("articles.change_article")

    def get_queryset(self):
        articles = Article.objects.for_page()
        if self.can_preview():
            return articles
        return articles.published()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        # One address per story: any other date or section in the path leads to the real one.
        if request.path != self.object.get_absolute_url():
            return redirect(self.object, permanent=self.object.is_published)
        response = self.render_to_response(self.get_context_data(object=self.object))
        if not self.object.is_published:
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        section = self.object.section
        return super().get_context_data(
            section=section, feeds=site_feed_links() + section_feed_links(section), **kwargs
        )
