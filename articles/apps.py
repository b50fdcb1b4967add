from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from . import addresses, caching, saving, tagging, typed_text
        from .search import repair_sqlite_index

        # Receivers of one signal run in the order they were connected; where that matters:
        # - reversion's come first of all: they are connected as the models are imported (the
        #   registrations in articles.models). Its post_save puts an article's links in the
        #   revision before articles.saving's copies the article's time to them, which is why
        #   revisions keep no copy of the links' times.
        # - Typed text is cleaned before any other receiver reads it: tagging remakes a tag's
        #   slug too long for its column from the cleaned name.
        # - The page cache's content version changes last, once the save's other writes (kept
        #   addresses, the links' times) are made: a save outside a transaction commits each
        #   write at once, and a page read between the change and a later write would be kept
        #   under the new version, stale.
        typed_text.connect_signals()
        tagging.connect_signals()
        addresses.connect_signals()
        saving.connect_signals()
        caching.connect_signals()

        post_migrate.connect(repair_sqlite_index, sender=self)

