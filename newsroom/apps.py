from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The site's own operations, apart from its content (the articles app): staff sessions, the
    page cache, backups, the benchmark and the soak with their synthetic newsroom, the admin login
    `make run` prints, and serving the installed site. Its commands live here."""

    name = "newsroom"
    verbose_name = "Newsroom site"
