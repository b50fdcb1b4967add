"""The parts of an article edited on its page: byline, references, corrections, share links.

Each part is changed by whoever may change the article itself; corrections, once made, stay.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

from newsroom.admin_site import CheckedPickers

from .. import permissions
from ..models import Byline, Correction, Reference, ShareLink
from .forms import ShareLinkForm


class ArticlePartInline:
    """An inline part of an article: changed by whoever may change the article itself."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    def _may_edit(self, request, article):
        return article is None or permissions.can_edit(request.user, article)


class BylineInline(CheckedPickers, ArticlePartInline, admin.TabularInline):
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


class ReferenceInline(ArticlePartInline, admin.StackedInline):
    model = Reference
    extra = 1
    fields = [("title", "position"), ("publisher", "date"), "url", "note"]
    verbose_name_plural = "References (the sources the story cites)"

    class Media:
        # Up and down buttons put the references in order; the position follows the page.
        js = ["admin/newsroom/reference-order.js"]
        css = {"all": ["admin/newsroom/reference-order.css"]}


class CorrectionInline(admin.StackedInline):
    """Corrections are an editor's to add; once made they stay on the record."""

    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at", "created_by"]
    readonly_fields = ["created_by"]
    verbose_name_plural = "Corrections (shown to readers under the story, with their date)"

    def has_delete_permission(self, request, obj=None):
        return False


class ShareLinkInline(ArticlePartInline, admin.StackedInline):
    """Secret links for reading a draft before publication, for a lawyer or a source.

    Stacked rather than a table, so each field's help (how long a link may work) is shown
    under it, not hidden in a column heading's tooltip.
    """

    model = ShareLink
    form = ShareLinkForm
    extra = 0
    fields = [("note", "expires_at"), ("address", "state"), "revoke"]
    readonly_fields = ["address", "state"]
    verbose_name_plural = "Share links (a draft for someone outside the newsroom to read)"
    view_on_site = False  # the link is in its own box below, ready to copy

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Link")
    def address(self, link):
        if not link.pk:
            return "Made when you save."
        return format_html(
            '<input type="text" readonly value="{}" aria-label="Share link" size="50">',
            self.request_absolute_uri(link),
        )

    @admin.display(description="State")
    def state(self, link):
        if not link.pk:
            return "—"
        if link.revoked_at:
            return "Revoked"
        if link.closes_at <= timezone.now():
            return "Expired"
        return "Published — the link is closed" if link.article.is_published else "Open"

    def get_formset(self, request, obj=None, **kwargs):
        self.request_absolute_uri = lambda link: request.build_absolute_uri(
            link.get_absolute_url()
        )
        kwargs["form"] = type(self.form.__name__, (self.form,), {"user": request.user})
        return super().get_formset(request, obj, **kwargs)
