"""The demo newsroom that `make run` loads: what the load_demo command makes, loaded once for
the module, and what a second run leaves alone."""

from io import StringIO

import PIL.Image
import pytest
from django.core.management import call_command
from makers import draw_demo_images_once_with, make_renditions_once

from articles import demo
from articles.html import clean_body
from articles.models import Article, Author, Byline, Image, Licence, Reference, Section
from articles.wire import parse_wire_article


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def media_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture(scope="module")
def loaded_once(module_transaction, module_media, demo_image_cache, rendition_cache):
    """The demo newsroom, loaded once for the module (see module_transaction), with what the
    command printed. The loader draws its images and makes their renditions for real, each
    only once (see conftest)."""
    with pytest.MonkeyPatch.context() as patcher:
        draw_demo_images_once_with(patcher, demo_image_cache)
        make_renditions_once(patcher, rendition_cache)
        return run("load_demo")


@pytest.fixture
def loaded(db, loaded_once):
    return loaded_once


@pytest.fixture
def demo_media(module_media):
    return module_media


@pytest.fixture(autouse=True)
def draw_each_image_once(draw_demo_images_once):
    """A second run of the loader draws nothing again either."""


@pytest.mark.django_db
class TestLoadDemo:
    def test_prints_a_summary(self, loaded):
        assert loaded.strip() == (
            "Demo newsroom: 10 articles (1 draft, 1 scheduled), 4 sections, 5 authors (loaded)"
        )

    def test_publishes_credited_articles_across_sections(self, loaded):
        published = Article.objects.published()
        assert published.count() >= 6
        assert published.values("section").distinct().count() >= 3
        for article in published:
            assert article.standfirst
            assert "<p>" in article.body
            assert 2 <= article.tags.count() <= 4
            assert 1 <= article.bylines.count() <= 2
            assert 2 <= article.references.count() <= 4
            image = article.lead_image
            assert image is not None, article.slug
            assert image.alt_text and image.credit
            assert image.licence in Licence.values
            assert image.file.storage.exists(image.file.name)
            assert (image.width, image.height) == (1600, 900)

    def test_bodies_use_the_allowed_markup(self, loaded):
        bodies = " ".join(Article.objects.values_list("body", flat=True))
        for markup in ("<h2>", "<ul>", "<li>", "<blockquote>", 'href="https://'):
            assert markup in bodies

    def test_images_are_real_jpegs_with_varied_licences(self, loaded):
        images = Image.objects.all()
        assert images.count() == Article.objects.count()
        assert len(set(images.values_list("licence", flat=True))) >= 5
        assert images.exclude(credit_url="").exists()
        for image in images:
            with image.file.open("rb"), PIL.Image.open(image.file) as bitmap:
                assert bitmap.format == "JPEG"
                assert bitmap.size == (image.width, image.height) == (1600, 900)

    def test_publication_times_are_spread_over_ten_days(self, loaded):
        times = sorted(Article.objects.published().values_list("published_at", flat=True))
        assert (times[-1] - times[0]).days >= 7
        assert not any(article.was_updated for article in Article.objects.published())

    def test_shows_several_kinds_of_work(self, loaded):
        labels = set(Article.objects.published().values_list("label", flat=True))
        assert {"news", "analysis", "review"} <= labels

    def test_tags_are_shared_between_articles(self, loaded):
        shared = Article.objects.published().filter(tags__name="harbour")
        assert shared.count() >= 2

    def test_draft_and_scheduled_articles_stay_off_the_site(self, loaded):
        draft = Article.objects.get(slug="route-14-what-riders-told-us")
        scheduled = Article.objects.get(slug="gallery-season-three-exhibitions")
        assert draft.status == Article.Status.DRAFT
        assert scheduled.status == Article.Status.PUBLISHED
        assert not scheduled.is_published
        visible = Article.objects.published()
        assert draft not in visible
        assert scheduled not in visible

    def test_one_article_came_through_the_wire_importer(self, loaded):
        wire = parse_wire_article(demo.WIRE_ARTICLE.text)
        article = Article.objects.get(headline=wire.headline)
        assert article.slug == demo.WIRE_ARTICLE.slug
        assert article.body == clean_body(wire.body_html)
        assert "<h2>Volunteers at the Eyepiece</h2>" in article.body
        assert article.is_published
        assert list(article.references.values_list("title", flat=True)) == wire.references
        assert article.byline_authors == [Author.objects.get(slug="jonah-whitfield")]
        assert article.lead_image.caption == wire.caption
        assert article.lead_image.credit == wire.credit == "Beacon Hill Astronomical Society"
        assert article.lead_image.licence == Licence.CC_BY
        assert "observatory dome" in article.lead_image.alt_text

    def test_a_second_run_adds_nothing(self, loaded, demo_media):
        counts = [
            model.objects.count() for model in (Article, Section, Author, Image, Byline, Reference)
        ]
        files = media_files(demo_media)

        output = run("load_demo")

        assert output.strip().endswith("(already loaded)")
        assert counts == [
            model.objects.count() for model in (Article, Section, Author, Image, Byline, Reference)
        ]
        assert media_files(demo_media) == files
        originals = [path for path in files if "renditions" not in path.parts]
        assert len(originals) == Image.objects.count()

    def test_leaves_a_newsroom_its_editors_changed_alone(self, loaded, demo_media):
        """A deleted demo article stays deleted and a renamed section is not recreated."""
        Article.objects.get(slug="canal-street-small-firms").delete()
        Section.objects.filter(slug="city").update(slug="city-hall")

        run("load_demo")

        assert not Article.objects.filter(slug="canal-street-small-firms").exists()
        assert sorted(Section.objects.values_list("slug", flat=True)) == [
            "business", "city-hall", "culture", "science",
        ]

    def test_images_are_drawn_from_the_seed(self):
        first = demo.draw_image("bauhaus", 1)
        assert first.tobytes() == demo.draw_image("bauhaus", 1).tobytes()
        assert first.tobytes() != demo.draw_image("bauhaus", 2).tobytes()

    def test_every_painter_is_used(self):
        images = [spec.image for spec in demo.ARTICLES] + [demo.WIRE_ARTICLE.image]
        assert {image.painter for image in images} == set(demo.PAINTERS)
