"""`catch_mail`: a local SMTP server for development that keeps every message in var/mail/."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom.mail_catcher import serve


class Command(BaseCommand):
    help = (
        "Catch the site's e-mail on EMAIL_HOST:EMAIL_PORT (127.0.0.1:1025 when debugging) and "
        "keep each message as a .eml file in NEWSROOM_MAIL_DIR (var/mail/). For development: "
        "nothing is delivered."
    )
    requires_system_checks = []

    def handle(self, *args, **options):
        folder = settings.NEWSROOM_MAIL_DIR
        try:
            serve(settings.EMAIL_HOST, settings.EMAIL_PORT, folder, announce=self.announce)
        except OSError as error:
            raise CommandError(
                f"Cannot catch mail on {settings.EMAIL_HOST}:{settings.EMAIL_PORT}: {error}"
            ) from error

    def announce(self, line):
        self.stdout.write(line)
        self.stdout.flush()
