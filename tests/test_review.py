"""Review as a conversation, on the server: a writer hands a story in with a note, an editor sends
it back with a note or approves and publishes it, and the people concerned are told — on their
desk and by e-mail, caught here by a real SMTP server on this machine."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from makers import staff_member

from articles import roles
from articles.models import Article, Notice, ReviewNote
from articles.review import hand_in, notices_for, send_back
from articles.review.mail import _enqueue

HEADLINE = "Ferry fares to rise by a fifth in January"
HAND_IN_NOTE = "The harbour board confirmed the figures this morning; the quote is on tape."
SEND_BACK_NOTE = "Lead with what a season ticket will cost. Check the second figure."
APPROVE_NOTE = "Good story, thank you."


@pytest.fixture
def desk(db):
    """A writer and a colleague, two editors, an editor with no address and one who has left."""
    return {
        "writer": staff_member("ines", roles.WRITER, email="ines@courier.example",
                               first_name="Ines", last_name="Duarte"),
        "colleague": staff_member("colm", roles.WRITER, email="colm@courier.example"),
        "editor": staff_member("tomas", roles.EDITOR, email="tomas@courier.example",
                               first_name="Tomas", last_name="Berg"),
        "second_editor": staff_member("bea", roles.EDITOR, email="bea@courier.example"),
        "no_address": staff_member("nadia", roles.EDITOR),
        "gone": staff_member("olaf", roles.EDITOR, email="olaf@courier.example",
                             is_active=False),
    }


@pytest.fixture
def draft(make_article, desk):
    return make_article(HEADLINE, status=Article.Status.DRAFT, published_at=None,
                        created_by=desk["writer"])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def post_step(client, read_form, article, step=None, note="", **changes):
    """Post the article's form as its page offers it, with a note and a review button."""
    data = read_form(client.get(change_url(article)))
    data.update(review_note=note, **changes)
    if step:
        data["_review"] = step
    return client.post(change_url(article), data)


def in_review(article, desk):
    article.status = Article.Status.IN_REVIEW
    article.save()
    return article


def recipients(messages):
    return sorted(address for message in messages for address in message["To"].addresses
                  for address in [address.addr_spec])


def queued_emails(callbacks):
    """Of what a save left to run once it commits, the e-mails it queues."""
    return [callback for callback in callbacks if getattr(callback, "func", None) is _enqueue]


def text_of(message):
    return message.get_body(("plain",)).get_content()


# Handing in.


def test_a_writer_hands_in_their_draft_with_a_note_and_every_editor_is_emailed(
    desk, draft, read_form, smtp_server, tasks_at_once, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(signed_in(desk["writer"]), read_form, draft, "hand_in", HAND_IN_NOTE)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    (note,) = draft.review_notes.all()
    assert (note.kind, note.text, note.author) == (
        ReviewNote.Kind.HANDED_IN, HAND_IN_NOTE, desk["writer"]
    )
    # On the desk of every active editor, with or without an address.
    told = {notice.recipient.username for notice in note.notices.all()}
    assert told == {"tomas", "bea", "nadia"}
    # By e-mail to those with an address, each their own message.
    messages = smtp_server.messages()
    assert recipients(messages) == ["bea@courier.example", "tomas@courier.example"]
    assert all(len(message["To"].addresses) == 1 for message in messages)
    message = messages[0]
    assert message["Subject"] == f"Handed in: {HEADLINE}"
    body = text_of(message)
    assert "Ines Duarte handed in “Ferry fares to rise by a fifth in January” for review" in body
    assert HAND_IN_NOTE in body
    assert f"http://testserver{change_url(draft)}#review" in body
    assert HAND_IN_NOTE in message.get_body(("html",)).get_content()


def test_choosing_in_review_and_saving_is_handing_in(
    desk, draft, read_form, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = post_step(signed_in(desk["writer"]), read_form, draft, status="in_review")

    assert response.status_code == 302
    assert list(draft.review_notes.values_list("kind", "text")) == [("handed_in", "")]
    assert len(queued_emails(queued)) == 2  # an e-mail for each editor with an address


def test_a_writer_cannot_hand_in_a_colleagues_draft(desk, draft, read_form):
    client = signed_in(desk["colleague"])

    response = client.post(change_url(draft), {"_review": "hand_in", "review_note": "Mine now"})

    # As for any story not theirs: the admin does not know it, and says so on its home.
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert not ReviewNote.objects.exists()


# Sending back.


def test_an_editor_sends_a_story_back_with_a_note_and_the_writer_is_emailed(
    desk, draft, read_form, smtp_server, tasks_at_once, django_capture_on_commit_callbacks
):
    in_review(draft, desk)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(
            signed_in(desk["editor"]), read_form, draft, "send_back", SEND_BACK_NOTE
        )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    note = draft.review_notes.get()
    assert (note.kind, note.text, note.author) == ("sent_back", SEND_BACK_NOTE, desk["editor"])
    assert [notice.recipient for notice in note.notices.all()] == [desk["writer"]]
    (message,) = smtp_server.messages()
    assert message["To"].addresses[0].addr_spec == "ines@courier.example"
    assert message["Subject"] == f"Sent back to you: {HEADLINE}"
    assert "Tomas Berg sent “Ferry fares to rise by a fifth in January” back to you" in (
        text_of(message)
    )
    assert SEND_BACK_NOTE in text_of(message)
    # Back in the writer's hands: theirs to change again.
    assert signed_in(desk["writer"]).get(change_url(draft)).context["has_change_permission"]


def test_sending_back_without_a_note_is_refused_next_to_the_note(
    desk, draft, read_form, django_capture_on_commit_callbacks
):
    in_review(draft, desk)

    with django_capture_on_commit_callbacks() as queued:
        response = post_step(signed_in(desk["editor"]), read_form, draft, "send_back", "  ")

    assert response.status_code == 200
    assert "Write a note to say what should change" in str(
        response.context["adminform"].form.errors["review_note"]
    )
    assert 'class="review-compose errors"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    assert not ReviewNote.objects.exists() and not queued_emails(queued)


def test_choosing_draft_for_a_story_in_review_is_sending_it_back(desk, draft, read_form):
    in_review(draft, desk)

    post_step(signed_in(desk["editor"]), read_form, draft, note=SEND_BACK_NOTE, status="draft")

    assert list(draft.review_notes.values_list("kind", "text")) == [("sent_back", SEND_BACK_NOTE)]


# Approving.


def test_an_editor_approves_and_publishes_in_one_step_and_the_writer_is_emailed(
    desk, draft, read_form, smtp_server, tasks_at_once, django_capture_on_commit_callbacks
):
    in_review(draft, desk)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(signed_in(desk["editor"]), read_form, draft, "approve", APPROVE_NOTE)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    note = draft.review_notes.get()
    assert (note.kind, note.text) == ("approved", APPROVE_NOTE)
    (message,) = smtp_server.messages()
    assert message["Subject"] == f"Published: {HEADLINE}"
    assert "Tomas Berg approved and published" in text_of(message)


def test_approve_and_schedule_needs_a_time_still_to_come(desk, draft, read_form):
    in_review(draft, desk)
    client = signed_in(desk["editor"])

    response = post_step(client, read_form, draft, "schedule")

    assert response.status_code == 200
    assert "set its publication time to a time still to come" in str(
        response.context["adminform"].form.errors["published_at"]
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW


def test_an_editor_approves_and_schedules_and_the_writer_is_told_when_it_goes_out(
    desk, draft, read_form, smtp_server, tasks_at_once, django_capture_on_commit_callbacks
):
    in_review(draft, desk)
    tomorrow = timezone.localtime() + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(
            signed_in(desk["editor"]), read_form, draft, "schedule",
            published_at_0=tomorrow.strftime("%Y-%m-%d"), published_at_1="09:00:00",
        )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_scheduled and not draft.is_published
    assert draft.review_notes.get().publish_at == draft.published_at
    (message,) = smtp_server.messages()
    assert message["Subject"] == f"Scheduled: {HEADLINE}"
    assert "it goes out at" in text_of(message)


def test_the_publish_action_tells_the_writer_their_story_is_out(
    desk, draft, django_capture_on_commit_callbacks
):
    in_review(draft, desk)

    with django_capture_on_commit_callbacks() as queued:
        signed_in(desk["editor"]).post(reverse("admin:articles_article_changelist"), {
            "action": "publish_selected", "_selected_action": [draft.pk],
        })

    draft.refresh_from_db()
    assert draft.is_published
    note = draft.review_notes.get()
    assert note.kind == "approved"
    assert [notice.recipient for notice in note.notices.all()] == [desk["writer"]]
    assert len(queued_emails(queued)) == 1


def test_an_editor_publishing_their_own_story_tells_no_one(desk, make_article, read_form):
    own = make_article("Editor's own", status=Article.Status.DRAFT, published_at=None,
                       created_by=desk["editor"])

    post_step(signed_in(desk["editor"]), read_form, own, status="published")

    own.refresh_from_db()
    assert own.is_published
    assert not ReviewNote.objects.exists()


# Forged requests: a writer can do no more than before.


@pytest.mark.parametrize("step", ["send_back", "approve", "schedule"])
def test_a_writer_cannot_take_an_editors_step_on_their_own_draft(desk, draft, read_form, step):
    client = signed_in(desk["writer"])

    response = post_step(client, read_form, draft, step, "Forged")

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert not ReviewNote.objects.exists()


def test_a_writer_cannot_send_their_story_in_review_anywhere(desk, draft):
    in_review(draft, desk)
    client = signed_in(desk["writer"])

    for step in ("approve", "send_back", "hand_in"):
        response = client.post(change_url(draft), {"_review": step, "review_note": "Forged"})
        assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW


def test_an_unknown_step_is_refused_with_a_message(desk, draft, read_form):
    response = post_step(signed_in(desk["writer"]), read_form, draft, "publish_now")

    assert response.status_code == 200
    assert "There is no such review step." in response.context["adminform"].form.non_field_errors()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_a_writer_cannot_comment_on_a_colleagues_story(desk, draft):
    response = signed_in(desk["colleague"]).post(
        reverse("admin:articles_article_review", args=[draft.pk]), {"review_note": "Hello"}
    )

    assert response.status_code == 403
    assert not ReviewNote.objects.exists()


def test_the_step_functions_check_who_takes_them_too(desk, draft):
    from django.core.exceptions import PermissionDenied

    from articles.review import approve

    with pytest.raises(PermissionDenied):
        approve(draft, desk["writer"])
    in_review(draft, desk)
    with pytest.raises(PermissionDenied):
        send_back(draft, desk["colleague"], "Forged")
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW


# The thread.


def test_the_writer_comments_on_their_story_in_review_and_the_editors_in_the_thread_are_told(
    desk, draft
):
    hand_in(draft, desk["writer"], HAND_IN_NOTE)
    draft.refresh_from_db()
    send_back(draft, desk["editor"], SEND_BACK_NOTE)
    draft.refresh_from_db()
    hand_in(draft, desk["writer"], "Led with the season ticket.")
    client = signed_in(desk["writer"])

    response = client.post(
        reverse("admin:articles_article_review", args=[draft.pk]),
        {"review_note": "The board has sent the full table of fares."},
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(draft) + "#review"
    comment = draft.review_notes.last()
    assert (comment.kind, comment.author) == ("comment", desk["writer"])
    assert [notice.recipient for notice in comment.notices.all()] == [desk["editor"]]


def test_the_form_shows_the_thread_newest_last_with_who_and_when(desk, draft, clock):
    hand_in(draft, desk["writer"], HAND_IN_NOTE)
    clock.advance(minutes=20)
    draft.refresh_from_db()
    send_back(draft, desk["editor"], SEND_BACK_NOTE)

    html = signed_in(desk["writer"]).get(change_url(draft)).content.decode()

    thread = html[html.index('<ol class="review-thread">'):]
    assert thread.index(HAND_IN_NOTE) < thread.index(SEND_BACK_NOTE)
    assert "Handed in</strong>\n      by Ines Duarte" in thread
    assert "Sent back</strong>\n      by Tomas Berg" in thread
    assert re.search(r'<time datetime="[^"]+">\d+ \w+ \d{4}, \d\d:\d\d</time>', thread)


def test_the_history_page_shows_the_thread(desk, draft):
    hand_in(draft, desk["writer"], HAND_IN_NOTE)

    response = signed_in(desk["editor"]).get(
        reverse("admin:articles_article_history", args=[draft.pk])
    )

    assert HAND_IN_NOTE in response.content.decode()


def test_a_colleague_sees_no_note_of_a_story_that_is_not_theirs(desk, draft):
    hand_in(draft, desk["writer"], HAND_IN_NOTE)
    client = signed_in(desk["colleague"])

    for url in (change_url(draft), reverse("admin:articles_article_history", args=[draft.pk])):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert HAND_IN_NOTE not in response.content.decode()
    assert list(notices_for(desk["colleague"])) == []


def test_a_note_is_kept_as_typed_and_shown_as_text(desk, draft):
    hand_in(draft, desk["writer"], "<script>alert(1)</script> & more")

    html = signed_in(desk["editor"]).get(change_url(draft)).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<script>alert(1)</script>" not in html


# The desk's notices.


def test_notices_for_a_person_are_the_unread_review_events_addressed_to_them_newest_first(
    desk, draft, clock
):
    hand_in(draft, desk["writer"], HAND_IN_NOTE)
    clock.advance(minutes=5)
    draft.refresh_from_db()
    send_back(draft, desk["editor"], SEND_BACK_NOTE)
    clock.advance(minutes=5)
    draft.refresh_from_db()
    hand_in(draft, desk["writer"], "Again")

    assert [n.note.text for n in notices_for(desk["second_editor"])] == ["Again", HAND_IN_NOTE]
    assert [n.note.kind for n in notices_for(desk["writer"])] == ["sent_back"]
    assert list(notices_for(desk["gone"])) == []


def test_opening_the_story_shows_its_unread_notes_once_and_takes_them_off_the_desk(desk, draft):
    hand_in(draft, desk["writer"], HAND_IN_NOTE)
    client = signed_in(desk["editor"])

    first = client.get(change_url(draft))
    second = client.get(change_url(draft))

    shown = [str(message) for message in first.context["messages"]]
    assert any(HAND_IN_NOTE in message and "handed in by Ines Duarte" in message
               for message in shown)
    assert "review-unread" in first.content.decode()
    assert "review-unread" not in second.content.decode()
    assert list(notices_for(desk["editor"])) == []
    # Another editor's notice is theirs to read.
    assert len(notices_for(desk["second_editor"])) == 1


def test_notices_for_costs_one_query(desk, draft, django_assert_num_queries):
    hand_in(draft, desk["writer"], HAND_IN_NOTE)
    editor = desk["editor"]
    editor.has_perm("articles.view_article")  # the permission cache, as a request has it

    with django_assert_num_queries(1):
        notices = list(notices_for(editor))
        assert [notice.note.article.headline for notice in notices] == [HEADLINE]
        assert [notice.note.author.username for notice in notices] == ["ines"]


# E-mail that cannot be sent never costs the save.


def test_a_refusing_mail_server_never_fails_the_save(
    desk, draft, read_form, refusing_smtp_server, tasks_at_once,
    django_capture_on_commit_callbacks, caplog,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(signed_in(desk["writer"]), read_form, draft, "hand_in", HAND_IN_NOTE)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    # The editors still find it on their desk; the e-mail is not marked as sent.
    assert len(notices_for(desk["editor"])) == 1
    assert not Notice.objects.exclude(emailed_at=None).exists()
    assert "SMTPDataError" in caplog.text or "554" in caplog.text


def test_no_mail_server_at_all_never_fails_the_save(
    desk, draft, read_form, settings, tasks_at_once, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on discard

    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(signed_in(desk["writer"]), read_form, draft, "hand_in", HAND_IN_NOTE)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW


def test_a_person_who_may_no_longer_see_the_story_is_not_emailed(
    desk, draft, smtp_server, tasks_at_once, django_capture_on_commit_callbacks
):
    from articles.review.mail import email_notice

    hand_in(draft, desk["writer"], HAND_IN_NOTE)
    bea = desk["second_editor"]
    bea.groups.set([Group.objects.get(name=roles.WRITER)])
    notice = Notice.objects.get(recipient=bea)

    result = email_notice.enqueue(notice.pk, "http://testserver/")

    assert result.return_value == "not for this person now"
    assert smtp_server.messages() == []


def test_the_worker_sends_what_a_hand_in_queued_once_the_save_has_committed(
    roles_as_migrated, transactional_db, settings, smtp_server, make_article, read_form
):
    """As in production: the save queues the e-mail in the database, `db_worker` sends it."""
    writer = staff_member("ines", roles.WRITER, email="ines@courier.example")
    staff_member("tomas", roles.EDITOR, email="tomas@courier.example")
    draft = make_article(HEADLINE, status=Article.Status.DRAFT, published_at=None,
                         created_by=writer)

    response = post_step(signed_in(writer), read_form, draft, "hand_in", HAND_IN_NOTE)

    assert response.status_code == 302
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert smtp_server.messages() == []  # nothing is sent in the request

    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    (message,) = smtp_server.messages()
    assert message["To"].addresses[0].addr_spec == "tomas@courier.example"
    assert HAND_IN_NOTE in text_of(message)
    assert Notice.objects.get().emailed_at is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_writer_hands_in_a_new_story_straight_from_the_add_form(desk, read_form, section):
    client = signed_in(desk["writer"])
    page = client.get(reverse("admin:articles_article_add"))
    assert 'value="hand_in"' in page.content.decode()
    data = read_form(page)
    data.update(
        headline=HEADLINE, slug="ferry-fares-rise", section=section.pk,
        standfirst="Fares go up.", body="<p>The board will raise fares.</p>",
        review_note=HAND_IN_NOTE, _review="hand_in",
    )

    response = client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(headline=HEADLINE)
    assert (article.status, article.created_by) == (Article.Status.IN_REVIEW, desk["writer"])
    assert list(article.review_notes.values_list("kind", "text")) == [("handed_in", HAND_IN_NOTE)]


def test_an_editors_new_story_has_no_review_panel_yet(desk):
    html = signed_in(desk["editor"]).get(reverse("admin:articles_article_add")).content.decode()

    assert 'id="review"' not in html


def test_the_history_log_does_not_count_a_note_as_a_change_to_the_story(desk, draft, read_form):
    from django.contrib.admin.models import LogEntry

    post_step(signed_in(desk["writer"]), read_form, draft, "hand_in", HAND_IN_NOTE)

    assert "Note" not in LogEntry.objects.get().get_change_message()
