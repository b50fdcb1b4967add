"""Restore a backup made by `backup`: the database and the media become the backup's."""

from django.core.management.base import BaseCommand, CommandError

from newsroom.backups import BackupError, open_backup


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded media with those of a backup made by `backup`. "
        "The whole backup is checked first; if anything is wrong, nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup archive.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--no-media", action="store_true",
            help="Restore the database only and leave the media as they are.",
        )
        parser.add_argument(
            "--keep-extra-media", action="store_true",
            help="Keep media files the backup does not have; by default they are removed, so "
            "the media are exactly the backup's.",
        )

    def handle(self, *args, path, interactive, no_media, keep_extra_media, **options):
        try:
            with open_backup(path, media=not no_media) as backup:
                if interactive and not self._confirmed(backup, keep_extra_media):
                    self.stdout.write("Restore cancelled.")
                    return
                result = backup.restore(keep_extra_media=keep_extra_media)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(result.summary())

    def _confirmed(self, backup, keep_extra_media):
        database = backup.connection.settings_dict["NAME"]
        media = ""
        if backup.restore_media:
            media = f" and the media in {backup.media_folder}"
            if not keep_extra_media:
                media += " (files the backup lacks are deleted)"
        answer = input(
            f"You have asked to restore {backup.describe()}.\n"
            f"This will REPLACE everything in the database {database}{media}: whatever was "
            "added or changed since the backup will be lost.\n"
            "Are you sure you want to do this?\n\n"
            "    Type 'yes' to continue, or 'no' to cancel: "
        )
        return answer == "yes"
