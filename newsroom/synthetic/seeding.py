"""seed_newsroom(): the cast, then the articles in batches, written with bulk inserts as saving and
publishing would have left them."""

import random
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, models, reset_queries, transaction
from django.utils import timezone

from articles.caching import content_changed
from articles.models import Article, ArticleTag, Byline, Correction, Image, Reference

from .cast import write_authors, write_images, write_sections, write_tags
from .words import CORRECTIONS
from .writer import ArticleWriter

BATCH_SIZE = 2_000
# Shares of the articles corrected after publication, and of those updated without a correction.
CORRECTED_SHARE = 0.01
UPDATED_SHARE = 0.03


class NewsroomNotEmpty(Exception):
    """The newsroom has articles already and adding to them was not asked for."""


@dataclass
class SeedResult:
    articles: int
    published: int
    scheduled: int
    drafts: int
    sections: int
    authors: int
    tags: int
    images: int
    bylines: int
    taggings: int
    references: int
    corrections: int
    seconds: float

    def summary(self):
        return (
            f"Seeded {self.articles:,} articles ({self.published:,} published, "
            f"{self.scheduled:,} scheduled, {self.drafts:,} drafts) with {self.bylines:,} "
            f"bylines, {self.taggings:,} tags, {self.references:,} sources and "
            f"{self.corrections:,} corrections; {self.sections} sections, {self.authors} "
            f"authors, {self.tags:,} tags, {self.images} pictures; in {self.seconds:.1f} s"
        )


@contextmanager
def _keeping_given_times(model, *names):
    """Let bulk_create() write the created/modified times given, not the time of seeding.

    auto_now and auto_now_add fields overwrite whatever they are given on insert; these articles
    were written years ago, so the fields take their given values while the block runs.
    """
    fields = [model._meta.get_field(name) for name in names]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def seed_newsroom(articles, seed=1, add=False, now=None, progress=None, renditions=True):
    """Write the cast (what is missing of it) and `articles` made-up articles.

    Refuses, with NewsroomNotEmpty, a newsroom that has articles unless `add` is true.
    `progress(done, total)` is called after each batch. Returns a SeedResult.
    """
    started = time.monotonic()
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    existing = Article.objects.count()
    if existing and not add:
        raise NewsroomNotEmpty(
            f"The newsroom already has {existing:,} articles; seed_demo fills an empty one "
            "(use --add to add to them)."
        )
    stored = []
    try:
        with transaction.atomic():
            sections = write_sections()
            authors = write_authors()
            tags = write_tags()
            images = write_images(stored, renditions)
    except BaseException:
        storage = Image._meta.get_field("file").storage
        for name in stored:
            storage.delete(name)
        raise

    # The articles depend on the seed and on how many there were before, so adding twice with
    # one seed does not write the same articles twice.
    rng = random.Random(f"newsroom-seed:{seed}:{existing}")  # nosec B311  # repeatable demo data, no secret
    taken = set(Article.objects.values_list("slug", flat=True)) if existing else set()
    writer = ArticleWriter(rng, sections, authors, tags, images, taken)
    times = writer.times(articles, now)
    states, scheduled = writer.states(articles)
    totals = dict.fromkeys(("bylines", "taggings", "references", "corrections"), 0)
    if progress:
        progress(0, articles)
    for start in range(0, articles, BATCH_SIZE):
        batch = range(start, min(start + BATCH_SIZE, articles))
        seeded = [_dated(writer, times[index], states[index], now,
                         scheduled=index >= articles - scheduled) for index in batch]
        for key, count in _write(seeded).items():
            totals[key] += count
        # With DEBUG on, every statement is kept with its parameters: these are large.
        reset_queries()
        if progress:
            progress(batch.stop, articles)

    # Bulk inserts send no signals: say once that everything a reader sees has changed.
    content_changed()
    return SeedResult(
        articles=articles,
        published=sum(1 for index, state in enumerate(states)
                      if state == Article.Status.PUBLISHED and index < articles - scheduled),
        scheduled=scheduled,
        drafts=states.count(Article.Status.DRAFT),
        sections=len(sections),
        authors=len(authors),
        tags=len(tags),
        images=len(images),
        seconds=time.monotonic() - started,
        **totals,
    )


def _dated(writer, when, status, now, scheduled):
    """One article with its times set as the workflow would have set them."""
    rng = writer.rng
    if scheduled:
        when = now + timedelta(hours=rng.randint(1, 14 * 24), minutes=rng.randrange(60))
    seeded = writer.article(
        None if status in (Article.Status.DRAFT, Article.Status.IN_REVIEW) else when, status
    )
    article = seeded.article
    written = when - timedelta(hours=rng.randint(1, 8), minutes=rng.randrange(60))
    if scheduled:
        written = now - timedelta(hours=rng.randint(1, 48))
    article.created_at = article.modified_at = written
    if status in (Article.Status.PUBLISHED, Article.Status.UNPUBLISHED):
        article.published_at = article.first_published_at = when
        article.modified_at = when
        roll = rng.random()
        if not scheduled and roll < CORRECTED_SHARE + UPDATED_SHARE:
            updated = min(when + timedelta(hours=rng.randint(2, 72)), now)
            if updated - when > timedelta(minutes=1):
                article.updated_at = article.modified_at = updated
                if roll < CORRECTED_SHARE:
                    kind, text = rng.choice(CORRECTIONS)
                    seeded.correction = (kind, writer._fill(text, seeded.spec), updated)
    return seeded


def _insert(model, columns, rows):
    """Insert plain rows: for the many small rows that link articles to what they use.

    Model instances would cost more to make and to save than the rows themselves.
    """
    if not rows:
        return
    ops = connection.ops
    fields = [model._meta.get_field(name) for name in columns]
    # Dates are written as the backend stores them; everything else here is a str or an int.
    prepare = [
        (index, field) for index, field in enumerate(fields)
        if isinstance(field, models.DateField | models.DateTimeField)
    ]
    if prepare:
        rows = [list(row) for row in rows]
        for row in rows:
            for index, field in prepare:
                row[index] = field.get_db_prep_value(row[index], connection)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # nosec B608  # quoted own names; values are parameters
        ops.quote_name(model._meta.db_table),
        ", ".join(ops.quote_name(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _write(batch):
    """Write a batch of articles and what goes with them, in one transaction; the row counts."""
    with transaction.atomic(), _keeping_given_times(Article, "created_at", "modified_at"):
        created = Article.objects.bulk_create([seeded.article for seeded in batch])
        bylines, taggings, references, corrections = [], [], [], []
        for article, seeded in zip(created, batch, strict=True):
            pk, at = article.pk, article.published_at
            bylines += [(pk, author, position, at)
                        for position, author in enumerate(seeded.authors)]
            taggings += [(pk, tag, at) for tag in seeded.tags]
            references += [(pk, *reference) for reference in seeded.references]
            if seeded.correction:
                corrections.append((pk, *seeded.correction))
        _insert(Byline, ("article", "author", "position", "published_at"), bylines)
        _insert(ArticleTag, ("content_object", "tag", "published_at"), taggings)
        _insert(Reference, ("article", "position", "title", "publisher", "url", "date", "note"),
                references)
        _insert(Correction, ("article", "kind", "text", "created_at"), corrections)
    return {"bylines": len(bylines), "taggings": len(taggings),
            "references": len(references), "corrections": len(corrections)}
