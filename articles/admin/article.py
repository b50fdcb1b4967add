"""The article's admin: the list, the change page with its parts, the workflow's actions and the
history's checked views."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.http import Http404, JsonResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from js_asset import Media
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.models import Tag

from newsroom.admin_site import CheckedPickers

from .. import permissions
from ..images.thumbnails import thumbnail
from ..models import Article, Correction
from ..publishing import (
    add_correction,
    check_publishable,
    mark_updated,
    unpublish,
)
from ..review import approve
from ..working_copies import clear_working_copy
from .article_list import ArticleListColumns, DeskFilter
from .article_navigation import FormNavigation
from .article_parts import BylineInline, CorrectionInline, ReferenceInline, ShareLinkInline
from .common import format_time
from .forms import ArticleForm, TagAutocompleteWidget, TagNamesField
from .lead_image import LeadImagePicking
from .presence import heartbeat_view
from .preview import preview_view, where_readers_see_it
from .review import ReviewConversation
from .revisions import compare_view
from .tag import TagFilter
from .working_copies import working_copy_context, working_copy_view


@admin.register(Article)
class ArticleAdmin(
    ArticleListColumns, FormNavigation, LeadImagePicking, ReviewConversation, CheckedPickers,
    VersionAdmin,
):
    form = ArticleForm
    list_display = [
        "headline", "status_label", "open_by", "last_edited", "byline", "label_name",
        "section", "published_at", "lead_image_thumbnail",
    ]
    list_filter = [
        "status", DeskFilter, "label", "section", "bylines__author",
        ("tags", TagFilter), "published_at",
    ]
    list_select_related = ["section", "lead_image"]
    search_fields = ["headline", "standfirst", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_image"]
    inlines = [BylineInline, ReferenceInline, CorrectionInline, ShareLinkInline]
    actions = ["publish_selected", "unpublish_selected"]
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True

    class Media:
        css = {"all": [
            "admin/newsroom/common.css", "admin/newsroom/article.css", "admin/newsroom/preview.css",
            "admin/newsroom/review.css", "admin/newsroom/working-copy.css",
        ]}
        js = [
            "admin/newsroom/accessible-names.js", "admin/newsroom/presence.js",
            "admin/newsroom/preview.js", "admin/newsroom/working-copy.js",
        ]

    # Who may see and change what: a writer their own drafts, an editor everything.

    def get_queryset(self, request):
        return super().get_queryset(request) & permissions.articles_for(request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_delete(request.user, obj))

    def has_publish_permission(self, request):
        return permissions.is_editor(request.user)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if not permissions.is_editor(request.user):
            inlines = [inline for inline in inlines if not isinstance(inline, CorrectionInline)]
        return inlines

    def get_fieldsets(self, request, obj=None):
        publication = [
            "status", ("published_at", "expires_at"), "substantive_update", "dates", "workflow",
        ]
        if not permissions.is_editor(request.user):
            publication = ["status", "dates", "workflow"]
        return [
            (None, {"fields": [
                "label", "headline", "slug", "standfirst", "body", "loaded_version",
            ]}),
            ("Placement", {"fields": ["section", "lead_image", "tags"]}),
            ("Publication", {"fields": publication}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["dates", "workflow"]

    def render_change_form(self, request, context, *args, **kwargs):
        # The body editor's import map is an inline script: the Content-Security-Policy lets it
        # run by the nonce made for this request, which the form's media now carry.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        article = kwargs.get("obj")
        if (
            self.has_add_permission(request) if article is None
            else self.has_change_permission(request, article)
        ):
            context["working_copy"] = working_copy_context(request, article)
        return super().render_change_form(request, context, *args, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    # Revisions: a writer sees the history of their own articles; recovering is an editor's.

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_permission(request, article):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Checked against the article as it is now: the library checks the restored copy.
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_permission(request, article):
            raise PermissionDenied
        if request.method == "POST" and not self.has_change_permission(request, article):
            raise PermissionDenied
        # The library finds a version by its number and object id alone, whatever it is a
        # version of: a tag's or a byline's whose id is this article's would restore the whole
        # revision it belongs to, another article's.
        _article_version_or_404(version_id, object_id=article.pk)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not permissions.is_editor(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not permissions.is_editor(request.user):
            raise PermissionDenied
        _article_version_or_404(version_id)
        return super().recover_view(request, version_id, extra_context)

    def get_urls(self):
        return [
            path(
                "tag-autocomplete/",
                self.admin_site.admin_view(self.tag_autocomplete),
                name="articles_article_tag_autocomplete",
            ),
            # The form's preview, of a new article and of a stored one (see admin/preview.py).
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview_new",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "add/working-copy/",
                self.working_copy_view,
                name="articles_article_new_working_copy",
            ),
            path(
                "<path:object_id>/change/working-copy/",
                self.working_copy_view,
                name="articles_article_working_copy",
            ),
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/presence/",
                self.admin_site.admin_view(self.heartbeat_view),
                name="articles_article_presence",
            ),
            *super().get_urls(),
        ]

    def heartbeat_view(self, request, object_id):
        return heartbeat_view(self, request, object_id)

    def working_copy_view(self, request, object_id=None):
        # Not behind admin_view, which would send a signed-out script to the login page.
        return working_copy_view(request, self, object_id)

    def compare_view(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_permission(request, article):
            raise PermissionDenied
        return compare_view(self, request, article)

    def preview_view(self, request, object_id=None):
        return preview_view(self, request, object_id)

    # The form.

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
        if db_field.name == "expires_at":
            date, time = field.widget.widgets
            date.attrs["aria-label"] = "Date the story expires"
            time.attrs["aria-label"] = "Time the story expires"
        return field

    def tag_autocomplete(self, request):
        """Tag names matching what the editor typed, for the tags field."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()[:100]
        tags = permissions.tags_for(request.user, Tag.objects.filter(name__icontains=term))
        tags = tags.order_by(Lower("name"), "name")[:20]
        return JsonResponse(
            {"results": [{"id": tag.name, "text": tag.name} for tag in tags],
             "pagination": {"more": False}}
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if form.cleaned_data.get("substantive_update"):
            mark_updated(obj)
        # The save also keeps a published article's old address (see articles.addresses). A
        # review step (handing in, sending back, approving, a note) tells the people concerned.
        self.take_review_step(request, obj, form)
        request.saved_article = obj
        # Saved for real: what the person was typing is the article now.
        clear_working_copy(request.user, obj if change else None)

    def message_user(self, request, message, *args, **kwargs):
        # The message after saving the article says where readers find it (save_model notes it).
        saved = getattr(request, "saved_article", None)
        if saved is not None:
            message = format_html("{}{}", message, where_readers_see_it(saved))
            request.saved_article = None
        return super().message_user(request, message, *args, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        # A new correction also marks the article updated, for readers and feed readers.
        for correction in formset.save(commit=False):
            if correction.pk:
                correction.save()
            else:
                add_correction(
                    form.instance, correction.text, correction.kind, by=request.user,
                    at=correction.created_at,
                )

    @admin.display(description="Dates")
    def dates(self, obj):
        rows = [
            ("Created", obj.created_at),
            ("First published", obj.first_published_at),
            ("Updated for readers", obj.updated_at),
            ("Last saved", obj.modified_at),
        ]
        return format_html_join(
            "", "<div>{}: {}</div>",
            ((label, format_time(value)) for label, value in rows if value),
        ) or "—"

    @admin.display(description="Workflow")
    def workflow(self, obj):
        changes = obj.status_changes.select_related("changed_by") if obj.pk else []
        if not changes:
            return "—"
        return format_html_join(
            "", "<div>{} — {}, {}</div>",
            (
                (change.get_status_display(), change.changed_by or "someone",
                 format_time(change.changed_at))
                for change in changes
            ),
        )

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return "Scheduled"
        if obj.is_expired:
            return "Expired"
        return obj.get_status_display()

    @admin.display(description="Lead image")
    def lead_image_thumbnail(self, obj):
        return thumbnail(obj.lead_image)

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish_selected(self, request, queryset):
        waiting = [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.UNPUBLISHED]
        articles, refused = [], []
        for article in queryset.filter(status__in=waiting).select_related("lead_image"):
            try:
                check_publishable(article)
            except ValidationError as error:
                refused.append((article, " ".join(error.messages)))
            else:
                articles.append(article)
        with transaction.atomic():
            for article in articles:
                approve(article, request.user, site_url=request.build_absolute_uri("/"))
                self.log_change(request, article, "Published.")
        scheduled = sum(1 for article in articles if article.is_scheduled)
        parts = [f"Published {len(articles) - scheduled} article(s)"]
        if scheduled:
            parts.append(f"scheduled {scheduled} for their publication time")
        if skipped := len(queryset) - len(articles) - len(refused):
            parts.append(f"left {skipped} that were published or scheduled already")
        self.message_user(request, "; ".join(parts) + ".", messages.SUCCESS)
        for article, reason in refused:
            self.message_user(request, f"Not published: “{article}”. {reason}", messages.ERROR)

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        published = list(queryset.filter(status=Article.Status.PUBLISHED))
        with transaction.atomic():
            for article in published:
                unpublish(article, by=request.user)
                self.log_change(request, article, "Unpublished.")
        self.message_user(
            request, f"Unpublished {len(published)} article(s).", messages.SUCCESS
        )


def _article_version_or_404(version_id, object_id=None):
    """Refuse a version that is not of an article (or not of the article `object_id`)."""
    versions = Version.objects.get_for_model(Article).filter(pk=version_id)
    if object_id is not None:
        versions = versions.filter(object_id=str(object_id))
    if not versions.exists():
        raise Http404("No such version of this article.")
