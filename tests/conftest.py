import io
from datetime import timedelta

import PIL.Image
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles import demo
from articles.models import Article, Author, Byline, Image, Licence, Reference, Section


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded pictures go to a throwaway folder, never into the developer's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def picture_bytes(size=(64, 48), image_format="JPEG", colour=(200, 90, 40)):
    buffer = io.BytesIO()
    PIL.Image.new("RGB", size, colour).save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.fixture
def make_upload():
    def make(name="photo.jpg", size=(64, 48), image_format="JPEG", content=None):
        data = content if content is not None else picture_bytes(size, image_format)
        return SimpleUploadedFile(name, data, content_type="image/jpeg")

    return make


@pytest.fixture
def image(db, make_upload):
    return Image.objects.create(
        file=make_upload("tram.jpg", size=(160, 90)),
        alt_text="A green tram at a depot",
        caption="The restored tram at the Eastgate depot.",
        credit="Ana Ruiz / Courier",
        credit_url="https://example.org/ana-ruiz",
        licence=Licence.CC_BY_SA,
    )


@pytest.fixture
def section(db):
    return Section.objects.create(name="City", slug="city", description="News from the city.")


@pytest.fixture
def other_section(db):
    return Section.objects.create(name="Business", slug="business", position=1)


@pytest.fixture
def author(db):
    return Author.objects.create(name="Mira Okafor", slug="mira-okafor", bio="Covers transport.")


@pytest.fixture
def make_article(db, section):
    """Make an article; published an hour ago unless told otherwise."""
    counter = iter(range(1, 10_000))

    def make(
        headline=None,
        *,
        status=Article.Status.PUBLISHED,
        published_at="an hour ago",
        authors=(),
        tags=(),
        references=(),
        **fields,
    ):
        number = next(counter)
        headline = headline or f"Story number {number}"
        if published_at == "an hour ago":
            published_at = timezone.now() - timedelta(hours=1, minutes=number)
        fields.setdefault("section", section)
        fields.setdefault("slug", f"story-{number}")
        fields.setdefault("standfirst", f"The standfirst of story {number}.")
        fields.setdefault("body", f"<p>The body of story {number}.</p>")
        article = Article.objects.create(
            headline=headline, status=status, published_at=published_at, **fields
        )
        Byline.objects.bulk_create(
            Byline(article=article, author=person, position=position)
            for position, person in enumerate(authors)
        )
        if tags:
            article.tags.set(list(tags))
        Reference.objects.bulk_create(
            Reference(article=article, position=position, title=title)
            for position, title in enumerate(references)
        )
        return article

    return make


class Clock:
    """A stopped clock that a test moves on by hand."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Stop Django's clock at the present moment; `clock.advance(hours=1)` moves every "now"."""
    stopped = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", stopped)
    return stopped


@pytest.fixture(scope="session")
def demo_picture_cache():
    return {}


@pytest.fixture
def draw_demo_pictures_once(monkeypatch, demo_picture_cache):
    """The demo loader draws its pictures for real, but each only once per test run."""
    draw = demo.render_jpeg

    def cached(painter, seed):
        if (painter, seed) not in demo_picture_cache:
            demo_picture_cache[painter, seed] = draw(painter, seed)
        return demo_picture_cache[painter, seed]

    monkeypatch.setattr("articles.demo.loader.render_jpeg", cached)


@pytest.fixture
def demo_newsroom(db, draw_demo_pictures_once):
    """The demo newsroom `make run` loads: published, draft and scheduled stories."""
    return demo.load_demo()
