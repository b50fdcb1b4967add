from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.demo import load_demo
from articles.wire import WireImportError


class Command(BaseCommand):
    help = (
        "Load the demo newsroom, The Harbour City Courier: sections, authors and articles with "
        "their pictures. Safe to run again; it only adds what is missing."
    )

    def handle(self, *args, **options):
        try:
            result = load_demo()
        except WireImportError as error:
            raise CommandError(f"The demo wire story could not be imported: {error}") from None
        except ValidationError as error:
            # E.g. a section of the same name but another slug already exists.
            raise CommandError(
                f"The demo newsroom could not be loaded: {' '.join(error.messages)}"
            ) from None
        self.stdout.write(result.summary())
