"""Loading the demo newsroom into the database: whatever part of it is missing, in one go."""

import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..images.duplicates import record_pixel_digest
from ..images.renditions import make_renditions, rendition_names
from ..models import Article, Author, Byline, Image, Reference, Section
from ..publishing import publish
from ..wire import import_wire_article
from .content import ARTICLES, AUTHORS, BODIES_DIR, SECTIONS, WIRE_ARTICLE
from .images import render_jpeg


@dataclass
class LoadResult:
    created: int
    articles: int
    drafts: int
    scheduled: int
    sections: int
    authors: int

    def summary(self):
        state = "loaded" if self.created else "already loaded"
        return (
            f"Demo newsroom: {self.articles} articles ({self.drafts} draft, {self.scheduled} "
            f"scheduled), {self.sections} sections, {self.authors} authors ({state})"
        )


def demo_article_slugs():
    return [spec.slug for spec in ARTICLES] + [WIRE_ARTICLE.slug]


def load_demo(now=None):
    """Load the demo newsroom into an empty newsroom, in one transaction.

    A newsroom that has sections already — the demo's, or its editors' own — is left as it is:
    what an editor renamed or deleted must not come back, or clash, on the next `make run`.
    Images are files, which a rollback does not remove; if the load fails, the ones it wrote
    are deleted again.
    """
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    stored = []
    created = 0
    try:
        with transaction.atomic():
            if not Section.objects.exists():
                created = _load(now, stored)
    except BaseException:
        storage = Image._meta.get_field("file").storage
        for name in stored:
            storage.delete(name)
        raise
    articles = Article.objects.filter(slug__in=demo_article_slugs())
    return LoadResult(
        created=created,
        articles=articles.count(),
        drafts=articles.filter(status=Article.Status.DRAFT).count(),
        scheduled=articles.scheduled().count(),
        sections=Section.objects.filter(slug__in=[s.slug for s in SECTIONS]).count(),
        authors=Author.objects.filter(slug__in=[a.slug for a in AUTHORS]).count(),
    )


def _load(now, stored):
    """Write the whole demo; the number of sections, authors and articles written."""
    sections = {}
    for spec in SECTIONS:
        sections[spec.slug] = Section(
            slug=spec.slug, name=spec.name, description=spec.description, position=spec.position
        )
        _save(sections[spec.slug])
    authors = {}
    for spec in AUTHORS:
        authors[spec.slug] = Author(slug=spec.slug, name=spec.name, bio=spec.bio)
        _save(authors[spec.slug])
    for spec in ARTICLES:
        _create_article(spec, sections, authors, now, stored)
    _import_wire_article(WIRE_ARTICLE, authors, now, stored)
    return len(SECTIONS) + len(AUTHORS) + len(ARTICLES) + 1


def _save(instance, **clean_options):
    instance.full_clean(**clean_options)
    instance.save()


def _store_image(spec, stored):
    image = Image(alt_text=spec.alt_text, caption=spec.caption, credit=spec.credit,
                  credit_url=spec.credit_url, licence=spec.licence)
    image.full_clean(exclude=["file"])
    # The content needs a name of its own: the field reads the image's size through it.
    name = f"{spec.painter}.jpg"
    image.file.save(name, ContentFile(render_jpeg(spec.painter, spec.seed), name=name),
                    save=False)
    stored.append(image.file.name)
    record_pixel_digest(image)
    image.save()
    stored.extend(make_renditions(image))
    return image


def _create_article(spec, sections, authors, now, stored):
    article = Article(
        slug=spec.slug,
        label=spec.label,
        headline=spec.headline,
        standfirst=spec.standfirst,
        body=(BODIES_DIR / f"{spec.slug}.html").read_text(encoding="utf-8"),
        section=sections[spec.section],
        lead_image=_store_image(spec.image, stored),
    )
    _save(article)
    for position, slug in enumerate(spec.authors):
        _save(Byline(article=article, author=authors[slug], position=position))
    article.tags.set(list(spec.tags))
    for position, reference in enumerate(spec.references):
        _save(Reference(
            article=article,
            position=position,
            title=reference.title,
            publisher=reference.publisher,
            url=reference.url,
            date=None if reference.days_ago is None
            else timezone.localdate(now) - timedelta(days=reference.days_ago),
            note=reference.note,
        ))
    if spec.publish_at is not None:
        publish(article, at=now + spec.publish_at)
        _backdate(article)
    return article


def _import_wire_article(spec, authors, now, stored):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{spec.image.painter}.jpg"
        path.write_bytes(render_jpeg(spec.image.painter, spec.image.seed))
        article = import_wire_article(
            spec.text,
            section_slug=spec.section,
            image_path=path,
            tags=spec.tags,
            author_name=authors[spec.author].name,
        )
    image = article.lead_image
    stored.extend([image.file.name, *rendition_names(image)])
    # The wire gives a caption, credit and licence; what the image shows is ours to describe.
    image.alt_text = spec.image.alt_text
    image.credit_url = spec.image.credit_url
    _save(image)
    article.standfirst = spec.standfirst
    publish(article, at=now + spec.publish_at)
    _backdate(article)
    return article


def _backdate(article):
    """Date the bookkeeping times to the article's own, as if it had been written then."""
    if article.is_scheduled:
        return
    written = article.published_at - timedelta(hours=3)
    Article.objects.filter(pk=article.pk).update(
        created_at=written, modified_at=article.published_at
    )
    Image.objects.filter(pk=article.lead_image_id).update(uploaded_at=written)
