"""The newsroom's admin: one module per part of the newsroom."""

from django.contrib import admin

from . import article, author, image, section  # noqa: F401  (each registers its admin)

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Write and publish"
