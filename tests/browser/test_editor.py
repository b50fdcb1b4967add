"""An editor's journey through the admin, and what a reader sees of it afterwards."""

import feedparser
import PIL.Image
import PIL.ImageDraw
import pytest
from admin_pages import (
    PASSWORD,
    assert_saved,
    body_editor,
    choose,
    log_in,
    log_out,
    type_and_wait_for_suggestions,
)
from django.contrib.auth.models import Permission
from taggit.models import Tag

from articles.models import Article, Image, Section

SECTION_NAME = "Waterfront"
SECTION_DESCRIPTION = "Ferries, quays and the working life of the harbour edge."

IMAGE_ALT = "A white ferry leaving the quay at dusk, its deck lights on"
IMAGE_CAPTION = "Bluewater ferry test run: the Harbour Star pulls away from Pier 3."
IMAGE_CREDIT = "Oskar Varga / Courier"

HEADLINE = "Ferry “Harbour Star” starts crossings & fares fall"
STANDFIRST = "The new boat cuts the trip across the harbour to twelve minutes."
PARAGRAPH = "The Harbour Star made its first crossing from Pier 3 at seven this morning."
SUBHEADING = "Cheaper fares from Monday"
LINK_SENTENCE = "The operator has published the new timetable for the winter."
LINK_TEXT = "timetable"
LINK_URL = "https://ferries.harbourcity.example/timetable/"
REFERENCES = [
    ("Harbour ferry service contract 2025", "https://council.harbourcity.example/ferry-contract"),
    ("Fare table for the cross-harbour route", "https://ferries.harbourcity.example/fares"),
]
# Two new tags, and one the demo newsroom already uses.
NEW_TAGS = ["ferries", "Harbour Star"]
EXISTING_TAG = "transport"
TAGS = [*NEW_TAGS, EXISTING_TAG]
BYLINE_AUTHOR = "Maren Quist"

DRAFT_HEADLINE = "Leaked: “Harbour Star” fares to double & Pier 3 to shut"
DRAFT_TAG = "pier closure"


@pytest.fixture
def editor(newsroom, django_user_model):
    return django_user_model.objects.create_superuser(
        "editor", "editor@courier.example", PASSWORD
    )


@pytest.fixture
def writer(newsroom, django_user_model):
    """A staff writer who may write articles, not a superuser."""
    user = django_user_model.objects.create_user(
        "writer", "writer@courier.example", PASSWORD, is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=[
                "add_article", "change_article", "view_article",
                "view_section", "view_image", "view_author",
            ],
        )
    )
    return user


@pytest.fixture
def photo(tmp_path):
    """A JPEG as a camera would hand it over: a dusk sky over water, with a boat."""
    bitmap = PIL.Image.new("RGB", (1200, 800), (40, 60, 110))
    draw = PIL.ImageDraw.Draw(bitmap)
    for row in range(400):
        draw.line([(0, row), (1200, row)], fill=(40 + row // 4, 60 + row // 8, 110))
    draw.rectangle([(0, 480), (1200, 800)], fill=(20, 50, 80))
    draw.polygon([(380, 470), (820, 470), (760, 540), (440, 540)], fill=(235, 235, 230))
    path = tmp_path / "harbour-star.jpg"
    bitmap.save(path, format="JPEG", quality=85)
    return path


def add_tag(page, name):
    """Type a tag into the tags field, existing or new, and take it."""
    page.click(".field-tags .select2-search__field")
    type_and_wait_for_suggestions(page, name)
    page.locator(
        ".select2-container--open .select2-results__option:not(.loading-results)",
        has_text=name,
    ).first.wait_for()
    page.keyboard.press("Enter")
    page.locator(".field-tags .select2-selection__choice", has_text=name).wait_for()


def write_body(page):
    """Type the article's body into the rich-text editor: a paragraph, a subheading and a link."""
    editor = body_editor(page)
    editor.click()
    page.keyboard.type(PARAGRAPH)
    page.keyboard.press("Enter")
    # Markdown-style: "## " at the start of a paragraph makes it a second-level heading.
    page.keyboard.type("## " + SUBHEADING)
    page.keyboard.press("Enter")
    # The link goes on a word inside the sentence, selected from the keyboard.
    page.keyboard.type(LINK_SENTENCE)
    after_link = LINK_SENTENCE.index(LINK_TEXT) + len(LINK_TEXT)
    for _ in LINK_SENTENCE[after_link:]:
        page.keyboard.press("ArrowLeft")
    for _ in LINK_TEXT:
        page.keyboard.press("Shift+ArrowLeft")
    page.click(".prose-menubar__button[data-name=link]")
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    page.fill("dialog[open] input >> nth=0", LINK_URL)
    dialog.get_by_role("button", name="Update").click()
    dialog.wait_for(state="hidden")
    # What the editor holds now is what the form will send.
    assert editor.locator("h2").inner_text() == SUBHEADING
    assert editor.locator(f'a[href="{LINK_URL}"]').inner_text() == LINK_TEXT


def text_of(page):
    return page.locator("body").inner_text()


def test_editor_publishes_an_article_that_readers_find_everywhere(
    newsroom, editor, open_page, screenshot, photo
):
    base = newsroom.url
    page = open_page("desktop")
    log_in(page, base, editor.username)

    # A new section; its slug is filled in from the name as the editor types.
    page.goto(base + "/admin/articles/section/add/")
    page.locator("#id_name").press_sequentially(SECTION_NAME)
    assert page.input_value("#id_slug") == "waterfront"
    page.fill("#id_description", SECTION_DESCRIPTION)
    page.fill("#id_position", "9")
    page.click("input[name=_save]")
    assert_saved(page, SECTION_NAME)
    section = Section.objects.get(name=SECTION_NAME)

    # An image, with who made it and on what terms.
    page.goto(base + "/admin/articles/image/add/")
    page.set_input_files("#id_file", photo)
    page.fill("#id_alt_text", IMAGE_ALT)
    page.fill("#id_caption", IMAGE_CAPTION)
    page.fill("#id_credit", IMAGE_CREDIT)
    page.select_option("#id_licence", "cc-by-4.0")
    page.click("input[name=_save]")
    assert_saved(page, "image")
    image = Image.objects.get(credit=IMAGE_CREDIT)
    assert (image.width, image.height, image.uploaded_by) == (1200, 800, editor)

    # The article.
    page.goto(base + "/admin/articles/article/add/")
    page.locator("#id_headline").press_sequentially(HEADLINE)
    assert page.input_value("#id_slug") == "ferry-harbour-star-starts-crossings-fares-fall"
    page.fill("#id_standfirst", STANDFIRST)
    write_body(page)
    choose(page, ".field-section .select2-selection", SECTION_NAME, SECTION_NAME)
    page.get_by_role("button", name="Choose or upload a picture…").click()
    page.fill("dialog[open] input[type=search]", "Bluewater ferry test")
    page.locator("dialog[open] .lead-image-choice", has_text="Bluewater").click()
    page.locator("[data-lead-image-card]", has_text=IMAGE_CREDIT).wait_for()
    for tag in TAGS:
        add_tag(page, tag)
    choose(page, "#bylines-0 .select2-selection", "Maren", BYLINE_AUTHOR)
    (first_title, first_url), (second_title, second_url) = REFERENCES
    page.fill("#id_references-0-title", first_title)
    page.fill("#id_references-0-url", first_url)
    page.click("#references-group .add-row a")
    page.fill("#id_references-1-title", second_title)
    page.fill("#id_references-1-url", second_url)
    page.select_option("#id_status", "published")
    screenshot(page, "admin-article-form-desktop")
    page.click("input[name=_save]")
    assert_saved(page, HEADLINE)

    article = Article.objects.get(headline=HEADLINE)
    assert article.is_published
    assert (article.section, article.lead_image) == (section, image)
    article_url = article.get_absolute_url()

    log_out(page, base)

    # Now a reader, who has never logged in.
    reader = open_page("desktop")
    tag_slugs = {tag: Tag.objects.get(name__iexact=tag).slug for tag in TAGS}
    listings = ["/", section.get_absolute_url()] + [f"/tags/{slug}/" for slug in tag_slugs.values()]
    for path in listings:
        response = reader.goto(base + path)
        assert response.status == 200, path
        link = reader.get_by_role("link", name=HEADLINE, exact=True)
        assert link.count() == 1, path
        assert link.get_attribute("href") == article_url, path

    # The section is in the site's navigation.
    reader.goto(base + "/")
    assert reader.locator(".site-nav a", has_text=SECTION_NAME).get_attribute("href") == (
        section.get_absolute_url()
    )

    for feed_path in ["/feed/rss/", "/feed/atom/", section.get_absolute_url() + "feed/rss/"]:
        response = reader.request.get(base + feed_path)
        assert response.ok, feed_path
        feed = feedparser.parse(response.body())
        assert feed.bozo == 0, (feed_path, feed.get("bozo_exception"))
        entries = [entry for entry in feed.entries if entry.title == HEADLINE]
        assert len(entries) == 1, feed_path
        entry = entries[0]
        assert entry.link == base + article_url
        assert entry.media_credit[0]["content"] == IMAGE_CREDIT
        topics = {tag.term for tag in entry.tags if tag.get("scheme") != "urn:newsroom:label"}
        assert topics == set(TAGS)

    # The article itself, on a phone.
    phone = open_page("phone")
    phone.goto(base + article_url)
    assert phone.locator("h1").inner_text() == HEADLINE
    assert phone.locator(".standfirst").inner_text() == STANDFIRST
    assert phone.locator(".byline").inner_text() == f"By {BYLINE_AUTHOR}"
    body = phone.locator(".article-body")
    assert body.locator("p").first.inner_text() == PARAGRAPH
    assert body.locator("h2").inner_text() == SUBHEADING
    link = body.locator(f'a[href="{LINK_URL}"]')
    assert link.inner_text() == LINK_TEXT
    assert body.locator("p").last.inner_text() == LINK_SENTENCE

    figure = phone.locator("figure.lead-image")
    assert figure.locator("img").get_attribute("alt") == IMAGE_ALT
    figure.scroll_into_view_if_needed()
    assert figure.locator("img").evaluate("(image) => image.complete && image.naturalWidth")
    caption = figure.locator("figcaption").inner_text()
    assert IMAGE_CAPTION in caption
    assert f"Credit: {IMAGE_CREDIT}, CC BY 4.0" in caption
    assert figure.locator('a[rel="license"]').get_attribute("href") == (
        "https://creativecommons.org/licenses/by/4.0/"
    )

    references = phone.locator(".references li a")
    assert references.all_inner_texts() == [first_title, second_title]
    assert [references.nth(i).get_attribute("href") for i in range(2)] == [first_url, second_url]
    assert sorted(phone.locator(".article-tags a").all_inner_texts()) == sorted(TAGS)
    assert phone.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the story scrolls sideways on a phone"
    screenshot(phone, "new-article-phone")


def test_a_writers_draft_never_shows_up_for_a_reader(newsroom, writer, open_page):
    base = newsroom.url
    page = open_page("desktop")
    log_in(page, base, writer.username)

    page.goto(base + "/admin/articles/article/add/")
    page.locator("#id_headline").press_sequentially(DRAFT_HEADLINE)
    write_body(page)
    choose(page, ".field-section .select2-selection", "City", "City")
    add_tag(page, DRAFT_TAG)
    add_tag(page, EXISTING_TAG)
    assert page.input_value("#id_status") == "draft"
    page.click("input[name=_save]")
    assert_saved(page, DRAFT_HEADLINE)

    draft = Article.objects.get(headline=DRAFT_HEADLINE)
    assert draft.status == Article.Status.DRAFT
    draft_url = draft.get_absolute_url()
    draft_tag = Tag.objects.get(name=DRAFT_TAG)

    # The writer may preview it, and is told readers cannot see it.
    page.goto(base + draft_url)
    assert page.locator("h1").inner_text() == DRAFT_HEADLINE
    assert "readers cannot see this story" in page.locator(".preview-banner").inner_text()

    reader = open_page("phone")
    for path in [draft_url, f"/tags/{draft_tag.slug}/", f"/tags/{draft_tag.slug}/feed/rss/"]:
        response = reader.goto(base + path)
        assert response.status == 404, path
        assert DRAFT_HEADLINE not in text_of(reader), path

    listings = [
        "/",
        draft.section.get_absolute_url(),
        f"/tags/{Tag.objects.get(name=EXISTING_TAG).slug}/",
        "/tags/",
    ]
    for path in listings:
        response = reader.goto(base + path)
        assert response.status == 200, path
        assert DRAFT_HEADLINE not in text_of(reader), path
        assert draft.slug not in reader.content(), path
    # The topics page (the last one opened) names the demo's tags, not one only the draft carries.
    topics = reader.locator(".tag-cloud a")
    assert topics.count() > 0
    assert f'href="/tags/{draft_tag.slug}/"' not in reader.content()
    assert DRAFT_TAG not in text_of(reader)

    section_feed = draft.section.get_absolute_url() + "feed/rss/"
    for feed_path in ["/feed/rss/", "/feed/atom/", section_feed]:
        response = reader.request.get(base + feed_path)
        assert response.ok, feed_path
        feed = feedparser.parse(response.body())
        assert feed.bozo == 0, feed_path
        assert feed.entries, feed_path
        assert DRAFT_HEADLINE not in [entry.title for entry in feed.entries], feed_path
        assert draft.slug not in response.text(), feed_path
