"""The Content-Security-Policy as a browser enforces it: nothing the site's own pages need is
refused — the admin's forms, its rich-text editor and focal-point picker, readers' pages."""

import pytest
from admin_pages import PASSWORD, body_editor, log_in
from django.urls import reverse

from articles.models import Article, Image

# Collects every violation the page reports, from before its first script runs.
WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `at ${event.sourceFile || event.documentURI}:${event.lineNumber} ${event.sample}`
  );
});
"""


class Watcher:
    """What a page reported: CSP violations, and the browser's complaints about our headers."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self.listen)

    def listen(self, message):
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            self.console.append(text)

    def assert_clean(self, what):
        violations = self.page.evaluate("window.cspViolations")
        assert violations == [], f"{what}: {violations}"
        assert self.console == [], f"{what}: {self.console}"


@pytest.fixture
def editor(newsroom, django_user_model):
    return django_user_model.objects.create_superuser(
        "csp-editor", "csp-editor@courier.example", PASSWORD
    )


def test_the_admin_runs_under_the_policy(newsroom, editor, open_page):
    base = newsroom.url
    page = open_page("desktop")
    watcher = Watcher(page)

    page.goto(base + "/admin/login/")
    watcher.assert_clean("the login page")
    log_in(page, base, editor.username)
    watcher.assert_clean("the admin's front page")

    # The article form: its import map runs by its nonce, and the editor works.
    page.goto(base + "/admin/articles/article/add/")
    page.locator("#id_headline").press_sequentially("Tide tables")
    assert page.input_value("#id_slug") == "tide-tables"
    editor_box = body_editor(page)
    editor_box.click()
    page.keyboard.type("## High water")
    page.keyboard.press("Enter")
    page.keyboard.type("Twice a day.")
    assert editor_box.locator("h2").inner_text() == "High water"
    assert "<h2>High water</h2>" in page.input_value("#id_body")
    # The editor's own CSS came in by its hash: ProseMirror keeps the spaces a writer types.
    assert editor_box.evaluate("(box) => getComputedStyle(box).whiteSpace") in (
        "pre-wrap", "break-spaces"
    )
    watcher.assert_clean("the new article form")

    # A saved article opens in the editor with its text.
    article = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    page.goto(base + reverse("admin:articles_article_change", args=[article.pk]))
    assert body_editor(page).locator("p").count() > 0
    watcher.assert_clean("an article's form")

    for path in [
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_image_changelist"),
        reverse("admin:articles_image_add"),
    ]:
        response = page.goto(base + path)
        assert response.ok, path
        watcher.assert_clean(path)

    # The image form: a click on the preview sets the focal point.
    image = Image.objects.first()
    page.goto(base + reverse("admin:articles_image_change", args=[image.pk]))
    preview = page.locator("[data-focal-point-preview]")
    box = preview.bounding_box()
    preview.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert page.input_value("#id_focal_x") == "0.25"
    assert page.input_value("#id_focal_y") == "0.75"
    marker = page.locator(".focal-point-marker")
    assert marker.evaluate("(marker) => marker.style.left") == "25%"
    watcher.assert_clean("the picture form")


def test_readers_pages_run_under_the_policy(newsroom, open_page):
    base = newsroom.url
    page = open_page("phone")
    watcher = Watcher(page)
    article = Article.objects.published().exclude(lead_image=None).first()
    for path in ["/", article.get_absolute_url(), "/tags/", "/search/?q=harbour"]:
        response = page.goto(base + path)
        assert response.ok, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        watcher.assert_clean(path)
    # The lead image was allowed to load.
    response = page.goto(base + article.get_absolute_url())
    assert response.ok
    image = page.locator("figure.lead-image img")
    image.scroll_into_view_if_needed()
    assert image.evaluate("(image) => image.complete && image.naturalWidth > 0")
    watcher.assert_clean("the article's picture")
