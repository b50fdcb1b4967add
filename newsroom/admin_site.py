"""The site's admin: Django's, with two of its generic views held to the same rules as every
other admin page. Installed in place of django.contrib.admin (see NewsroomAdminConfig)."""

import functools

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.exceptions import NotRegistered
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.urls import path


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin_site.NewsroomAdminSite"


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom"
    site_title = "Newsroom admin"
    index_title = "Write and publish"

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

    def admin_view(self, view, cacheable=False):
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin) and view.__name__ == "changelist_view":
            view = _selection_checked(view, model_admin.model)
        return super().admin_view(view, cacheable)


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
