"""The review conversation in the article's admin: the steps the form's buttons take, the Review
panel under the form with the story's thread, the notices a person has not read yet, and the
thread on the history page.

The panel sits after the article's form in the page, and its buttons belong to that form (their
`form` attribute): a step saves what was typed in the story too, and the form's first button,
which Enter presses, stays Save. Someone who may read the story but not change it (a writer,
once it is handed in) comments through a small form of its own, posted to the `review/` address.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .. import permissions, review
from ..models import Article, ReviewNote
from ..review.mail import person_name
from .common import format_time

# The steps the panel's buttons name in `_review`, and the status each gives the story.
STEP_STATUSES = {
    "hand_in": Article.Status.IN_REVIEW,
    "send_back": Article.Status.DRAFT,
    "approve": Article.Status.PUBLISHED,
    "schedule": Article.Status.PUBLISHED,
    "comment": None,
}


class NoteField(forms.CharField):
    """The note for the review: never a change to the story, so the history's log of what
    changed in it leaves the note out (the thread keeps the note)."""

    def has_changed(self, initial, data):
        return False


def review_note_field():
    return NoteField(
        label="Note",
        required=False,
        max_length=review.NOTE_MAX_LENGTH,
        # Shown in the Review panel, after the form's element: it belongs to the form by name.
        widget=forms.Textarea(attrs={
            "rows": 4, "form": "article_form", "aria-describedby": "review-note-help",
        }),
    )


def implied_step(before, after, note):
    """The review step a plain save takes when the status is changed by hand: handing in by
    choosing "In review", sending back by choosing "Draft", approving by choosing "Published".
    A note with no such change is a comment."""
    if after == Article.Status.IN_REVIEW and before in (None, Article.Status.DRAFT):
        return "hand_in"
    if after == Article.Status.DRAFT and before == Article.Status.IN_REVIEW:
        return "send_back"
    if after == Article.Status.PUBLISHED and before != Article.Status.PUBLISHED:
        return "approve"
    if note:
        return "comment"
    return None


def clean_review_step(form, cleaned_data):
    """Decide the review step an article form's post takes, refuse one the user may not take
    (whatever the post says), and give the story the status the step gives it.

    Called from ArticleForm.clean, before the check that a story to publish may be published.
    """
    user, article = form.user, form.instance
    requested = form.data.get("_review") or None
    note = (cleaned_data.get("review_note") or "").strip()
    # The form's instance is the story as saved until the form is cleaned: no query.
    before = article.status if article.pk else None
    if requested is not None and requested not in STEP_STATUSES:
        form.add_error(None, "There is no such review step.")
        return
    step = requested or implied_step(before, cleaned_data.get("status"), note)
    if step is None:
        return
    if step == "hand_in" and not review.may_hand_in(user, article):
        form.add_error(None, "Only a draft can be handed in, and a writer hands in their own.")
    elif step == "send_back" and not review.may_send_back(user, article):
        form.add_error(None, "Only an editor sends a story in review back.")
    elif step in ("approve", "schedule") and not review.may_approve(user, article):
        form.add_error(None, "Only an editor approves a story.")
    elif step == "send_back" and not note:
        form.add_error("review_note", "Write a note to say what should change: the writer "
                       "gets it with the story.")
    elif step == "comment" and not note and requested:
        form.add_error("review_note", "Write the note first.")
    elif step == "schedule":
        when = cleaned_data.get("published_at")
        if when is None or when <= timezone.now():
            form.add_error(
                "published_at" if "published_at" in form.fields else None,
                "To schedule the story, set its publication time to a time still to come.",
            )
    if STEP_STATUSES[step] is not None:
        cleaned_data["status"] = STEP_STATUSES[step]
    form.review_step = "approve" if step == "schedule" else step


class CommentForm(forms.Form):
    review_note = forms.CharField(
        label="Note", max_length=review.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "review-note-help"}),
    )


class ReviewConversation:
    """For the article's admin: the Review panel, its steps and the unread notices."""

    def take_review_step(self, request, article, form):
        """Save the article through the review step its form's post takes, if any."""
        step = getattr(form, "review_step", None)
        note = review.take_step(
            article, step, by=request.user, note=form.cleaned_data.get("review_note", ""),
            site_url=request.build_absolute_uri("/"),
        )
        if step is not None and note is not None:
            # Beside the admin's own "changed successfully", which stays the one success.
            messages.info(request, step_message(note))

    def review_context(self, request, article, editable, unread=()):
        """The Review panel's context: made only if the page is drawn (lazily), so that a save
        that goes on to the next page costs no query for it."""

        def panel():
            notes = list(article.review_notes.select_related("author")) if article else []
            return {
                "notes": notes,
                "unread": {notice.note_id for notice in unread},
                "buttons": self.review_buttons(request, article, editable),
                "in_article_form": editable,
                "comment_form": None if editable else CommentForm(),
                "comment_url": reverse("admin:articles_article_review", args=[article.pk])
                if article else "",
                "help": note_help(request.user, editable),
            }

        return {"review": SimpleLazyObject(panel)}

    def show_unread(self, request, article):
        """The notes addressed to this person that they have not read, told at the top of the
        page; they leave the person's desk."""
        unread = review.unread_on(request.user, article)
        for notice in unread:
            messages.info(request, notice_message(notice.note))
        if unread:
            review.mark_read(request.user, article)
        return unread

    def review_buttons(self, request, article, editable):
        user = request.user
        if article is None:
            return [("hand_in", "Hand in for review")]
        if not editable:
            return [("comment", "Add the note")] if review.may_comment(user, article) else []
        buttons = []
        if review.may_hand_in(user, article) and not permissions.is_editor(user):
            buttons.append(("hand_in", "Hand in for review"))
        if review.may_send_back(user, article):
            buttons += [
                ("send_back", "Send back with a note"),
                ("approve", "Approve and publish"),
                ("schedule", "Approve and schedule"),
            ]
        buttons.append(("comment", "Add the note"))
        return buttons

    def change_view(self, request, object_id, form_url="", extra_context=None):
        unread = ()
        if request.method == "GET":
            article = self.get_object(request, unquote(object_id))
            if article is None or not self.has_view_permission(request, article):
                return super().change_view(request, object_id, form_url, extra_context)
            unread = self.show_unread(request, article)
            editable = self.has_change_permission(request, article)
        else:
            # A post is drawn again only with its errors, and only for someone who may change
            # the story: then the panel reads the story again.
            article = SimpleLazyObject(lambda: self.get_object(request, unquote(object_id)))
            editable = True
        extra_context = {**(extra_context or {}),
                         **self.review_context(request, article, editable, unread)}
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        # A writer may hand a new story in at once; an editor has nothing to review yet.
        if not permissions.is_editor(request.user):
            extra_context = {**(extra_context or {}), **self.review_context(request, None, True)}
        return super().add_view(request, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None and self.has_view_permission(request, article):
            notes = article.review_notes.select_related("author")
            extra_context = {**(extra_context or {}), "review": {"notes": list(notes)}}
        return super().history_view(request, object_id, extra_context)

    def response_change(self, request, obj):
        if request.POST.get("_review") == "comment":
            return HttpResponseRedirect(request.path + "#review")
        return super().response_change(request, obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.comment_view),
                name="articles_article_review",
            ),
            *super().get_urls(),
        ]

    def comment_view(self, request, object_id):
        """A note from someone who may read the story but not change it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, object_id)
        if article is None or not review.may_comment(request.user, article):
            raise PermissionDenied
        form = CommentForm(request.POST)
        back = reverse("admin:articles_article_change", args=[article.pk]) + "#review"
        if not form.is_valid():
            for error in form.errors.get("review_note", []):
                messages.error(request, f"The note was not added: {error}")
            return HttpResponseRedirect(back)
        note = review.comment(
            article, request.user, form.cleaned_data["review_note"],
            site_url=request.build_absolute_uri("/"),
        )
        messages.success(request, step_message(note))
        return HttpResponseRedirect(back)


def note_help(user, editable):
    if permissions.is_editor(user):
        return ("For the writer, who is told by e-mail and on their desk. Needed to send the "
                "story back; “Approve and schedule” uses the publication time above.")
    if not editable:
        return "For the editors: they are told by e-mail and on their desk."
    return ("For the editors: what to look at, what is still to come. They are told when you "
            "hand the story in.")


def step_message(note):
    headline = note.article.headline
    if note.kind == ReviewNote.Kind.HANDED_IN:
        return f"“{headline}” is handed in: the editors are told."
    if note.kind == ReviewNote.Kind.SENT_BACK:
        return f"“{headline}” is sent back to {person_name(note.article.created_by)} " \
            "with your note."
    if note.kind == ReviewNote.Kind.APPROVED:
        if note.is_scheduling:
            return f"“{headline}” is approved and scheduled for {format_time(note.publish_at)}."
        return f"“{headline}” is approved and published."
    return "Your note is added to the story’s review."


def notice_message(note):
    said = f": “{note.text}”" if note.text else "."
    return (f"New on this story — {note.get_kind_display().lower()} by "
            f"{person_name(note.author)}, {format_time(note.created_at)}{said}")
