"""What readers may see, the addresses they follow, and what the models refuse to store."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Image, Licence, Reference, Section

PUBLISHED = Article.Status.PUBLISHED
DRAFT = Article.Status.DRAFT


# Each case: status, publication time relative to now (None: no time set), visible to readers?
VISIBILITY_CASES = [
    pytest.param(PUBLISHED, timedelta(hours=-1), True, id="published-an-hour-ago"),
    pytest.param(PUBLISHED, timedelta(days=-400), True, id="published-last-year"),
    pytest.param(PUBLISHED, timedelta(hours=2), False, id="scheduled-in-two-hours"),
    pytest.param(PUBLISHED, timedelta(days=7), False, id="scheduled-next-week"),
    pytest.param(DRAFT, timedelta(hours=-1), False, id="draft-with-a-past-time"),
    pytest.param(DRAFT, timedelta(hours=2), False, id="draft-with-a-future-time"),
    pytest.param(DRAFT, None, False, id="draft-without-a-time"),
]


def when(offset):
    return None if offset is None else timezone.now() + offset


@pytest.mark.parametrize(("status", "offset", "visible"), VISIBILITY_CASES)
def test_readers_see_only_published_articles_whose_time_has_come(
    make_article, status, offset, visible
):
    """published() holds an article only when it is published and its time has passed."""
    article = make_article("Night trams return", status=status, published_at=when(offset))

    assert (article in Article.objects.published()) is visible


@pytest.mark.parametrize(("status", "offset", "visible"), VISIBILITY_CASES)
def test_is_published_agrees_with_the_published_listing(make_article, status, offset, visible):
    """An article's is_published says the same as the published() listing, case by case."""
    article = make_article("Night trams return", status=status, published_at=when(offset))

    assert article.is_published is visible
    assert article.is_published == Article.objects.published().filter(pk=article.pk).exists()


@pytest.mark.parametrize(("status", "offset", "visible"), VISIBILITY_CASES)
def test_is_scheduled_agrees_with_the_scheduled_listing(make_article, status, offset, visible):
    """Scheduled is published with a time still to come: the same case by case on an article
    and in scheduled(), and never both published and scheduled."""
    article = make_article("Night trams return", status=status, published_at=when(offset))
    expected = status == PUBLISHED and not visible

    assert article.is_scheduled is expected
    assert Article.objects.scheduled().filter(pk=article.pk).exists() is expected
    assert not (article.is_scheduled and article.is_published)


def test_a_scheduled_article_becomes_visible_when_its_time_passes(make_article, clock):
    """A scheduled article appears by itself once the clock passes its publication time."""
    article = make_article("Harbour bridge reopens", published_at=clock.now + timedelta(hours=1))
    assert not article.is_published
    assert not Article.objects.published().exists()

    assert article.is_scheduled
    assert list(Article.objects.scheduled()) == [article]

    clock.advance(hours=1, seconds=1)

    assert article.is_published
    assert list(Article.objects.published()) == [article]
    assert not article.is_scheduled
    assert not Article.objects.scheduled().exists()


def test_published_articles_are_listed_newest_first(make_article):
    """Readers see the most recent article at the top."""
    now = timezone.now()
    make_article("Oldest", published_at=now - timedelta(days=3))
    make_article("Newest", published_at=now - timedelta(minutes=5))
    make_article("Middle", published_at=now - timedelta(days=1))

    headlines = [article.headline for article in Article.objects.published()]

    assert headlines == ["Newest", "Middle", "Oldest"]


def test_article_address_is_section_date_and_slug(make_article):
    """An article lives at /<section>/<year>/<month>/<day>/<slug>/, zero-padded."""
    article = make_article(
        "Night trams return",
        slug="night-trams-return",
        published_at=datetime(2024, 3, 9, 10, 30, tzinfo=UTC),
    )

    assert article.get_absolute_url() == "/city/2024/03/09/night-trams-return/"


def test_article_address_uses_the_date_in_the_newsroom_time_zone(make_article, settings):
    """An article published late in the evening UTC carries the next day's date in Auckland."""
    settings.TIME_ZONE = "Pacific/Auckland"
    article = make_article(
        "Ferry timetable changes",
        slug="ferry-timetable-changes",
        published_at=datetime(2024, 3, 9, 20, 0, tzinfo=UTC),
    )

    assert article.get_absolute_url() == "/city/2024/03/10/ferry-timetable-changes/"


def test_a_draft_without_a_time_still_has_an_address(make_article, clock):
    """A draft's preview address uses the day it was created."""
    article = make_article("Draft story", slug="draft-story", status=DRAFT, published_at=None)
    today = timezone.localdate(clock.now)
    clock.advance(days=3)

    assert article.get_absolute_url() == (f"/city/{today:%Y}/{today:%m}/{today:%d}/draft-story/")


def test_feed_id_stays_the_same_when_the_address_changes(make_article):
    """Subscribers do not see an article twice because its slug was corrected."""
    article = make_article("Night trams return", slug="night-trams-retrun")
    guid = article.guid

    article.slug = "night-trams-return"
    article.save()
    article.refresh_from_db()

    assert article.guid == guid
    assert guid == f"urn:uuid:{article.uuid}"


def test_control_characters_are_stripped_from_headline_and_standfirst(make_article):
    """A vertical tab or other control character pasted into a headline never reaches readers."""
    article = make_article(
        "Night\x0b trams\x00 return\x1f to the harbour",
        standfirst="Services\x0c resume on Monday.",
    )
    article.refresh_from_db()

    assert article.headline == "Night trams return to the harbour"
    # A pasted line break stays one in text of several lines (readers see a space).
    assert article.standfirst == "Services\nresume on Monday."


def test_accents_dashes_and_emoji_in_the_headline_are_kept(make_article):
    """Stripping control characters does not touch accents, dashes, quotes or emoji."""
    article = make_article("Café reopens — 🚋 «night» trams")
    article.refresh_from_db()

    assert article.headline == "Café reopens — 🚋 «night» trams"


def test_scripts_and_event_handlers_are_removed_from_the_body(make_article):
    """Whatever the editor sends, the stored body has no script, on* handler or javascript: link."""
    article = make_article(
        body=(
            '<p onclick="steal()">Fares rise.</p>'
            "<script>alert('x')</script>"
            '<p><a href="javascript:alert(1)">Click</a></p>'
            '<img src="x" onerror="alert(2)">'
            '<iframe src="https://example.org/"></iframe>'
            '<p style="color:red">Styled</p>'
        )
    )
    article.refresh_from_db()

    assert "script" not in article.body
    assert "alert" not in article.body
    assert "onclick" not in article.body
    assert "onerror" not in article.body
    assert "javascript:" not in article.body
    assert "<img" not in article.body
    assert "<iframe" not in article.body
    assert "style=" not in article.body
    assert "<p>Fares rise.</p>" in article.body
    assert "Click" in article.body
    assert "<p>Styled</p>" in article.body


def test_the_body_keeps_the_formatting_editors_use(make_article):
    """Paragraphs, subheadings, emphasis, links, lists and quotes survive the cleaning."""
    body = (
        "<h2>What changes</h2>"
        "<p>Trams run <strong>all night</strong> on <em>Fridays</em>.</p>"
        "<h3>Where</h3>"
        '<p>See the <a href="https://example.org/timetable">timetable</a>.</p>'
        "<ul><li>Line 1</li><li>Line 4</li></ul>"
        "<ol><li>First stop</li><li>Last stop</li></ol>"
        "<blockquote><p>It is about time.</p></blockquote>"
    )
    article = make_article(body=body)
    article.refresh_from_db()

    for fragment in [
        "<h2>What changes</h2>",
        "<strong>all night</strong>",
        "<em>Fridays</em>",
        "<h3>Where</h3>",
        'href="https://example.org/timetable"',
        "<ul><li>Line 1</li><li>Line 4</li></ul>",
        "<ol><li>First stop</li><li>Last stop</li></ol>",
        "<blockquote><p>It is about time.</p></blockquote>",
    ]:
        assert fragment in article.body


def test_an_empty_editor_stores_an_empty_body(make_article):
    """An editor's empty paragraph is saved as no body at all."""
    article = make_article(body="<p><br></p>")
    article.refresh_from_db()

    assert article.body == ""


def test_a_pasted_run_of_blank_space_is_cleaned_at_once(make_article):
    """A quarter of a megabyte of spaces and empty lines is an empty body, not a stuck save."""
    article = make_article(body="<p>" + " " * 250_000 + "</p><p><br></p>\n" * 1000)

    assert article.body == ""


def test_summary_falls_back_to_the_opening_of_the_body(make_article):
    """An article without a standfirst is summarised by its first words."""
    article = make_article(standfirst="", body="<p>Trams will run <em>all night</em>.</p>")

    assert article.summary == "Trams will run all night."


def test_summary_is_plain_text_with_entities_decoded(make_article):
    """Cards show "Tom & Jerry", not "Tom &amp; Jerry", when the summary comes from the body."""
    article = make_article(standfirst="", body="<p>Tom &amp; Jerry say 3 &lt; 4.</p>")

    assert article.summary == "Tom & Jerry say 3 < 4."


def test_the_standfirst_is_the_summary_when_there_is_one(make_article):
    """An article with a standfirst is summarised by it, word for word."""
    article = make_article(standfirst="Night trams return on Friday.", body="<p>Long body.</p>")

    assert article.summary == "Night trams return on Friday."


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://files.example.org/minutes.pdf", "data:text/html,hi"],
)
def test_a_reference_must_link_to_a_web_page(make_article, url):
    """A source's address must start with http:// or https://."""
    article = make_article()
    reference = Reference(article=article, title="Council minutes", url=url)

    with pytest.raises(ValidationError) as error:
        reference.full_clean()

    assert "url" in error.value.message_dict


@pytest.mark.parametrize("url", ["https://example.org/minutes", "http://example.org/minutes", ""])
def test_a_reference_accepts_web_addresses_or_none(make_article, url):
    """A source may link to an http or https page, or to nothing at all."""
    article = make_article()

    Reference(article=article, title="Council minutes", url=url).full_clean()


@pytest.mark.parametrize("slug", ["admin", "tags", "authors", "feed", "media", "static"])
def test_a_section_may_not_take_an_address_the_site_already_uses(db, slug):
    """A section called "admin" or "tags" would hide a page of the site, so it is refused."""
    section = Section(name="Clashing", slug=slug)

    with pytest.raises(ValidationError) as error:
        section.full_clean()

    assert "slug" in error.value.message_dict
    assert "already a page of the site" in error.value.message_dict["slug"][0]


def test_an_ordinary_section_slug_is_accepted(db):
    """A section such as /business/ is fine."""
    Section(name="Business", slug="business").full_clean()


@pytest.mark.parametrize(
    ("licence", "url"),
    [
        (Licence.CC_BY, "https://creativecommons.org/licenses/by/4.0/"),
        (Licence.CC_BY_SA, "https://creativecommons.org/licenses/by-sa/4.0/"),
        (Licence.CC_BY_ND, "https://creativecommons.org/licenses/by-nd/4.0/"),
        (Licence.CC0, "https://creativecommons.org/publicdomain/zero/1.0/"),
        (Licence.PUBLIC_DOMAIN, "https://creativecommons.org/publicdomain/mark/1.0/"),
    ],
)
def test_open_licences_link_to_their_terms(licence, url):
    """A Creative Commons image links to the licence it is published under."""
    assert Image(licence=licence).licence_url == url


@pytest.mark.parametrize(
    "licence", [Licence.ALL_RIGHTS_RESERVED, Licence.USED_WITH_PERMISSION, Licence.HANDOUT]
)
def test_other_licences_have_no_licence_link(licence):
    """Images used with permission have no public licence to link to."""
    assert Image(licence=licence).licence_url == ""


def test_an_uploaded_image_is_stored_under_a_generated_name(db, make_upload):
    """The name a file arrives with is never used as the stored path."""
    image = Image.objects.create(
        file=make_upload("../../../etc/passwd.php"),
        alt_text="A tram",
        credit="Ana Ruiz / Courier",
        licence=Licence.CC_BY,
    )

    assert image.file.name.startswith("images/")
    assert ".." not in image.file.name
    assert "passwd" not in image.file.name
    assert image.file.name.endswith(".img")
    assert (image.width, image.height) == (64, 48)


def test_an_article_saved_as_published_without_a_time_is_published_now(make_article):
    before = timezone.now()
    article = make_article(published_at=None)

    assert before <= article.published_at <= timezone.now()
    assert article.is_published


def test_a_tag_whose_name_grows_into_a_longer_address_still_gets_one_that_fits(make_article):
    """“ﬁ” is one character in a name and two in an address: a full-length name of them would
    make an address of 200 characters, which the tag table cannot hold."""
    names = ["ﬁ" * 100, "ﬁ" * 99 + "!"]
    article = make_article()

    article.tags.add(*names)

    slugs = [Tag.objects.get(name=name).slug for name in names]
    assert slugs == ["fi" * 50, "fi" * 49 + "_1"]
