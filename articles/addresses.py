"""Old addresses of published articles, so links to a story keep working after it moves."""

from django.db import transaction

from .models import ArticleAddress


def remember_address(article, old_path):
    """Keep `old_path` as a way to the article, now that its address has changed.

    Called after a published story's slug, section or date changed; the article page then
    answers the old address with a permanent redirect to the new one.
    """
    current = article.get_absolute_url()
    with transaction.atomic():
        # Moving back to an old address: it is the real one again.
        ArticleAddress.objects.filter(article=article, path=current).delete()
        if old_path and old_path != current:
            # An address another story once had now leads here: the newest claim wins.
            ArticleAddress.objects.update_or_create(path=old_path, defaults={"article": article})
