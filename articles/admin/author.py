from django.contrib import admin

from newsroom.admin_site import CheckedPickers

from ..models import Author
from .common import OwnFieldLookups


@admin.register(Author)
class AuthorAdmin(CheckedPickers, OwnFieldLookups, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
