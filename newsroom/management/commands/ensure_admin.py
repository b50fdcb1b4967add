"""Make sure the site has a superuser, and print how to log in to the admin."""

from django.core.management.base import BaseCommand, CommandError

from newsroom.admin_login import WeakPassword, ensure_admin

DEFAULT_URL = "http://127.0.0.1:8000/admin/"


class Command(BaseCommand):
    help = (
        "Make sure a superuser exists: NEWSROOM_ADMIN_USER (default “admin”). A new account gets "
        "NEWSROOM_ADMIN_PASSWORD, or a generated password that is printed once; on later runs "
        "NEWSROOM_ADMIN_PASSWORD, if set, replaces the password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default=DEFAULT_URL, help="The admin's address to print.")

    def handle(self, *args, url, **options):
        try:
            login = ensure_admin()
        except WeakPassword as error:
            raise CommandError(str(error)) from None
        self.stdout.write(login.summary(url))
