from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The site's own operations, apart from its content (the articles app): staff sessions."""

    name = "newsroom"
    verbose_name = "Newsroom site"
