"""The wire importer: `manage.py import_article` and articles.wire."""

import io
import resource
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import PIL.Image
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django.asserts import assertContains, assertNotContains
from taggit.models import Tag

from articles.images.renditions import rendition_names
from articles.models import Article, Author, Byline, Image, Licence, Reference, Section
from articles.wire import WireFormatError, WireImportError, import_wire_article, parse_wire_article

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "wire-story.txt"
WIRE = FIXTURES / "wire"
PROJECT = Path(__file__).resolve().parent.parent

SAMPLE_HEADLINE = "Harbour City Votes to Bring Back the Night Tram"
SAMPLE_CAPTION = "A restored 1950s tram car on display at the Eastgate depot open day, May 2024."
SAMPLE_CREDIT = "the Harbour City Transit Authority"
SAMPLE_SUBHEADINGS = [
    "A Line Built for the Night Shift",
    "What It Will Cost",
    "Will Anyone Ride It?",
    "The Neighbours' Objections",
    "What Happens Next",
]
SAMPLE_REFERENCES = [
    "Night Tram Feasibility Study, Final Report",
    "Council Meeting Minutes: Eastgate–Old Port Night Service",
    "Transit Workers Petition for Overnight Service",
    "Regional Night Bus Services: A Five-Year Review",
]


def sample_body_lines():
    """The sample's body lines, read without the importer: all but headline, photo, references."""
    lines = [line.strip() for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    assert lines[0] == SAMPLE_HEADLINE and lines[-1].startswith("References: ")
    return lines[2:-1]


class BlockReader(HTMLParser):
    """Collects (tag, text) for each top-level element of a body, entities decoded."""

    def __init__(self):
        super().__init__()
        self.blocks = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.blocks.append([tag, ""])
        self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.blocks[-1][1] += data


def blocks(html):
    reader = BlockReader()
    reader.feed(html)
    return [tuple(block) for block in reader.blocks]


def page_text(html):
    """What a reader sees: the page's text with tags dropped and whitespace collapsed."""
    parts = []
    reader = HTMLParser()
    reader.handle_data = parts.append
    reader.feed(html)
    return " ".join(" ".join(parts).split())


def jpeg_bytes(size=(64, 48)):
    buffer = io.BytesIO()
    PIL.Image.new("RGB", size, (30, 110, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def media_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def city(db):
    return Section.objects.create(name="City", slug="city")


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "tram.jpg"
    path.write_bytes(jpeg_bytes())
    return path


def run_import(path, **options):
    out = io.StringIO()
    call_command("import_article", str(path), stdout=out, **options)
    return out.getvalue()


def stored_files(media_dir):
    return sorted(path for path in Path(media_dir).rglob("*") if path.is_file())


# The shared sample


@pytest.mark.django_db
def test_sample_is_stored_exactly(city, photo, media_dir):
    output = run_import(SAMPLE, section="city", image=photo)

    article = Article.objects.get()
    assert output == f"Imported “{SAMPLE_HEADLINE}” as a draft: {article.get_absolute_url()}\n"
    assert article.headline == SAMPLE_HEADLINE
    assert article.slug == "harbour-city-votes-to-bring-back-the-night-tram"
    assert article.section == city
    expected = [("h2" if line in SAMPLE_SUBHEADINGS else "p", line) for line in sample_body_lines()]
    assert len([tag for tag, _ in expected if tag == "h2"]) == len(SAMPLE_SUBHEADINGS)
    assert blocks(article.body) == expected
    assert "in shifts &amp; need staff" in article.body
    assert "Eastgate–Old Port line" in article.body
    assert "€18.6 million" in article.body
    assert list(article.references.values_list("position", "title")) == list(
        enumerate(SAMPLE_REFERENCES)
    )

    image = article.lead_image
    assert image.caption == SAMPLE_CAPTION
    assert image.alt_text == SAMPLE_CAPTION
    assert image.credit == SAMPLE_CREDIT
    assert image.licence == Licence.CC_BY_SA
    assert (image.width, image.height) == (64, 48)
    # The image, and the sizes pages serve it in: nothing else.
    assert stored_files(media_dir) == sorted(
        [Path(image.file.path), *(Path(media_dir) / name for name in rendition_names(image))]
    )


@pytest.mark.django_db
def test_sample_round_trips_onto_the_public_page(client, city, photo, media_dir):
    output = run_import(SAMPLE, section="city", image=photo, publish=True)
    article = Article.objects.get()
    url = article.get_absolute_url()
    assert output == f"Imported “{SAMPLE_HEADLINE}” and published it: {url}\n"

    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(html)
    for line in sample_body_lines():
        tag = "h2" if line in SAMPLE_SUBHEADINGS else "p"
        assertContains(response, f"<{tag}>{line.replace('&', '&amp;')}</{tag}>", html=True)
        assert line in text
    assert SAMPLE_CAPTION in text
    assert SAMPLE_CREDIT in text
    assert "CC BY-SA 4.0" in text
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/"' in html
    positions = [text.index(title) for title in SAMPLE_REFERENCES]
    assert positions == sorted(positions)


# Publishing


@pytest.mark.django_db
def test_without_publish_the_article_is_a_draft_readers_cannot_see(client, city, photo):
    run_import(SAMPLE, section="city", image=photo)

    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert not Article.objects.published().exists()
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_publish_makes_the_article_visible(city, photo):
    run_import(SAMPLE, section="city", image=photo, publish=True)

    article = Article.objects.published().get()
    assert article.status == Article.Status.PUBLISHED
    assert article.is_published


@pytest.mark.django_db
def test_a_published_article_is_listed_on_its_tag_and_author_pages(client, city, photo):
    """Its tags and byline are saved before it is published: publishing gives them its time,
    which their pages list it by."""
    run_import(SAMPLE, section="city", image=photo, tags="night tram", author="Wire Desk",
               publish=True)

    article = Article.objects.published().get()
    for links in (article.tagged_items, article.bylines):
        assert set(links.values_list("published_at", flat=True)) == {article.published_at}
    for url in ["/tags/night-tram/", Author.objects.get(name="Wire Desk").get_absolute_url()]:
        assertContains(client.get(url), SAMPLE_HEADLINE)


# Options and edge cases that import


@pytest.mark.django_db
def test_a_colliding_headline_gets_a_numbered_slug(city, photo):
    for _ in range(3):
        run_import(SAMPLE, section="city", image=photo)

    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "harbour-city-votes-to-bring-back-the-night-tram",
        "harbour-city-votes-to-bring-back-the-night-tram-2",
        "harbour-city-votes-to-bring-back-the-night-tram-3",
    ]


@pytest.mark.django_db
def test_author_is_found_by_name_whatever_the_case_or_created(city):
    Author.objects.create(name="Mira Okafor-Reyes", slug="mira-okafor")

    run_import(WIRE / "markup-and-symbols.txt", section="city", author="Mira Okafor")
    run_import(WIRE / "markup-and-symbols.txt", section="city", author="mira okafor")

    created = Author.objects.get(name="Mira Okafor")
    assert created.slug == "mira-okafor-2"
    assert Author.objects.count() == 2
    assert list(Byline.objects.values_list("author__name", "position")) == [
        ("Mira Okafor", 0),
        ("Mira Okafor", 0),
    ]


@pytest.mark.django_db
def test_tags_are_split_on_commas_once_each(city):
    run_import(
        WIRE / "markup-and-symbols.txt", section="city", tags="Transport, night tram, transport,"
    )

    article = Article.objects.get()
    assert sorted(article.tags.names()) == ["Transport", "night tram"]
    assert Tag.objects.count() == 2


@pytest.mark.django_db
def test_markup_in_an_article_is_shown_as_text(client, city):
    run_import(WIRE / "markup-and-symbols.txt", section="city", publish=True)

    article = Article.objects.get()
    assert blocks(article.body) == [
        (
            "p",
            "The notice on the door read <b>closed</b> & “back soon” — prices from €3.50 to "
            '€4.20, 5 < 6, and <script>alert("owner")</script> was not part of it.',
        ),
        ("h2", "Tom & Jerry's Corner"),
        (
            "p",
            "'Single quotes' and \"double quotes\" both stay as they were written, "
            "down to the last one.",
        ),
    ]
    response = client.get(article.get_absolute_url())
    assertContains(response, "read &lt;b&gt;closed&lt;/b&gt; &amp; “back soon” — prices")
    assertContains(response, "&lt;script&gt;alert(")
    assertNotContains(response, "<b>closed</b>")
    assertNotContains(response, '<script>alert("owner")')
    assert "Café Sign Says <b>Closed</b> & “Back Soon”" in page_text(response.content.decode())


@pytest.mark.django_db
def test_photo_by_without_a_licence_is_all_rights_reserved(city, photo):
    run_import(WIRE / "photo-by-no-licence.txt", section="city", image=photo)

    article = Article.objects.get()
    image = article.lead_image
    assert image.caption == "The morning ferry leaving Old Port pier."
    assert image.credit == "Lena Marsh"
    assert image.licence == Licence.ALL_RIGHTS_RESERVED
    assert blocks(article.body)[1] == ("h2", "Why Fewer Sailings?")
    assert list(article.references.values_list("title", flat=True)) == [
        "Harbour Office Winter Timetable 2025"
    ]


@pytest.mark.django_db
def test_photo_without_a_caption_takes_the_headline_as_alt_text(city, photo):
    run_import(WIRE / "photo-colon-cc0.txt", section="city", image=photo)

    image = Article.objects.get().lead_image
    assert image.caption == ""
    assert image.alt_text == "Lighthouse Opens to Visitors for One Weekend"
    assert image.credit == "Harbour City Archive"
    assert image.licence == Licence.CC0


@pytest.mark.django_db
def test_byte_order_mark_and_windows_line_ends_are_accepted(city, photo, tmp_path):
    wire_file = tmp_path / "windows.txt"
    wire_file.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes().replace(b"\n", b"\r\n"))

    run_import(wire_file, section="city", image=photo)

    article = Article.objects.get()
    assert article.headline == SAMPLE_HEADLINE
    assert "\r" not in article.body
    assert article.lead_image.licence == Licence.CC_BY_SA


@pytest.mark.django_db
def test_import_article_is_usable_without_the_command(city, photo):
    editor = get_user_model().objects.create_user("desk", password="a long desk password")

    article = import_wire_article(
        SAMPLE.read_text(encoding="utf-8"),
        section_slug="city",
        image_path=photo,
        tags=["Transport", "Night tram"],
        author_name="Mira Okafor",
        publish=True,
        uploaded_by=editor,
    )

    assert article.is_published
    assert article.lead_image.uploaded_by == editor
    assert sorted(article.tags.names()) == ["Night tram", "Transport"]
    assert article.byline_authors == [Author.objects.get(name="Mira Okafor")]


@pytest.mark.parametrize(
    ("written", "licence"),
    [
        ("CC BY-SA 4.0", Licence.CC_BY_SA),
        ("cc-by-sa-4.0", Licence.CC_BY_SA),
        ("CC BY 4.0", Licence.CC_BY),
        ("cc-by-4.0", Licence.CC_BY),
        ("CC BY-ND", Licence.CC_BY_ND),
        ("CC0", Licence.CC0),
        ("CC0 1.0", Licence.CC0),
        ("public domain", Licence.PUBLIC_DOMAIN),
        ("All Rights Reserved", Licence.ALL_RIGHTS_RESERVED),
        ("used with permission", Licence.USED_WITH_PERMISSION),
        ("Handout", Licence.HANDOUT),
    ],
)
def test_licences_are_matched_whatever_the_spelling(written, licence):
    wire = parse_wire_article(
        f"Headline\nA caption. Photo courtesy of Ana Ruiz under {written}.\nA paragraph."
    )

    assert (wire.caption, wire.credit, wire.licence) == ("A caption.", "Ana Ruiz", licence)


@pytest.mark.parametrize(
    ("photo_line", "caption", "credit"),
    [
        ("Photo: Ana Ruiz", "", "Ana Ruiz"),
        ("The pier at dawn. Photo by Ana Ruiz.", "The pier at dawn.", "Ana Ruiz"),
        ("The pier. Photo courtesy of Dunder & Sons.", "The pier.", "Dunder & Sons"),
    ],
)
def test_photo_line_forms(photo_line, caption, credit):
    wire = parse_wire_article(f"Headline\n{photo_line}\nA paragraph.")

    assert (wire.caption, wire.credit, wire.licence) == (
        caption,
        credit,
        Licence.ALL_RIGHTS_RESERVED,
    )


def test_a_headline_may_start_with_photo():
    wire = parse_wire_article(
        "Photo: Fireworks Over the Harbour\nThe display lasted twenty minutes."
    )

    assert wire.headline == "Photo: Fireworks Over the Harbour"
    assert wire.credit == ""


def test_format_errors_are_wire_import_errors():
    with pytest.raises(WireImportError):
        parse_wire_article("")
    assert issubclass(WireFormatError, WireImportError)


# Bad input: one line naming the problem, and nothing written


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def article_file(tmp_path, name, lines, last=""):
    """An article of a headline and `lines`, with an optional last line."""
    text = "Harbour Depot Sale Approved\n" + "\n".join(lines) + "\n" + last
    return write(tmp_path, name, text.encode())


PARAGRAPH = (
    "The council voted on Tuesday to sell the harbour depot to a housing association, which "
    "plans 140 flats and a public quay on the site."
)


def long_reference_article(tmp_path):
    title = "Harbour City Transport Plan, Appendix " * 10
    text = SAMPLE.read_text(encoding="utf-8").rstrip("\n") + f" | {title}\n"
    return write(tmp_path, "long-reference.txt", text.encode())


BAD_INPUT = {
    "empty file": (lambda tmp: write(tmp, "empty.txt", b""), {}, "The story is empty."),
    "blank lines only": (
        lambda tmp: write(tmp, "blank.txt", b"\n   \n\t\n"),
        {},
        "The story is empty.",
    ),
    "binary file": (lambda tmp: write(tmp, "picture.txt", jpeg_bytes()), {}, "binary, not text"),
    "not UTF-8": (
        lambda tmp: write(tmp, "latin1.txt", "Café reopens\nIt is open.\n".encode("latin-1")),
        {},
        "not UTF-8 text (byte 0xe9 at position 3)",
    ),
    "missing file": (lambda tmp: tmp / "nowhere.txt", {}, "No such file or directory"),
    "a folder": (lambda tmp: tmp, {}, "Cannot read"),
    "no headline": (lambda tmp: WIRE / "no-headline.txt", {"image": "photo"}, "no headline"),
    "headline only": (lambda tmp: WIRE / "headline-only.txt", {}, "a headline but no text"),
    "headline too long": (
        lambda tmp: write(tmp, "long.txt", ("Night Tram " * 20 + "\nA paragraph.\n").encode()),
        {},
        "headline: Ensure this value has at most 200 characters",
    ),
    "photo line without image": (lambda tmp: SAMPLE, {}, "photo line but no image file"),
    "image without photo line": (
        lambda tmp: WIRE / "markup-and-symbols.txt",
        {"image": "photo"},
        "no photo line",
    ),
    "image missing": (lambda tmp: SAMPLE, {"image": "missing"}, "Cannot read the image"),
    "image is text": (lambda tmp: SAMPLE, {"image": "text"}, "This file is not a picture"),
    "image is truncated": (lambda tmp: SAMPLE, {"image": "truncated"}, "damaged or incomplete"),
    "unknown licence": (
        lambda tmp: WIRE / "unknown-licence.txt",
        {"image": "photo"},
        "Unknown photo licence “Free For Anyone 2.0”",
    ),
    "unknown section": (
        lambda tmp: SAMPLE,
        {"image": "photo", "section": "weather"},
        "Unknown section “weather”",
    ),
    "references not last": (
        lambda tmp: WIRE / "references-not-last.txt",
        {},
        "must be the last line",
    ),
    "reference too long": (
        long_reference_article,
        {"image": "photo", "author": "Mira Okafor", "tags": "Transport"},
        "Reference 5 is not valid: title: Ensure this value has at most 300 characters",
    ),
    # Limits: nothing larger than a real article, however the size is made up.
    "file over 1 MB": (
        lambda tmp: article_file(tmp, "huge.txt", [PARAGRAPH] * 8000),
        {},
        "huge.txt: The story file is 1,072,028 bytes; a wire story may be at most 1,048,576 bytes.",
    ),
    "text over 200,000 characters": (
        lambda tmp: article_file(tmp, "long.txt", [PARAGRAPH] * 1600),
        {},
        "The story's text has 212,800 characters; a wire story may have at most 200,000.",
    ),
    "an article without line breaks": (
        lambda tmp: article_file(tmp, "one-line.txt", [" ".join([PARAGRAPH] * 100)]),
        {},
        "Line 2 has 13,399 characters; a line may have at most 10,000. Each paragraph goes on a "
        "line of its own.",
    ),
    "too many paragraphs": (
        lambda tmp: article_file(tmp, "lines.txt", ["Yes."] * 2001),
        {},
        "The story has 2,001 paragraphs and subheadings; a wire story may have at most 2,000.",
    ),
    "too many references": (
        lambda tmp: article_file(
            tmp, "sources.txt", [PARAGRAPH],
            "References: " + " | ".join(f"Minutes {number}" for number in range(101)),
        ),
        {},
        "The References line names 101 sources; a story may cite at most 100.",
    ),
    "too many tags": (
        lambda tmp: WIRE / "markup-and-symbols.txt",
        {"tags": ",".join(f"tag {number}" for number in range(51))},
        "51 tags were given; a story may have at most 50.",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_stops_with_one_line_and_writes_nothing(case, city, photo, media_dir, tmp_path):
    make_file, options, message = BAD_INPUT[case]
    images = {
        "photo": photo,
        "missing": tmp_path / "missing.jpg",
        "text": SAMPLE,
        "truncated": write(tmp_path, "half.jpg", jpeg_bytes()[:300]),
    }
    options = {"section": "city", **options}
    if "image" in options:
        options["image"] = str(images[options["image"]])
    models = [Article, Image, Reference, Author, Byline, Tag]
    counts = [model.objects.count() for model in models]

    with pytest.raises(CommandError) as raised:
        run_import(make_file(tmp_path), **options)

    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert [model.objects.count() for model in models] == counts
    assert stored_files(media_dir) == []


def limit_memory_to_half_a_gigabyte():
    resource.setrlimit(resource.RLIMIT_AS, (512 * 1024**2, 512 * 1024**2))


def sparse_file(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(4 * 1024**3)  # 4 GB that take no room on disk
    return path


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (sparse_file, "huge.txt: The story file is 4.0 GB; a wire story may be at most 1.0 MB."),
        # A device has no size to ask for: it is read no further than the limit.
        (lambda tmp: Path("/dev/zero"), "zero: The story is larger than 1.0 MB, the most a wire "
         "story may be."),
    ],
    ids=["4 GB file", "endless device"],
)
def test_an_article_larger_than_memory_is_refused_without_reading_it(tmp_path, make_file, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "import_article", str(make_file(tmp_path)),
         "--section", "city"],
        cwd=PROJECT,
        env={"NEWSROOM_VAR_DIR": str(tmp_path), "PATH": ""},
        preexec_fn=limit_memory_to_half_a_gigabyte,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stderr == f"CommandError: {message}\n"
    assert result.returncode == 1


def test_text_given_directly_is_held_to_the_file_limit_in_bytes(settings):
    settings.NEWSROOM_WIRE_MAX_BYTES = 1000
    parse_wire_article("Café Reopens\n" + "Open again. " * 80)  # 974 bytes: within the limit

    # 600 characters, but 1,200 bytes in a file.
    with pytest.raises(WireFormatError) as raised:
        parse_wire_article("Café Reopens\n" + "é" * 600 + ".")
    assert str(raised.value) == "The story is larger than 1000 bytes, the most a wire story may be."


def test_the_limits_come_from_the_settings(settings):
    settings.NEWSROOM_WIRE_MAX_CHARACTERS = 100
    with pytest.raises(WireFormatError, match="has 133 characters; .* at most 100"):
        parse_wire_article("Depot Sold\n" + PARAGRAPH)

    settings.NEWSROOM_WIRE_MAX_CHARACTERS = 133
    assert blocks(parse_wire_article("Depot Sold\n" + PARAGRAPH).body_html) == [("p", PARAGRAPH)]


def test_the_command_line_shows_one_line_without_a_traceback(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_article",
            str(tmp_path / "nowhere.txt"),
            "--section",
            "city",
        ],
        cwd=PROJECT,
        env={"NEWSROOM_VAR_DIR": str(tmp_path), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"CommandError: Cannot read {tmp_path / 'nowhere.txt'}: No such file or directory.\n"
    )
