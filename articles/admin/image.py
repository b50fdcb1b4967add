from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html_join

from .. import permissions
from ..forms import ImageForm
from ..models import Image
from .common import thumbnail


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["preview", "__str__", "credit", "licence", "usage_count", "uploaded_at"]
    list_display_links = ["preview", "__str__"]
    list_filter = ["licence"]
    search_fields = ["caption", "credit", "alt_text"]
    # Stated here because the usage count's GROUP BY drops the model's default ordering.
    ordering = ["-uploaded_at", "-pk"]
    readonly_fields = ["large_preview", "dimensions", "uploaded_by", "uploaded_at", "used_in"]
    fieldsets = [
        (None, {"fields": ["file", "large_preview", "alt_text", "caption"]}),
        ("Credit and licence", {"fields": ["credit", "credit_url", "licence", "source_url"]}),
        ("About the file", {"fields": ["dimensions", "uploaded_by", "uploaded_at", "used_in"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(usage=Count("articles"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Picture")
    def preview(self, obj):
        return thumbnail(obj)

    @admin.display(description="Preview")
    def large_preview(self, obj):
        return thumbnail(obj, size=320)

    @admin.display(description="Size")
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height} pixels" if obj.width else "—"

    @admin.display(description="Used in", ordering="usage")
    def usage_count(self, obj):
        return obj.usage

    def get_object(self, request, object_id, from_field=None):
        image = super().get_object(request, object_id, from_field)
        if image is not None:
            # Where the picture is used, as far as this user may know of those articles.
            articles = image.articles.order_by("-published_at")
            if not permissions.is_editor(request.user):
                articles = articles.filter(created_by=request.user)
            image.visible_articles = articles
        return image

    @admin.display(description="Used in")
    def used_in(self, obj):
        articles = getattr(obj, "visible_articles", [])
        if not articles:
            return "Not used by any article yet."
        return format_html_join(
            "",
            '<a href="{}" style="display:block">{}</a>',
            (
                (reverse("admin:articles_article_change", args=[article.pk]), article.headline)
                for article in articles
            ),
        )
