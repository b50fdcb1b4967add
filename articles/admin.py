from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from taggit.models import Tag

from .forms import ImageForm, TagAutocompleteWidget, TagNamesField
from .models import Article, Author, Byline, Image, Reference, Section
from .publishing import publish, unpublish

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Write and publish"


def thumbnail(image, size=80):
    if image is None or not image.file:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" style="height:auto;max-height:{}px;object-fit:cover">',
        image.file.url,
        image.alt_text,
        size,
        size,
    )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


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

    @admin.display(description="Used in")
    def used_in(self, obj):
        articles = obj.articles.order_by("-published_at") if obj.pk else []
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


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "Byline (authors in order)"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A table row has column headings, not labels; name each box for screen readers.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs["aria-label"] = db_field.verbose_name.capitalize()
        return field


class ReferenceInline(admin.StackedInline):
    model = Reference
    extra = 1
    fields = [("title", "position"), ("publisher", "date"), "url", "note"]
    verbose_name_plural = "References (the sources the story cites)"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "headline", "section", "status_label", "published_at", "lead_image_thumbnail",
    ]
    list_filter = ["status", "section", "bylines__author", "tags", "published_at"]
    list_select_related = ["section", "lead_image"]
    search_fields = ["headline", "standfirst", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_image"]
    inlines = [BylineInline, ReferenceInline]
    actions = ["publish_selected", "unpublish_selected"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        ("Placement", {"fields": ["section", "lead_image", "tags"]}),
        ("Publication", {"fields": ["status", "published_at", "created_at", "updated_at"]}),
    ]

    class Media:
        css = {"all": ["admin/newsroom/article.css"]}
        js = ["admin/newsroom/accessible-names.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            return db_field.formfield(
                form_class=TagNamesField,
                widget=TagAutocompleteWidget(self.admin_site),
                help_text="Pick existing tags as you type, or type a new one and press Enter.",
            )
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "standfirst":
            field.widget.attrs["rows"] = 3
        if db_field.name == "published_at":
            # The split date and time boxes have no <label> of their own.
            date, time = field.widget.widgets
            date.attrs["aria-label"] = "Publication date"
            time.attrs["aria-label"] = "Publication time"
        return field

    def get_urls(self):
        return [
            path(
                "tag-autocomplete/",
                self.admin_site.admin_view(self.tag_autocomplete),
                name="articles_article_tag_autocomplete",
            ),
            *super().get_urls(),
        ]

    def tag_autocomplete(self, request):
        """Tag names matching what the editor typed, for the tags field."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()[:100]
        tags = Tag.objects.filter(name__icontains=term).order_by("name")[:20]
        return JsonResponse(
            {"results": [{"id": tag.name, "text": tag.name} for tag in tags],
             "pagination": {"more": False}}
        )

    def save_model(self, request, obj, form, change):
        if obj.status == Article.Status.PUBLISHED:
            publish(obj)
        else:
            obj.save()

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        if obj.status == Article.Status.PUBLISHED and not obj.is_published:
            return "Scheduled"
        return obj.get_status_display()

    @admin.display(description="Lead image")
    def lead_image_thumbnail(self, obj):
        return thumbnail(obj.lead_image)

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish_selected(self, request, queryset):
        drafts = list(queryset.filter(status=Article.Status.DRAFT))
        with transaction.atomic():
            for article in drafts:
                publish(article)
                self.log_change(request, article, "Published.")
        scheduled = sum(1 for article in drafts if not article.is_published)
        parts = [f"Published {len(drafts) - scheduled} article(s)"]
        if scheduled:
            parts.append(f"scheduled {scheduled} for their publication time")
        if skipped := len(queryset) - len(drafts):
            parts.append(f"left {skipped} that were published or scheduled already")
        self.message_user(request, "; ".join(parts) + ".", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles", permissions=["change"])
    def unpublish_selected(self, request, queryset):
        published = list(queryset.filter(status=Article.Status.PUBLISHED))
        with transaction.atomic():
            for article in published:
                unpublish(article)
                self.log_change(request, article, "Unpublished.")
        self.message_user(
            request, f"Unpublished {len(published)} article(s).", messages.SUCCESS
        )
