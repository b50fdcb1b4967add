"""Review as a conversation: a writer hands a story in with a note, an editor sends it back with
a note or approves and publishes it, and either may add a comment. The notes form a thread on the
story (articles.models.ReviewNote), and each is addressed to the people it concerns (Notice):
the editors when a story is handed in, its writer when it is sent back or published, the others
in the thread for a comment. They see it on their desk — `notices_for(user)` — and by e-mail.

    steps.py    the steps, each checked, recorded and addressed; `take_step` for the form
    people.py   who a note is for
    notices.py  `notices_for(user)`, `unread_on(user, article)`, `mark_read(user, article)`
    mail.py     the e-mail, sent by a task once the save has committed
"""

from .notices import mark_read, notices_for, unread_on
from .steps import (
    NOTE_MAX_LENGTH,
    approve,
    comment,
    hand_in,
    may_approve,
    may_comment,
    may_hand_in,
    may_send_back,
    send_back,
    stored_status,
    take_step,
)

__all__ = [
    "NOTE_MAX_LENGTH",
    "approve",
    "comment",
    "hand_in",
    "mark_read",
    "may_approve",
    "may_comment",
    "may_hand_in",
    "may_send_back",
    "notices_for",
    "send_back",
    "stored_status",
    "take_step",
    "unread_on",
]
