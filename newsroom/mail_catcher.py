"""A local SMTP server that catches the site's e-mail instead of delivering it: each message is
kept as a .eml file (open it in any mail program) and announced with one line.

`make run` starts it (`manage.py catch_mail`) so that a newcomer sees what the newsroom sends
without a mail server; the tests catch mail with the same handler.
"""

import asyncio
import email
import email.policy
import itertools
import signal
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.smtp import SMTP


class MailFolder:
    """An aiosmtpd handler: every message accepted is written whole to `folder`."""

    def __init__(self, folder, announce=None):
        self.folder = Path(folder)
        self.announce = announce
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 # aiosmtpd's name
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        path = self.folder / f"{stamp}-{next(self.numbers):04d}.eml"
        partial = path.with_suffix(".partial")
        partial.write_bytes(envelope.original_content)
        partial.replace(path)  # a reader of the folder never sees half a message
        if self.announce:
            message = email.message_from_bytes(
                envelope.original_content, policy=email.policy.default
            )
            recipients = ", ".join(envelope.rcpt_tos)
            self.announce(f"Mail to {recipients}: {message['subject']} — {path}")
        return "250 Message accepted for delivery"


def messages_in(folder):
    """The messages caught in `folder`, oldest first, parsed."""
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(Path(folder).glob("*.eml"))
    ]


def serve(host, port, folder, announce=print):
    """Catch mail on host:port until SIGINT or SIGTERM."""

    async def main():
        loop = asyncio.get_running_loop()
        handler = MailFolder(folder, announce)
        server = await loop.create_server(lambda: SMTP(handler, hostname="newsroom"), host, port)
        stopped = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopped.set)
        announce(f"Catching the site's e-mail on {host}:{port}; each message goes to {folder}/")
        async with server:
            await stopped.wait()

    asyncio.run(main())
