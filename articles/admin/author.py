from django.contrib import admin

from ..models import Author
from .common import OwnFieldLookups


@admin.register(Author)
class AuthorAdmin(OwnFieldLookups, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
