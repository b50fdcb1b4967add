"""Back up the newsroom — its database and media — into one archive, while the site serves."""

from django.core.management.base import BaseCommand, CommandError

from newsroom.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a backup of the database and the uploaded media to PATH, one archive with a "
        "manifest of checksums; the site keeps serving meanwhile. Restore it with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="The archive to write: NAME.tar.gz (or NAME.tar, uncompressed)."
        )
        parser.add_argument("--force", action="store_true", help="Replace PATH if it exists.")

    def handle(self, *args, path, force, **options):
        try:
            result = create_backup(path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(result.summary())
