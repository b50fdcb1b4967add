"""Review as a conversation in a real browser, at desktop and phone widths: the writer hands a
story in with a note, the editor sends it back with a note, the writer is e-mailed (caught by a
real SMTP server here), reads the note and hands it in again, and the editor approves and
publishes it. The mail goes as in production: queued in the database, sent by the worker."""

import re

import pytest
from admin_pages import PASSWORD, log_in
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from test_accessibility import violations

from articles import roles
from articles.models import Article, ReviewNote
from articles.roles import grant_role_permissions

HEADLINE = "Ferry fares to rise by a fifth in January"
HAND_IN_NOTE = "The harbour board confirmed the figures this morning."
SEND_BACK_NOTE = "Lead with what a season ticket will cost, please."
AGAIN_NOTE = "Done: the season ticket is in the first line."
STANDFIRST = "A season ticket will cost £620, up from £515."


@pytest.fixture
def desk(newsroom, django_user_model, section_of_demo=None):
    grant_role_permissions(Group, Permission)
    people = {}
    for username, role, name in [
        ("ines", roles.WRITER, ("Ines", "Duarte")), ("tomas", roles.EDITOR, ("Tomas", "Berg")),
    ]:
        user = django_user_model.objects.create_user(
            username, f"{username}@courier.example", PASSWORD, is_staff=True,
            first_name=name[0], last_name=name[1],
        )
        user.groups.add(Group.objects.get(name=role))
        people[username] = user
    demo_article = Article.objects.published().first()
    people["draft"] = Article.objects.create(
        headline=HEADLINE, slug="ferry-fares-rise", section=demo_article.section,
        standfirst="Fares go up in January.", body="<p>The harbour board will raise fares.</p>",
        status=Article.Status.DRAFT, created_by=people["ines"],
    )
    return people


def run_the_worker():
    """What `make run`'s worker does every second: send what the saves have queued."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def change_url(base, article):
    return f"{base}/admin/articles/article/{article.pk}/change/"


def wait_for_the_list(page, base):
    # (A page opened from the e-mail's link to #review keeps that fragment through the save.)
    page.wait_for_url(re.compile(re.escape(base) + r"/admin/articles/article/(#review)?$"))


def take_step(page, note, button):
    page.fill("#id_review_note", note)
    page.get_by_role("button", name=button, exact=True).click()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_story_goes_back_and_forth_with_notes_until_the_editor_publishes_it(
    newsroom, desk, smtp_server, open_page, screenshot, width
):
    base, draft = newsroom.url, desk["draft"]

    # 1. The writer hands the story in with a note.
    writer = open_page(width)
    log_in(writer, base, "ines")
    writer.goto(change_url(base, draft))
    assert writer.locator("#review .review-empty").inner_text() == "No notes yet."
    assert writer.get_by_role("button", name="Send back with a note").count() == 0
    take_step(writer, HAND_IN_NOTE, "Hand in for review")
    wait_for_the_list(writer, base)
    assert "is handed in: the editors are told" in writer.locator(".messagelist").inner_text()
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW

    run_the_worker()
    (handed_in,) = smtp_server.messages()
    assert handed_in["To"].addresses[0].addr_spec == "tomas@courier.example"
    assert handed_in["Subject"] == f"Handed in: {HEADLINE}"

    # 2. The editor reads the note and sends the story back with one of their own; without a
    # note the form says what is missing, next to the note.
    editor = open_page(width)
    log_in(editor, base, "tomas")
    editor.goto(change_url(base, draft))
    assert HAND_IN_NOTE in editor.locator(".messagelist").inner_text()
    note = editor.locator("#review .review-note")
    assert note.count() == 1
    assert "Handed in by Ines Duarte" in " ".join(note.locator(".review-meta").inner_text().split())
    assert note.locator(".review-text").inner_text() == HAND_IN_NOTE
    screenshot(editor, f"review-editor-reads-the-hand-in-{width}")
    assert violations(editor) == []

    editor.get_by_role("button", name="Send back with a note").click()
    error = editor.locator("#review .errorlist")
    error.wait_for()
    assert "Write a note to say what should change" in error.inner_text()
    screenshot(editor, f"review-send-back-needs-a-note-{width}")
    take_step(editor, SEND_BACK_NOTE, "Send back with a note")
    wait_for_the_list(editor, base)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT

    # 3. The writer is e-mailed, and finds the note on the story.
    run_the_worker()
    sent_back = smtp_server.messages()[-1]
    assert sent_back["To"].addresses[0].addr_spec == "ines@courier.example"
    assert sent_back["Subject"] == f"Sent back to you: {HEADLINE}"
    assert SEND_BACK_NOTE in sent_back.get_body(("plain",)).get_content()
    link = re.search(r"Open the story: (\S+)", sent_back.get_body(("plain",)).get_content())
    writer.goto(link.group(1))
    assert SEND_BACK_NOTE in writer.locator(".messagelist").inner_text()
    thread = writer.locator("#review .review-note")
    assert thread.count() == 2
    assert thread.nth(1).locator(".review-text").inner_text() == SEND_BACK_NOTE
    assert writer.locator("#review .review-note.review-unread").count() == 1
    screenshot(writer, f"review-writer-reads-the-note-{width}")
    assert violations(writer) == []

    # 4. The writer puts it right and hands it in again.
    writer.fill("#id_standfirst", STANDFIRST)
    take_step(writer, AGAIN_NOTE, "Hand in for review")
    wait_for_the_list(writer, base)
    draft.refresh_from_db()
    assert (draft.status, draft.standfirst) == (Article.Status.IN_REVIEW, STANDFIRST)

    # In review, the story is the editors': the writer may still add a note to the thread.
    writer.goto(change_url(base, draft))
    assert writer.locator("#id_standfirst").count() == 0
    take_step(writer, "The fares table is attached to the board's release.", "Add the note")
    writer.wait_for_url(change_url(base, draft) + "#review")
    assert writer.locator("#review .review-note").count() == 4
    screenshot(writer, f"review-writer-comments-in-review-{width}")
    assert violations(writer) == []

    # 5. The editor approves and publishes in one step.
    editor.goto(change_url(base, draft))
    take_step(editor, "Thanks, good story.", "Approve and publish")
    wait_for_the_list(editor, base)
    assert "is approved and published" in editor.locator(".messagelist").inner_text()
    draft.refresh_from_db()
    assert draft.is_published
    assert list(draft.review_notes.values_list("kind", flat=True)) == [
        ReviewNote.Kind.HANDED_IN, ReviewNote.Kind.SENT_BACK, ReviewNote.Kind.HANDED_IN,
        ReviewNote.Kind.COMMENT, ReviewNote.Kind.APPROVED,
    ]
    run_the_worker()
    assert smtp_server.messages()[-1]["Subject"] == f"Published: {HEADLINE}"

    # The history keeps the whole conversation.
    editor.goto(f"{base}/admin/articles/article/{draft.pk}/history/")
    assert editor.locator(".review-panel .review-note").count() == 5
    screenshot(editor, f"review-history-{width}")
    assert violations(editor) == []
    assert editor.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the history scrolls sideways"
