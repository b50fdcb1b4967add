"""The lead picture in the article form, in a browser at desktop and phone widths: an editor
searches the library in the dialog, picks a picture and sees its thumbnail and credit; uploads a
photo the library already has and is warned; puts the references in order without typing."""

import re
from pathlib import Path

import PIL.Image
import PIL.ImageDraw
import pytest
from admin_pages import PASSWORD, assert_saved, log_in
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse
from test_accessibility import WCAG_A_AND_AA
from test_csp import Watcher

from articles.models import Article, Image

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SEAGRASS_CREDIT = "Harbour City University Marine Ecology Group"
MARKET_STREET = "market-street-car-free-weekends"


@pytest.fixture
def editor(newsroom, django_user_model):
    return django_user_model.objects.create_superuser(
        "picture-editor", "picture-editor@courier.example", PASSWORD
    )


def open_article_form(page, newsroom, editor, slug=MARKET_STREET):
    article = Article.objects.get(slug=slug)
    log_in(page, newsroom.url, editor.username)
    page.goto(newsroom.url + reverse("admin:articles_article_change", args=[article.pk]))
    return article


def open_dialog(page):
    page.get_by_role("button", name="Choose or upload a picture…").click()
    dialog = page.locator("dialog.lead-image-dialog[open]")
    dialog.wait_for()
    return dialog


def violations_in(page, selector, policy=None):
    """axe's findings in one part of the page: the parts this feature adds. (The open dialog is
    checked alone: the page behind it is inert, and dimmed by the backdrop, which axe would
    read as its colours.)

    axe adds <style> elements of its own, which the policy refuses: with a `policy` watcher,
    the page's own record is checked first and what axe caused is then forgotten.
    """
    if policy:
        policy.assert_clean(f"before checking {selector}")
    results = Axe().run(page, context=selector, options={
        "runOnly": {"type": "tag", "values": WCAG_A_AND_AA}, "resultTypes": ["violations"],
    })
    if policy:
        page.evaluate("window.cspViolations = []")
        policy.console.clear()
    return [
        f"{violation['id']}: {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"])
        for violation in results.response["violations"]
    ]


def dialog_screenshot(page, name):
    """What the window shows with the dialog open: a full-page shot would be mostly the page
    behind it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


def focused(page):
    return page.evaluate(
        "[document.activeElement.id, document.activeElement.textContent.trim()]"
    )


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_an_editor_searches_picks_a_picture_and_sees_its_thumbnail_and_credit(
    newsroom, editor, open_page, screenshot, width
):
    page = open_page(width)
    policy = Watcher(page)  # what the Content-Security-Policy blocked, if anything
    article = open_article_form(page, newsroom, editor)
    seagrass = Image.objects.get(credit=SEAGRASS_CREDIT)
    assert article.lead_image != seagrass
    # The form shows today's picture as a card, not as a caption in a drop-down.
    card = page.locator("[data-lead-image-card]")
    assert "Credit:" in card.inner_text()
    screenshot(page, f"lead-picture-form-{width}")

    dialog = open_dialog(page)
    assert focused(page)[0] == "lead-image-query"  # straight into the search
    with page.expect_response(lambda response: "lead-image/choices/" in response.url) as answer:
        page.keyboard.type("eelgrass")
    assert answer.value.ok
    choices = dialog.locator(".lead-image-choice")
    choices.first.wait_for()
    page.wait_for_function(
        "document.querySelectorAll('dialog[open] .lead-image-choice').length === 1"
    )
    assert "Eelgrass" in choices.inner_text()
    assert violations_in(page, "dialog[open]", policy) == []
    dialog_screenshot(page, f"lead-picture-dialog-search-{width}")

    # Picked from the keyboard: Tab from the search box reaches the result.
    choices.first.focus()
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    card = page.locator("[data-lead-image-card]")
    card.wait_for()
    assert card.get_attribute("data-image-id") == str(seagrass.pk)
    assert f"Credit: {SEAGRASS_CREDIT}" in card.inner_text()
    assert "Licence:" in card.inner_text()
    thumbnail = card.locator("img")
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function(
        "(image) => image.complete && image.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    # Focus is back where the editor was.
    assert focused(page)[1] == "Choose or upload a picture…"
    for part in ("#lead-image-picker", ".article-parts"):
        assert violations_in(page, part, policy) == [], part
    card.scroll_into_view_if_needed()
    dialog_screenshot(page, f"lead-picture-chosen-{width}")

    policy.assert_clean("picking a lead picture")
    page.click("input[name=_save]")
    assert_saved(page, article.headline)
    article.refresh_from_db()
    assert article.lead_image == seagrass


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_uploading_a_photo_the_library_has_warns_and_offers_the_one_there(
    newsroom, editor, open_page, screenshot, width
):
    page = open_page(width)
    article = open_article_form(page, newsroom, editor)
    seagrass = Image.objects.get(credit=SEAGRASS_CREDIT)
    same_photo = Path(settings.MEDIA_ROOT) / seagrass.file.name
    pictures = Image.objects.count()

    dialog = open_dialog(page)
    dialog.locator("summary", has_text="Upload a new picture").click()
    page.set_input_files("#lead-image-file", same_photo)
    page.fill("#lead-image-alt_text", "Eelgrass on the harbour bed")
    page.fill("#lead-image-credit", "Someone Else")
    page.select_option("#lead-image-licence", "cc-by-4.0")
    page.get_by_role("button", name="Upload and use this picture").click()

    warning = dialog.locator("[data-lead-image-duplicates]")
    warning.wait_for()
    assert "This photo is already in the library" in warning.inner_text()
    assert "Eelgrass" in warning.inner_text()
    assert f"Credit: {SEAGRASS_CREDIT}" in warning.inner_text()
    assert page.evaluate("document.activeElement.matches('[data-lead-image-duplicates]')")
    assert dialog.get_by_label("Upload it anyway").is_visible()
    assert violations_in(page, "dialog[open]") == []
    warning.scroll_into_view_if_needed()
    dialog_screenshot(page, f"lead-picture-duplicate-{width}")
    assert Image.objects.count() == pictures

    warning.get_by_role("button", name="Use this picture").click()
    dialog.wait_for(state="hidden")
    card = page.locator("[data-lead-image-card]")
    assert card.get_attribute("data-image-id") == str(seagrass.pk)
    page.click("input[name=_save]")
    assert_saved(page, article.headline)
    article.refresh_from_db()
    assert article.lead_image == seagrass
    assert Image.objects.count() == pictures


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_an_editor_puts_the_references_in_order_without_typing_positions(
    newsroom, editor, open_page, screenshot, width
):
    page = open_page(width)
    article = open_article_form(page, newsroom, editor)
    titles = list(article.references.values_list("title", flat=True))
    assert len(titles) == 3
    assert page.locator("#id_references-0-position").is_hidden()

    # The parts of the form are a jump away.
    page.get_by_role("navigation", name="Parts of this story").get_by_role(
        "link", name=re.compile("^Sources")
    ).click()
    assert page.url.endswith("#references-group")

    third = page.locator("#references-2")
    third.get_by_role("button", name=re.compile(r"^Move reference 3 of \d+ up$")).click()
    third.get_by_role("button", name=re.compile(r"^Move reference 2 of \d+ up$")).click()
    status = page.locator(".reference-order-status")
    assert status.inner_text() == f"Moved “{titles[2]}” to place 1 of 4."
    # The moved reference's button keeps the focus; at the top, "Move up" has nothing to do.
    assert focused(page)[1] == "Move down"
    assert violations_in(page, "#references-group") == []
    third.scroll_into_view_if_needed()
    screenshot(page, f"lead-picture-references-{width}")

    page.click("input[name=_save]")
    assert_saved(page, article.headline)
    assert list(article.references.values_list("title", flat=True)) == [
        titles[2], titles[0], titles[1],
    ]


def test_an_editor_uploads_a_new_picture_in_the_dialog_and_it_is_chosen(
    newsroom, editor, open_page, tmp_path
):
    bitmap = PIL.Image.new("RGB", (800, 500), (30, 90, 60))
    PIL.ImageDraw.Draw(bitmap).ellipse([(250, 100), (550, 400)], fill=(240, 200, 40))
    new_photo = tmp_path / "sunrise.png"
    bitmap.save(new_photo)
    page = open_page("desktop")
    article = open_article_form(page, newsroom, editor)

    dialog = open_dialog(page)
    dialog.locator("summary", has_text="Upload a new picture").click()
    page.set_input_files("#lead-image-file", new_photo)
    page.fill("#lead-image-alt_text", "The sun rising over the harbour wall")
    page.fill("#lead-image-caption", "Sunrise over the harbour wall.")
    page.fill("#lead-image-credit", "Lena Park / Courier")
    page.select_option("#lead-image-licence", "cc-by-4.0")
    page.get_by_role("button", name="Upload and use this picture").click()

    dialog.wait_for(state="hidden")
    image = Image.objects.get(credit="Lena Park / Courier")
    card = page.locator("[data-lead-image-card]")
    assert card.get_attribute("data-image-id") == str(image.pk)
    assert "Credit: Lena Park / Courier" in card.inner_text()
    page.click("input[name=_save]")
    assert_saved(page, article.headline)
    article.refresh_from_db()
    assert article.lead_image == image
    assert image.uploaded_by == editor
