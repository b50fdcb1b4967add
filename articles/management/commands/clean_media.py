"""Remove image files no image names: what uploads killed before their commit left behind."""

from django.core.management.base import BaseCommand

from articles.images.orphans import ORPHAN_GRACE, delete_orphaned_files


class Command(BaseCommand):
    help = (
        "Remove stored picture files (originals and renditions) that no picture names, such as "
        "those an upload killed before its commit left. Files a picture names are never "
        f"touched, nor files less than {ORPHAN_GRACE.total_seconds() / 60:.0f} minutes old, "
        "which may belong to an upload under way."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be removed; remove nothing."
        )

    def handle(self, *args, **options):
        sweep = delete_orphaned_files(dry_run=options["dry_run"])
        if options["verbosity"] > 1:
            for name in sweep.removed:
                self.stdout.write(name)
        self.stdout.write(sweep.summary(dry_run=options["dry_run"]))
