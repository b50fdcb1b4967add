"""Never losing a word in the article form: a closed tab gives the story back, leaving with
changes asks first, and a save after the session ended goes through once the editor signs in
again."""

import re
import time
from pathlib import Path

import pytest
from admin_pages import PASSWORD, assert_saved, body_editor, choose, log_in
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session

from articles import roles
from articles.models import Article, WorkingCopy
from articles.roles import grant_role_permissions

WRITER = "ines.writer"
EDITOR = "tomas.editor"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

HEADLINE = "Night ferry to run all winter after petition"
STANDFIRST = "More than four thousand people signed for the late boat to stay."
FIRST_PARAGRAPH = "The harbour board agreed on Tuesday to keep the 23:40 crossing until March."
LAST_PARAGRAPH = "Shift workers at the container port said the boat is their only way home."

EDITED_HEADLINE = "Fare freeze for night trams agreed after a long night at the council"
EDITED_PARAGRAPH = "Councillors voted eleven to four for the freeze, which starts in January."


@pytest.fixture
def newsroom_roles(newsroom):
    """The roles as the migrations make them: the live server's tests empty the database."""
    grant_role_permissions(Group, Permission)


def staff(django_user_model, username, role):
    user = django_user_model.objects.create_user(
        username, f"{username}@courier.example", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def writer(newsroom_roles, django_user_model):
    return staff(django_user_model, WRITER, roles.WRITER)


@pytest.fixture
def editor(newsroom_roles, django_user_model):
    return staff(django_user_model, EDITOR, roles.EDITOR)


def wait_until_kept(page):
    page.locator(".working-copy-status", has_text="Your typing is kept").wait_for()


def kept_fields(user, article=None):
    copy = WorkingCopy.objects.filter(user=user, article=article).first()
    return dict(copy.data["fields"]) if copy else {}


def wait_for_copy_holding(user, text, article=None):
    """The server has the working copy with `text` in its body (its page may be gone)."""
    for _ in range(50):
        if text in kept_fields(user, article).get("body", ""):
            return
        time.sleep(0.1)
    raise AssertionError(f"no working copy holds {text!r}: {kept_fields(user, article)}")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_writer_who_closes_the_tab_gets_their_story_back(
    newsroom, writer, open_page, screenshot, width
):
    base = newsroom.url
    page = open_page(width)
    log_in(page, base, WRITER)

    # A new story, never saved: typed, then kept after a pause in the typing.
    page.goto(base + "/admin/articles/article/add/")
    page.locator("#id_headline").press_sequentially(HEADLINE)
    page.fill("#id_standfirst", STANDFIRST)
    body_editor(page).click()
    page.keyboard.type(FIRST_PARAGRAPH)
    choose(page, ".field-section .select2-selection", "City", "City")
    wait_until_kept(page)
    assert kept_fields(writer)["headline"] == HEADLINE
    screenshot(page, f"admin-article-typing-kept-{width}")

    # More typing, and the tab is closed at once. The browser asks whether to leave changes
    # that are not saved; the writer leaves, and what the tab held is sent as it goes.
    body_editor(page).click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(LAST_PARAGRAPH)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    context = page.context
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert asked == ["beforeunload"]
    wait_for_copy_holding(writer, LAST_PARAGRAPH)
    assert not Article.objects.filter(headline=HEADLINE).exists()

    # Opening "Add article" again offers it back; Restore fills the form, saving nothing.
    page = context.new_page()
    page.goto(base + "/admin/articles/article/add/")
    offer = page.locator(".working-copy-offer")
    offer.wait_for()
    assert re.search(r"Restore what you were typing at \d\d:\d\d\?", offer.inner_text())
    screenshot(page, f"admin-article-restore-offer-{width}")
    offer.get_by_role("button", name="Restore").click()
    assert page.input_value("#id_headline") == HEADLINE
    assert page.input_value("#id_standfirst") == STANDFIRST
    paragraphs = body_editor(page).locator("p").all_inner_texts()
    assert paragraphs == [FIRST_PARAGRAPH, LAST_PARAGRAPH]
    assert page.locator(".field-section .select2-selection__rendered").inner_text().endswith(
        "City"
    )
    assert "not saved yet" in page.locator(".working-copy-done").inner_text()
    assert not Article.objects.filter(headline=HEADLINE).exists()
    screenshot(page, f"admin-article-restored-{width}")

    # Saved for real: the story holds the text, and there is nothing left to restore.
    page.click("input[name=_save]")
    assert_saved(page, HEADLINE)
    article = Article.objects.get(headline=HEADLINE)
    assert (article.standfirst, article.section.name) == (STANDFIRST, "City")
    assert FIRST_PARAGRAPH in article.body and LAST_PARAGRAPH in article.body
    assert not WorkingCopy.objects.filter(user=writer).exists()
    page.goto(base + "/admin/articles/article/add/")
    page.locator(".field-body [contenteditable=true]").wait_for()
    assert page.locator(".working-copy-offer").is_hidden()


def test_discarding_last_times_typing_leaves_the_saved_story(
    newsroom, writer, open_page
):
    article = Article.objects.filter(status=Article.Status.DRAFT).first()
    article.created_by = writer
    article.save()
    base = newsroom.url
    url = f"{base}/admin/articles/article/{article.pk}/change/"
    page = open_page("desktop")
    log_in(page, base, WRITER)
    page.goto(url)
    page.fill("#id_headline", EDITED_HEADLINE)
    wait_until_kept(page)
    page.context.close()

    page = open_page("desktop")
    log_in(page, base, WRITER)
    page.goto(url)
    offer = page.locator(".working-copy-offer")
    offer.wait_for()
    with page.expect_response(lambda response: "working-copy" in response.url):
        offer.get_by_role("button", name="Discard").click()
    assert page.input_value("#id_headline") == article.headline
    assert not WorkingCopy.objects.filter(user=writer).exists()
    page.reload()
    page.locator(".field-body [contenteditable=true]").wait_for()
    assert page.locator(".working-copy-offer").is_hidden()


def test_leaving_a_form_with_unsaved_changes_asks_first_but_saving_does_not(
    newsroom, editor, open_page
):
    article = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    base = newsroom.url
    url = f"{base}/admin/articles/article/{article.pk}/change/"
    page = open_page("desktop")
    log_in(page, base, EDITOR)
    page.goto(url)
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)

    # Unchanged, the form lets the editor go.
    page.locator(".field-body [contenteditable=true]").wait_for()
    page.click(".breadcrumbs a >> nth=0")
    page.wait_for_url(base + "/admin/")
    assert asked == []

    # Changed, it asks; staying keeps the change.
    page.goto(url)
    page.click("#id_headline")
    page.keyboard.press("End")
    page.keyboard.type(" tonight")
    page.click(".breadcrumbs a >> nth=0")
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url == url
    assert page.input_value("#id_headline") == article.headline + " tonight"

    # Saving is leaving too, and is not asked about.
    page.click("input[name=_save]")
    assert_saved(page, article.headline + " tonight")
    assert asked == ["beforeunload"]


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_save_after_the_session_ended_goes_through_once_the_editor_signs_in_again(
    newsroom, editor, open_page, screenshot, width
):
    article = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    base = newsroom.url
    url = f"{base}/admin/articles/article/{article.pk}/change/"
    page = open_page(width)
    log_in(page, base, EDITOR)
    page.goto(url)
    page.fill("#id_headline", EDITED_HEADLINE)
    body_editor(page).click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(EDITED_PARAGRAPH)

    # The session ends (ten hours without a request, or "Log out everywhere" elsewhere).
    Session.objects.all().delete()
    page.click("input[name=_save]")
    dialog = page.locator("dialog.working-copy-sign-in")
    dialog.wait_for()
    assert "Your session has ended" in dialog.inner_text()
    # The dialog is drawn over the window the editor sees, not over the whole long page.
    page.screenshot(path=SCREENSHOTS / f"admin-article-sign-in-again-{width}.png")
    assert Article.objects.get(pk=article.pk).headline == article.headline

    # Signing in again in a new tab (which gives the browser a new CSRF token too)...
    with page.context.expect_page() as opened:
        dialog.get_by_role("link", name="Sign in in a new tab").click()
    login = opened.value
    login.fill("#id_username", EDITOR)
    login.fill("#id_password", PASSWORD)
    login.click("input[type=submit]")
    login.wait_for_url(re.compile(r"/admin/signed-in-again/$"))
    assert "Go back to the tab with your story" in login.inner_text("#content")
    screenshot(login, f"admin-signed-in-again-{width}")

    # ...and the story's own tab saves what it held.
    assert_saved(page, EDITED_HEADLINE)
    saved = Article.objects.get(pk=article.pk)
    assert saved.headline == EDITED_HEADLINE
    assert EDITED_PARAGRAPH in saved.body
    assert not WorkingCopy.objects.filter(user=editor, article=article).exists()
