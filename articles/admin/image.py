from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .. import permissions
from ..images.forms import ImageForm
from ..images.orphans import delete_orphans_beside
from ..images.renditions import best_file, delete_image_files, make_renditions
from ..images.thumbnails import thumbnail
from ..models import Article, Image
from .common import OwnFieldLookups


@admin.register(Image)
class ImageAdmin(OwnFieldLookups, admin.ModelAdmin):
    form = ImageForm
    list_display = ["preview", "__str__", "credit", "licence", "usage_count", "uploaded_at"]
    list_display_links = ["preview", "__str__"]
    list_filter = ["licence"]
    search_fields = ["caption", "credit", "alt_text"]
    # Stated here because the usage count's GROUP BY drops the model's default ordering.
    ordering = ["-uploaded_at", "-pk"]
    readonly_fields = [
        "large_preview", "crops", "dimensions", "uploaded_by", "uploaded_at", "used_in",
    ]
    fieldsets = [
        (None, {"fields": [
            "file", "pending_upload", "upload_anyway", "large_preview", "alt_text", "caption",
        ]}),
        ("Credit and licence", {
            "fields": ["credit", "credit_url", "licence", "copyright_notice", "source_url"],
        }),
        ("Crops", {
            "fields": [("focal_x", "focal_y"), "crops"],
            "description": "Cards and thumbnails show part of the picture. Click the subject on "
            "the preview above, or type where it is, and the crops keep it in view.",
        }),
        ("About the file", {"fields": ["dimensions", "uploaded_by", "uploaded_at", "used_in"]}),
    ]

    class Media:
        css = {"all": ["admin/newsroom/common.css", "admin/newsroom/image.css"]}
        js = ["admin/newsroom/focal-point.js"]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only: the image as it is, with nothing waiting to be uploaded, and why.
            (_, main), credit, (crops, _), about = self.fieldsets
            return [
                (None, {
                    "fields": [
                        field for field in main["fields"]
                        if field not in ("pending_upload", "upload_anyway")
                    ],
                    "description": "You may use this picture in your stories but not change "
                    "it. Ask an editor to change it.",
                }),
                credit,
                (crops, {"fields": [("focal_x", "focal_y"), "crops"]}),
                about,
            ]
        if obj is not None:
            return self.fieldsets
        # Before the image is saved there is no preview, crop or record of it to show; an
        # image waiting in the form is shown by the file box, to click for the focal point.
        return [
            (None, {"fields": ["file", "pending_upload", "upload_anyway", "alt_text", "caption"]}),
            self.fieldsets[1],
            ("Crops", {
                "fields": [("focal_x", "focal_y")],
                "description": "Cards and thumbnails show part of the picture. Type where its "
                "subject is, or click the subject on the picture once it is uploaded.",
            }),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # Duplicates of an upload are looked for among the images this user may see.
        return type(form.__name__, (form,), {"user": request.user})

    # Who may see and change which image: see articles.permissions.

    def get_queryset(self, request):
        images = permissions.images_for(request.user)
        if permissions.is_editor(request.user):
            usage = Count("articles")
        else:
            # Counted among the articles this user may know of.
            known = permissions.known_to(request.user, Article.objects.all())
            usage = Count("articles", filter=Q(articles__in=known))
        return images.annotate(usage=usage).order_by(*self.ordering)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit_image(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_delete_image(request.user, obj))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        # Asked of the stored row, not of the form: a new file may also come from one that
        # waited while the form was corrected, which the form does not count as a change.
        stored = Image.objects.filter(pk=obj.pk).values_list("file", flat=True).first()
        super().save_model(request, obj, form, change)
        form.forget_pending()
        new_file = stored != obj.file.name
        if stored and new_file:
            # The new file's renditions replace the old one's (make_renditions deletes those).
            # Robust: the image is saved; a storage error here is logged, not shown.
            storage = obj.file.storage
            transaction.on_commit(lambda: storage.delete(stored), robust=True)
        if "copyright_notice" in form.filled_in:
            self.message_user(
                request, f"The copyright notice “{obj.copyright_notice}” is the photo's own.",
                messages.INFO,
            )
        # Made now, once, rather than when a reader first asks for them.
        make_renditions(obj)
        if new_file:
            delete_orphans_beside(obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(lambda: delete_image_files(obj))

    def delete_queryset(self, request, queryset):
        images = list(queryset)
        super().delete_queryset(request, queryset)
        transaction.on_commit(lambda: [delete_image_files(image) for image in images])

    @admin.display(description="Picture")
    def preview(self, obj):
        return thumbnail(obj)

    @admin.display(description="Preview")
    def large_preview(self, obj):
        if not obj.pk:
            return "—"
        shown = best_file(obj, "original", "jpeg", min_width=640)
        return format_html(
            '<img src="{}" alt="{}" width="320" height="{}" class="focal-point-preview" '
            'data-focal-point-preview>',
            shown.url, obj.alt_text, round(320 * shown.height / shown.width) if shown.width else "",
        )

    @admin.display(description="How cards and thumbnails crop it")
    def crops(self, obj):
        if not obj.pk:
            return "Shown once the picture is saved."
        shown = []
        for crop, label in [("16x9", "16:9"), ("4x3", "4:3"), ("1x1", "1:1")]:
            file = best_file(obj, crop, "jpeg", min_width=320)
            height = round(160 * file.height / file.width) if file.width else ""
            shown.append((file.url, height, label))
        return format_html_join(
            "",
            '<figure class="crop-preview"><img src="{}" alt="" width="160" height="{}">'
            "<figcaption>{}</figcaption></figure>",
            shown,
        )

    @admin.display(description="Size")
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height} pixels" if obj.width else "—"

    @admin.display(description="Used in", ordering="usage")
    def usage_count(self, obj):
        return obj.usage

    def get_object(self, request, object_id, from_field=None):
        image = super().get_object(request, object_id, from_field)
        if image is not None:
            # Where the image is used, as far as this user may know of those articles: a
            # writer's own in the admin, a colleague's published article on the site.
            articles = permissions.known_to(request.user, image.articles.all())
            image.visible_articles = [
                (article, permissions.can_view(request.user, article))
                for article in articles.select_related("section").order_by("-published_at")
            ]
        return image

    @admin.display(description="Used in")
    def used_in(self, obj):
        articles = getattr(obj, "visible_articles", [])
        if not articles:
            return "Not used by any article yet."
        return format_html_join(
            "",
            '<a href="{}" class="used-in">{}</a>',
            (
                (
                    reverse("admin:articles_article_change", args=[article.pk])
                    if in_admin else article.get_absolute_url(),
                    article.headline,
                )
                for article, in_admin in articles
            ),
        )
