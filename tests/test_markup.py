"""Every public page type is valid HTML by the Nu HTML Checker, the W3C's own validator."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from articles.models import Article, ShareLink
from articles.publishing import add_correction

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.fixture(scope="session")
def vnu():
    """The checker's command line; it needs Java and the vnu-jar package from npm."""
    missing = []
    if not shutil.which("java"):
        missing.append("Java (apt-get install -y default-jre-headless)")
    if not VNU_JAR.exists():
        missing.append("the Nu HTML Checker (npm ci)")
    if missing:
        message = "The HTML checks need " + " and ".join(missing) + "; `make test` installs them."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return ["java", "-Xss8m", "-jar", str(VNU_JAR), "--format", "json"]


def check_html(vnu, pages, folder):
    """Validate the pages in one run of the checker; return its messages per page name."""
    paths = {}
    for name, html in pages.items():
        paths[name] = folder / f"{name}.html"
        paths[name].write_bytes(html)
    result = subprocess.run(
        [*vnu, *map(str, paths.values())], capture_output=True, text=True, timeout=300
    )
    messages = json.loads(result.stderr)["messages"]
    by_page = {name: [] for name in pages}
    for message in messages:
        name = next(n for n, p in paths.items() if message.get("url", "").endswith(p.name))
        extract = message.get("extract", "")
        by_page[name].append(f"{message['type']}: {message['message']} “{extract}”")
    return by_page


@pytest.mark.django_db
def test_every_public_page_type_is_valid_html(client, demo_newsroom, vnu, tmp_path, settings):
    settings.DEBUG = False
    article = Article.objects.published().for_page().first()
    add_correction(article, "The line is the number 4.\n\nIt runs until 5am.")
    draft = Article.objects.filter(status=Article.Status.DRAFT).first()
    share_link = ShareLink.objects.create(article=draft)
    tag = article.tags.first()
    pages = {
        "home": "/",
        "section": article.section.get_absolute_url(),
        "article": article.get_absolute_url(),
        "tag": reverse("articles:tag", args=[tag.slug]),
        "tags": reverse("articles:tag_list"),
        "author": article.byline_authors[0].get_absolute_url(),
        "corrections": reverse("articles:corrections"),
        "share-link": share_link.get_absolute_url(),
        "search": reverse("articles:search") + "?q=harbour",
        "search-empty": reverse("articles:search"),
        "not-found": "/no-such-page/",
    }
    responses = {name: client.get(path) for name, path in pages.items()}
    assert responses["not-found"].status_code == 404
    assert all(r.status_code == 200 for n, r in responses.items() if n != "not-found")
    assert b"<mark>" in responses["search"].content

    problems = check_html(vnu, {n: r.content for n, r in responses.items()}, tmp_path)
    assert problems == {name: [] for name in pages}


@pytest.mark.django_db
def test_the_working_copy_pages_are_valid_html(
    client, demo_newsroom, vnu, tmp_path, settings, django_user_model
):
    """The article form with the offer of last time's typing and its sign-in dialog, the page
    a save refused for its CSRF token leads to, and the page signing in again lands on."""
    from django.test import Client

    from articles.models import WorkingCopy

    settings.DEBUG = False
    editor = django_user_model.objects.create_superuser("markup-editor", "e@courier.example")
    WorkingCopy.objects.create(
        user=editor, data={"fields": [["headline", "Tide <tables> & “times”"]], "labels": {}}
    )
    client.force_login(editor)
    add = reverse("admin:articles_article_add")
    refusing = Client(enforce_csrf_checks=True)
    refusing.force_login(editor)
    responses = {
        "restore-offer": client.get(add),
        "refused-save": refusing.post(add, {"headline": "Tide tables"}),
        "signed-in-again": client.get(reverse("signed_in_again")),
    }
    assert [r.status_code for r in responses.values()] == [200, 403, 200]
    pages = {name: response.content for name, response in responses.items()}
    # Django's own change form is not clean by the checker (its pickers' empty options, its
    # inline tables' rows): the offer and its dialog are checked in a form of their own.
    html = pages["restore-offer"].decode()
    start = html.index('<div id="working-copy"')
    end = html.index("</div>", html.index("</dialog>", start)) + len("</div>")
    pages["restore-offer"] = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Add article</title>'
        f'</head><body><h1>Add article</h1><form method="post">{html[start:end]}</form>'
        "</body></html>"
    ).encode()
    assert "Restore what you were typing" in html[start:end]

    problems = check_html(vnu, pages, tmp_path)
    assert problems == {name: [] for name in pages}
