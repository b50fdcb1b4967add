from django.contrib import admin
from django.db.models import Count, Q
from django.db.models.functions import Lower
from taggit.models import Tag

from .. import permissions
from ..models import Article
from .common import OwnFieldLookups

# taggit's own admin edits its generic tagged items, which the newsroom does not use (an
# article's tags are its own links), and shows every tag to everyone.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(OwnFieldLookups, admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    ordering = [Lower("name"), "name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        tags = permissions.tags_for(request.user, super().get_queryset(request))
        # Counted among the articles this user may know of.
        known = permissions.known_to(request.user, Article.objects.all())
        links = "articles_articletag_items"
        return tags.annotate(
            articles=Count(links, filter=Q(**{f"{links}__content_object__in": known}))
        )

    @admin.display(description="Articles", ordering="articles")
    def article_count(self, tag):
        return tag.articles


class TagFilter(admin.RelatedFieldListFilter):
    """The article list's tag filter, offering only the tags this user may see."""

    def field_choices(self, field, request, model_admin):
        tags = permissions.tags_for(request.user, Tag.objects.order_by(Lower("name"), "name"))
        return list(tags.values_list("pk", "name"))
