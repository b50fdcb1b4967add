"""The site's admin: Django's, with its generic parts — "View on site", the pickers' endpoint,
the lists' actions — held to the same rules as every other admin page, and no forged number
reaching the database as a server error. Installed in place of django.contrib.admin (see
NewsroomAdminConfig)."""

import functools

from django.apps import apps
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import (
    BadRequest,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db.models.fields.related import RelatedField
from django.http import Http404
from django.urls import path


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin_site.NewsroomAdminSite"


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom"
    site_title = "Newsroom admin"
    index_title = "The desk"

    def index(self, request, extra_context=None):
        # The home is the newsroom's desk (articles.desk), above the list of everything.
        from articles.desk import desk_for

        return super().index(request, {"desk": desk_for(request.user), **(extra_context or {})})

    def get_urls(self):
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            )
            if getattr(url, "name", None) == "view_on_site" else url
            for url in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """The "View on site" link, for what this user may see in the admin: Django's own follows
        any object's address, which for a colleague's draft tells its headline."""
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            model_admin = self.get_model_admin(model)
        except (ContentType.DoesNotExist, NotRegistered):
            raise Http404("Nothing to show.") from None
        found = model_admin.get_object(request, object_id)
        if found is None or not model_admin.has_view_or_change_permission(request, found):
            raise Http404("Nothing to show.")
        return shortcut(request, content_type_id, object_id)

    def autocomplete_view(self, request):
        # Django's picker answers a field that is the far end of a relation (an image's
        # "articles") with a server error; it is no picker's field.
        try:
            model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
            field = model._meta.get_field(request.GET["field_name"])
        except (KeyError, LookupError, FieldDoesNotExist):
            raise PermissionDenied from None
        if not isinstance(field, RelatedField):
            raise PermissionDenied
        return super().autocomplete_view(request)

    def admin_view(self, view, cacheable=False):
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin) and view.__name__ == "changelist_view":
            view = _selection_checked(view, model_admin.model)
        return super().admin_view(_numbers_in_range(view), cacheable)


def _numbers_in_range(admin_view):
    """An admin page given a number too large for SQLite's integers (as an id in a form or an
    address) answers 400: the database driver raises OverflowError before any query runs."""

    @functools.wraps(admin_view)
    def view(request, *args, **kwargs):
        try:
            return admin_view(request, *args, **kwargs)
        except OverflowError:
            raise BadRequest("A number in the request is too large to be an id.") from None

    return view


def _selection_checked(changelist_view, model):
    """A list whose actions refuse, with a 400, a selection that is not a list of ids: every
    list's actions filter by them as they come, and a database cannot compare "abc" to an id."""
    key = model._meta.pk

    @functools.wraps(changelist_view)
    def view(request, *args, **kwargs):
        if request.method == "POST":
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                try:
                    key.run_validators(key.to_python(value))
                except ValidationError:
                    raise BadRequest(
                        f"{helpers.ACTION_CHECKBOX_NAME}: not an id of a "
                        f"{model._meta.verbose_name}."
                    ) from None
        return changelist_view(request, *args, **kwargs)

    return view


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's picker shows the value a form came back with by looking it up; a posted value
    that cannot be an id (a forged "abc") is left out rather than sent to the database."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        kept = []
        for item in value:
            try:
                target.run_validators(target.to_python(item))
            except ValidationError:
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class CheckedPickers:
    """For a model admin or inline: its autocomplete_fields use CheckedAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
