"""Remove working copies too old to be offered back (the next autosave does it too)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.working_copies import clear_old_working_copies


class Command(BaseCommand):
    help = (
        "Remove the unsaved typing kept from article forms (working copies) that is older than "
        f"NEWSROOM_WORKING_COPY_DAYS ({settings.NEWSROOM_WORKING_COPY_DAYS} days)."
    )

    def handle(self, *args, **options):
        removed = clear_old_working_copies()
        self.stdout.write(f"Removed {removed} working cop{'y' if removed == 1 else 'ies'}.")
