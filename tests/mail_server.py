"""A real SMTP server on this machine for the tests (aiosmtpd), catching what the site sends with
the same handler `manage.py catch_mail` uses; or one that refuses every message."""

import socket

from aiosmtpd.controller import Controller

from newsroom.mail_catcher import MailFolder, messages_in


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Refusing:
    """An SMTP server that is up but takes no message: a full disk, a broken relay."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 # aiosmtpd's name
        return "554 Transaction failed: nothing is delivered today"


class LocalSMTPServer:
    def __init__(self, folder, refusing=False):
        self.folder = folder
        self.host, self.port = "127.0.0.1", free_port()
        handler = Refusing() if refusing else MailFolder(folder)
        self.controller = Controller(handler, hostname=self.host, port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def messages(self):
        """What it has caught, oldest first, as email.message.EmailMessage objects."""
        return messages_in(self.folder)
