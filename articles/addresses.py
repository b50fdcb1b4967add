"""Old addresses of published articles, so links to an article keep working after it moves.

An article's address changes with its slug, section or date, and those change in many ways: the
admin's form, a version restored from the history, the wire importer, the shell, a data
migration. All of them save the article, so the rule lives on the save itself (see
articles.saving): before it, the address the stored row had is read; after it, an address that
changed is remembered. A section whose slug changes moves every article in it, so its saves are
watched the same way.
(The page finds an article by its slug, so an old section or date alone would lead there anyway; it
is a link with an old slug, in an old section's or date's path, that needs the kept address.)

QuerySet.update() sends no signals: code that changes an article's slug, section or publication
time, or a section's slug, through update() must call remember_address() or
remember_section_addresses() itself.
"""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save, pre_save

from .models import Article, OldAddress, Section

# Enough paths per query to be quick, few enough for any database's limit on parameters.
BATCH_SIZE = 500

# What get_absolute_url() is made of; a save naming none of them cannot move the article.
ADDRESS_FIELDS = {"slug", "section", "published_at", "created_at"}


def remember_address(article, old_path):
    """Keep `old_path` as a way to the article, now that its address has changed.

    The article page then answers the old address with a permanent redirect to the new one.
    """
    current = article.get_absolute_url()
    with transaction.atomic():
        # Moving back to an old address: it is the real one again.
        OldAddress.objects.filter(article=article, path=current).delete()
        if old_path and old_path != current:
            # An address another article once had now leads here: the newest claim wins.
            OldAddress.objects.update_or_create(path=old_path, defaults={"article": article})


def remember_section_addresses(section, old_slug):
    """Keep the addresses the articles of a section had while its slug was `old_slug`."""
    articles = (
        Article.objects.filter(section=section)
        .filter(Q(status=Article.Status.PUBLISHED) | Q(first_published_at__isnull=False))
        .only("slug", "published_at", "created_at", "section_id")
        .order_by("pk")
    )
    as_it_was = Section(pk=section.pk, slug=old_slug)
    moves = []
    for article in articles.iterator(chunk_size=BATCH_SIZE):
        article.section = as_it_was
        old_path = article.get_absolute_url()
        article.section = section
        moves.append((article, old_path, article.get_absolute_url()))
    with transaction.atomic():
        for start in range(0, len(moves), BATCH_SIZE):
            batch = moves[start:start + BATCH_SIZE]
            # A section given back its old slug: its articles' old addresses are real again.
            OldAddress.objects.filter(
                article__section=section, path__in=[current for _, _, current in batch]
            ).delete()
            OldAddress.objects.bulk_create(
                [OldAddress(article=article, path=old_path) for article, old_path, _ in batch],
                update_conflicts=True, unique_fields=["path"], update_fields=["article"],
            )


def known_address(stored):
    """The address readers could have known the article by, from `stored` (its row as it was
    before a save, or None): None if they could have known none.

    An article never published (nor scheduled) had no address anyone outside the newsroom could
    have kept.
    """
    if stored is None:
        return None
    if stored.status != Article.Status.PUBLISHED and stored.first_published_at is None:
        return None
    return stored.get_absolute_url()


def _read_section_slug_before_save(sender, instance, update_fields=None, **kwargs):
    instance._slug_before_save = None
    if instance.pk is None or (update_fields is not None and "slug" not in update_fields):
        return
    stored = Section.objects.filter(pk=instance.pk).values_list("slug", flat=True)
    instance._slug_before_save = stored.first()


def _remember_section_addresses_after_save(sender, instance, **kwargs):
    old_slug = instance.__dict__.pop("_slug_before_save", None)
    if old_slug and old_slug != instance.slug:
        remember_section_addresses(instance, old_slug)


def connect_signals():
    """A section's saves; an article's are watched in articles.saving."""
    pre_save.connect(
        _read_section_slug_before_save, sender=Section, dispatch_uid="newsroom-section-before"
    )
    post_save.connect(
        _remember_section_addresses_after_save, sender=Section,
        dispatch_uid="newsroom-section-after",
    )
