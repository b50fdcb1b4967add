"""An editor sees the story as readers will while writing it: the preview beside the form follows
each edit without saving, at phone, tablet and desktop widths; after a save, "View live"."""

import re

import pytest
from admin_pages import PASSWORD, assert_saved, body_editor, log_in
from axe_playwright_python.sync_playwright import Axe
from conftest import SCREENSHOTS
from django.urls import reverse
from test_accessibility import WCAG_A_AND_AA, violations
from test_csp import Watcher

from articles.models import Article

# The preview shown: the next one loads in a frame of its own, hidden until it has.
FRAME = "#article-preview iframe:not([data-loading])"
HEADLINE = "Harbour Star crossings start on Monday"
SENTENCE = "Fares fall to two euros for the first month."


@pytest.fixture
def editor(newsroom, django_user_model):
    return django_user_model.objects.create_superuser(
        "preview-editor", "preview-editor@courier.example", PASSWORD
    )


@pytest.fixture
def story(newsroom):
    return Article.objects.published().for_page().filter(lead_image__isnull=False).first()


def preview(page):
    return page.frame_locator(FRAME)


def wait_for_headline(page, text):
    preview(page).locator("h1", has_text=text).wait_for()


def frame_width(page):
    return page.locator(FRAME).evaluate("(frame) => frame.getBoundingClientRect().width")


def frame_page_width(page):
    """The width the page inside the frame is laid out at, in its own pixels."""
    return page.locator(FRAME).evaluate("(frame) => frame.offsetWidth")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_preview_follows_the_editors_typing_without_saving(
    newsroom, editor, story, open_page, screenshot, width
):
    base = newsroom.url
    page = open_page(width)
    watcher = Watcher(page)
    log_in(page, base, editor.username)
    saved_headline = story.headline
    page.goto(base + reverse("admin:articles_article_change", args=[story.pk]))
    body_editor(page).wait_for()
    panel = page.locator("#article-preview")
    toggle = page.get_by_role("button", name=re.compile("preview$"))
    if width == "phone":
        # Behind a button on a phone, so the form comes first.
        assert panel.is_hidden()
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
    assert panel.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    wait_for_headline(page, saved_headline)
    history = page.evaluate("history.length")
    # No script runs in the frame, nor can it send a form or lead the admin elsewhere.
    assert page.locator(FRAME).get_attribute("sandbox") == "allow-same-origin"
    # The readers' template, with the picture and its credit, marked as a preview.
    frame = preview(page)
    assert "Credit:" in frame.locator("figure.lead-image").inner_text()
    assert "Preview of the form as it stands" in frame.locator(".preview-banner").inner_text()

    page.fill("#id_headline", HEADLINE)
    wait_for_headline(page, HEADLINE)
    body_editor(page).locator("p").last.click()
    page.keyboard.press("Enter")
    page.keyboard.type(SENTENCE)
    frame.locator(".article-body p", has_text=SENTENCE).wait_for()
    # The preview never takes the editor's place: typing goes on where it was.
    assert page.evaluate("document.activeElement.isContentEditable")
    page.keyboard.type(" Tickets go on sale today.")
    frame.locator(".article-body p", has_text="Tickets go on sale today.").wait_for()
    assert f"{SENTENCE} Tickets go on sale today." in page.input_value("#id_body")

    assert Article.objects.get(pk=story.pk).headline == saved_headline
    screenshot(page, f"preview-follows-typing-{width}")
    # As the editor sees it: the form where they type, the preview where it stays in view.
    page.screenshot(path=SCREENSHOTS / f"preview-follows-typing-{width}-in-view.png")

    # The phone's width: the page inside is laid out 390 pixels wide, as on a phone.
    page.get_by_role("button", name="Desktop").click()
    assert frame_page_width(page) == 1280
    page.get_by_role("button", name="Phone").click()
    assert page.get_by_role("button", name="Phone").get_attribute("aria-pressed") == "true"
    assert frame_page_width(page) == 390
    assert frame_width(page) <= page.locator("#article-preview").bounding_box()["width"]
    assert frame.locator("body").evaluate("() => window.innerWidth") == 390
    screenshot(page, f"preview-at-phone-width-{width}")
    page.get_by_role("button", name="Tablet").click()
    assert frame_page_width(page) == 768
    assert frame.locator("body").evaluate("() => window.innerWidth") == 768
    page.get_by_role("button", name="Desktop").click()
    assert frame_page_width(page) == 1280

    assert Article.objects.get(pk=story.pk).headline == saved_headline
    # The previews left the browser's history alone: Back leaves the form.
    assert page.evaluate("history.length") == history
    assert page.locator("#article-preview iframe").count() == 1
    watcher.assert_clean("the article form with its preview")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_after_saving_a_published_story_the_message_leads_to_it_live(
    newsroom, editor, story, open_page, screenshot, width
):
    base = newsroom.url
    page = open_page(width)
    log_in(page, base, editor.username)
    page.goto(base + reverse("admin:articles_article_change", args=[story.pk]))
    body_editor(page).wait_for()
    page.fill("#id_headline", HEADLINE)
    page.locator("input[name=_continue]").click()

    assert_saved(page, HEADLINE)
    screenshot(page, f"view-live-message-{width}")
    page.locator(".messagelist .success").get_by_role("link", name="View live").click()

    page.wait_for_url(base + Article.objects.get(pk=story.pk).get_absolute_url())
    assert page.locator("h1").inner_text() == HEADLINE


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_preview_and_the_new_article_form_have_no_accessibility_violations(
    newsroom, editor, story, open_page, width
):
    """The preview panel and the page in it on a stored article's form (whose other parts are
    the admin's own), and the whole form of a new article with its preview open."""
    page = open_page(width)
    log_in(page, newsroom.url, editor.username)
    page.goto(newsroom.url + reverse("admin:articles_article_change", args=[story.pk]))
    body_editor(page).wait_for()
    if width == "phone":
        page.get_by_role("button", name="Show preview").click()
    wait_for_headline(page, story.headline)
    found = {"panel": violations_in(page, "#article-preview")}

    page.goto(newsroom.url + reverse("admin:articles_article_add"))
    body_editor(page).wait_for()
    if width == "phone":
        page.get_by_role("button", name="Show preview").click()
    preview(page).get_by_text("Fix these and the preview comes back").wait_for()
    found["new article"] = violations(page)

    assert found == {"panel": [], "new article": []}


def violations_in(page, selector):
    results = Axe().run(page, context=selector, options={
        "runOnly": {"type": "tag", "values": WCAG_A_AND_AA}, "resultTypes": ["violations"],
    })
    return [
        f"{violation['id']}: {violation['help']}" for violation in results.response["violations"]
    ]
