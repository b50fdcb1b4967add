"""Every public page type is valid HTML by the Nu HTML Checker, the W3C's own validator."""

import json
import os
import re
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
def test_the_desk_and_the_article_list_are_valid_html(
    client, demo_newsroom, vnu, tmp_path, settings, admin_user
):
    settings.DEBUG = False
    client.force_login(admin_user)
    in_review = Article.objects.filter(status=Article.Status.DRAFT).first()
    in_review.status = Article.Status.IN_REVIEW
    in_review.save()
    add_correction(Article.objects.published().first(), "The hall opens at nine.")
    pages = {
        "desk": reverse("admin:index"),
        "article-list": reverse("admin:articles_article_changelist"),
        "article-list-in-review": reverse("admin:articles_article_changelist") + "?desk=in-review",
    }
    responses = {name: client.get(path) for name, path in pages.items()}
    assert all(response.status_code == 200 for response in responses.values())
    assert b"desk-section" in responses["desk"].content
    assert b"status-tabs" in responses["article-list"].content

    problems = check_html(vnu, {n: r.content for n, r in responses.items()}, tmp_path)
    # Django's own navigation sidebar (on every list, not the desk) draws the models without a
    # "Change" link as shorter rows: a note, not an error, in markup that is not ours.
    problems = {
        name: [p for p in found if not p.startswith("info: A table row was 2 columns wide")]
        for name, found in problems.items()
    }
    assert problems == {name: [] for name in pages}


@pytest.mark.django_db
def test_the_article_forms_preview_is_valid_html(
    client, demo_newsroom, vnu, tmp_path, settings, admin_user, read_form
):
    """The preview of a story, and the page that says what the form lacks to make one."""
    settings.DEBUG = False
    client.force_login(admin_user)
    article = Article.objects.published().for_page().first()
    data = read_form(client.get(reverse("admin:articles_article_change", args=[article.pk])))
    preview_url = reverse("admin:articles_article_preview", args=[article.pk])
    responses = {
        "preview": client.post(preview_url, data),
        "preview-problems": client.post(preview_url, {**data, "headline": ""}),
    }
    assert responses["preview"].status_code == 200
    assert responses["preview-problems"].status_code == 400

    problems = check_html(vnu, {n: r.content for n, r in responses.items()}, tmp_path)
    assert problems == {name: [] for name in responses}

LEAD_IMAGE_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>The lead picture</title></head><body><main><h1>Article</h1>{}</main></body></html>"""


@pytest.mark.django_db
def test_the_lead_picture_field_and_dialog_and_the_forms_links_are_valid_html(
    client, admin_user, demo_newsroom, vnu, tmp_path, settings, make_upload
):
    """Each piece is checked inside a page of its own, as the script places it: the field with
    its card and the form's links to its parts, the dialog as it opens, and its upload form
    warning of a photo the library has. (The rest of the article form is Django's.)"""
    settings.DEBUG = False
    client.force_login(admin_user)
    article = Article.objects.published().first()
    with article.lead_image.file.open("rb") as stored:
        same_photo = stored.read()
    duplicate = client.post(reverse("admin:articles_article_lead_image_upload"), {
        "file": make_upload("again.jpg", content=same_photo), "alt_text": "Again",
        "credit": "Someone", "licence": "cc-by-4.0",
    })
    assert b"This photo is already in the library" in duplicate.content
    form_page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = form_page.content.decode()
    links = html[html.index('<nav class="article-parts"'):]
    links = links[:links.index("</nav>") + len("</nav>")]
    # Without the autocomplete box inside it: that is Django's own, and its empty first option
    # is what select2 needs (the checker asks for a label on it).
    field = re.sub(
        r"<select.*?</select>", "", str(form_page.context["adminform"].form["lead_image"]),
        flags=re.DOTALL,
    )
    assert "Choose or upload a picture" in field and "<select" not in field
    dialog = client.get(reverse("admin:articles_article_lead_image_dialog")).content.decode()
    pages = {
        "field-and-links": LEAD_IMAGE_PAGE.format(links + field).encode(),
        "dialog": LEAD_IMAGE_PAGE.format(f"<dialog open>{dialog}</dialog>").encode(),
        "duplicate": LEAD_IMAGE_PAGE.format(
            f"<dialog open><h2>Lead picture</h2>{duplicate.content.decode()}</dialog>"
        ).encode(),
    }

    problems = check_html(vnu, pages, tmp_path)
    assert problems == {name: [] for name in pages}


def review_section(html):
    """The page's Review section, in a page of its own beside the form its buttons name: the
    admin's own pages around it are Django's, and not all of Django's markup passes."""
    section = re.search(r'<section[^>]*class="module review-panel".*?</section>', html, re.S)
    assert section, "the page has no Review section"
    return (
        '<!DOCTYPE html><html lang="en"><head><title>Review</title></head><body>'
        '<h1>A story</h1><form id="article_form" method="post"></form>'
        + section.group(0)
        + "</body></html>"
    ).encode()


@pytest.mark.django_db
def test_the_review_panel_and_the_thread_on_the_history_are_valid_html(
    vnu, tmp_path, make_article, make_staff
):
    """The story's Review panel, for the editor who may change the story and for the writer who
    may only read it once handed in, and the thread on its history."""
    from django.test import Client

    from articles import roles
    from articles.review import hand_in

    writer = make_staff("ines", roles.WRITER)
    editor = make_staff("tomas", roles.EDITOR)
    article = make_article("Ferry fares to rise", status=Article.Status.DRAFT,
                           published_at=None, created_by=writer)
    hand_in(article, writer, "The figures are confirmed.\n\nThe quote is <on> tape & file.")
    clients = {}
    for name, user in (("editor", editor), ("writer", writer)):
        clients[name] = Client()
        clients[name].force_login(user)
    change = reverse("admin:articles_article_change", args=[article.pk])
    responses = {
        "editor-form": clients["editor"].get(change),
        "writer-form": clients["writer"].get(change),
        "history": clients["editor"].get(
            reverse("admin:articles_article_history", args=[article.pk])
        ),
    }
    assert all(response.status_code == 200 for response in responses.values())
    pages = {name: review_section(r.content.decode()) for name, r in responses.items()}
    assert all(b"The quote is &lt;on&gt; tape &amp; file." in page for page in pages.values())

    problems = check_html(vnu, pages, tmp_path)
    assert problems == {name: [] for name in responses}


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
