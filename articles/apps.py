from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from .caching import connect_signals
        from .search import repair_sqlite_index

        connect_signals()

        post_migrate.connect(repair_sqlite_index, sender=self)

