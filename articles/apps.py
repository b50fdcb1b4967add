from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from . import addresses, caching, publishing, saving, tagging, typed_text
        from .search import repair_sqlite_index

        typed_text.connect_signals()
        tagging.connect_signals()
        publishing.connect_signals()
        addresses.connect_signals()
        saving.connect_signals()
        caching.connect_signals()

        post_migrate.connect(repair_sqlite_index, sender=self)

