"""axe-core finds no WCAG 2.x A or AA problem on any public page type or the article form."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from articles.models import Article

WCAG_A_AND_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Landmarks, heading order and the like are tagged best practice rather than WCAG; our own pages
# meet those too. (The admin's inline tables keep Django's empty corner header, so the admin is
# held to WCAG alone.)
PUBLIC_PAGE_RULES = [*WCAG_A_AND_AA, "best-practice"]


def violations(page, tags=WCAG_A_AND_AA):
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": tags},
            "resultTypes": ["violations"],
        },
    )
    return [
        f"{violation['id']}: {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"])
        for violation in results.response["violations"]
    ]


def public_pages():
    article = Article.objects.published().for_page().first()
    return {
        "home": "/",
        "section": article.section.get_absolute_url(),
        "article": article.get_absolute_url(),
        "tag": reverse("articles:tag", args=[article.tags.first().slug]),
        "tags": reverse("articles:tag_list"),
        "author": article.byline_authors[0].get_absolute_url(),
        "search": reverse("articles:search") + "?q=harbour",
        "not-found": "/no-such-page/",
    }


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_public_pages_have_no_accessibility_violations(newsroom, open_page, width):
    page = open_page(width)
    found = {}
    for name, path in public_pages().items():
        page.goto(newsroom.url + path)
        found[name] = violations(page, PUBLIC_PAGE_RULES)
    assert found == {name: [] for name in found}


def test_public_pages_reflow_at_200_percent_zoom(newsroom, open_page):
    """Zoomed to 200% a 1280-pixel window is 640 CSS pixels wide: nothing may be cut off."""
    page = open_page("desktop")
    page.set_viewport_size({"width": 640, "height": 450})
    for name, path in public_pages().items():
        page.goto(newsroom.url + path)
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], name


def sign_in_as_admin(page, base_url):
    """Sign in as pytest-django's `admin_user` (whose password is "password")."""
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_the_article_form_has_no_accessibility_violations(newsroom, open_page, admin_user):
    page = open_page("desktop")
    sign_in_as_admin(page, newsroom.url)
    page.goto(newsroom.url + reverse("admin:articles_article_add"))
    page.wait_for_selector(".field-body [contenteditable=true]")
    assert violations(page) == []


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_desk_and_the_article_list_have_no_accessibility_violations(
    newsroom, open_page, admin_user, width
):
    page = open_page(width)
    sign_in_as_admin(page, newsroom.url)
    found = {"desk": violations(page)}
    page.goto(newsroom.url + reverse("admin:articles_article_changelist"))
    found["article list"] = violations(page)
    assert found == {"desk": [], "article list": []}


def test_the_lead_picture_dialog_has_no_accessibility_violations(newsroom, open_page, admin_user):
    """Checked alone while open: the page behind a modal dialog is inert."""
    page = open_page("phone")
    sign_in_as_admin(page, newsroom.url)
    page.goto(newsroom.url + reverse("admin:articles_article_add"))
    page.get_by_role("button", name="Choose or upload a picture…").click()
    page.locator("dialog[open] summary").click()
    results = Axe().run(page, context="dialog[open]", options={
        "runOnly": {"type": "tag", "values": WCAG_A_AND_AA}, "resultTypes": ["violations"],
    })
    assert [violation["id"] for violation in results.response["violations"]] == []


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_story_with_its_review_thread_has_no_accessibility_violations(
    newsroom, open_page, admin_user, width
):
    """The article form with its Review panel — the thread, the note and the review steps — and
    the history with the thread."""
    from articles.review import hand_in

    # A story of its own: the change form's byline and tag rows have checks of their own.
    article = Article.objects.create(
        headline="Ferry fares to rise", slug="ferry-fares-to-rise",
        section=Article.objects.published().first().section, created_by=admin_user,
    )
    hand_in(article, admin_user, "The figures are confirmed.\n\nThe quote is on tape.")
    page = open_page(width)
    sign_in_as_admin(page, newsroom.url)
    for name in ("change", "history"):
        page.goto(newsroom.url + reverse(f"admin:articles_article_{name}", args=[article.pk]))
        page.locator(".review-note").wait_for()
        assert violations(page) == [], name


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_working_copy_screens_have_no_accessibility_violations(
    newsroom, open_page, admin_user, screenshot, width
):
    """The offer of last time's typing, the dialog that asks to sign in again, the page a save
    refused for its token leads to, and the page signing in again lands on."""
    from django.contrib.sessions.models import Session

    from articles.models import WorkingCopy

    WorkingCopy.objects.create(
        user=admin_user, data={"fields": [["headline", "Tide tables"]], "labels": {}}
    )
    page = open_page(width)
    page.goto(newsroom.url + "/admin/login/?next=/admin/signed-in-again/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/signed-in-again/")
    found = {"signed in again": violations(page)}

    add = newsroom.url + reverse("admin:articles_article_add")
    page.goto(add)
    page.locator(".working-copy-offer").wait_for()
    found["restore offer"] = violations(page)

    # A post with a stale token, as a form open since before the session ended sends it.
    page.evaluate(
        """(url) => {
          const form = document.createElement("form");
          form.method = "post";
          form.action = url;
          form.innerHTML = '<input name="csrfmiddlewaretoken" value="stale">';
          document.body.append(form);
          HTMLFormElement.prototype.submit.call(form);
        }""",
        add,
    )
    page.locator(".csrf-failure").wait_for()
    found["refused save"] = violations(page)
    screenshot(page, f"admin-refused-save-{width}")

    page.goto(add)
    page.locator(".working-copy-offer").wait_for()
    Session.objects.all().delete()
    page.click("input[name=_save]")
    page.locator("dialog.working-copy-sign-in").wait_for()
    found["sign in again"] = violations(page)
    assert found == {name: [] for name in found}
