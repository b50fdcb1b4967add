import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

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
        username = os.environ.get("NEWSROOM_ADMIN_USER", "").strip() or "admin"
        password = os.environ.get("NEWSROOM_ADMIN_PASSWORD", "")
        User = get_user_model()

        with transaction.atomic():
            user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
            created = user is None
            if created:
                user = User(**{User.USERNAME_FIELD: username})
            generated = created and not password
            if generated:
                password = secrets.token_urlsafe(12)
            elif password:
                self._check(password, user)
            promoted = not created and not (user.is_superuser and user.is_staff and user.is_active)
            user.is_staff = user.is_superuser = user.is_active = True
            if password:
                user.set_password(password)
            user.save()

        login = f"Admin login: {url}  user: {username}"
        if generated:
            self.stdout.write(f"{login}  password: {password}")
        elif created:
            self.stdout.write(f"{login}  password: as set in NEWSROOM_ADMIN_PASSWORD")
        elif password:
            self.stdout.write(f"{login}  password: changed to NEWSROOM_ADMIN_PASSWORD")
        else:
            self.stdout.write(
                f"{login} (password as printed when the account was created; "
                "set NEWSROOM_ADMIN_PASSWORD to change it)"
            )
        if promoted:
            self.stdout.write(f"The existing account “{username}” was made an active superuser.")

    def _check(self, password, user):
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(
                "NEWSROOM_ADMIN_PASSWORD is too weak: " + " ".join(error.messages)
            ) from None
