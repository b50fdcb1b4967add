from django.contrib import admin

from ..models import Section
from .common import OwnFieldLookups


@admin.register(Section)
class SectionAdmin(OwnFieldLookups, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
