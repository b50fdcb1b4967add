"""Import a wire article from a text file; see articles/wire.py for the format."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.wire import WireImportError, import_wire_article, read_wire_file


class Command(BaseCommand):
    help = "Import a plain-text wire story as a draft article (or publish it with --publish)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The story: UTF-8 text in the wire format.")
        parser.add_argument("--section", required=True, help="The slug of the article's section.")
        parser.add_argument("--image", help="The picture the story's photo line describes.")
        parser.add_argument("--tags", default="", help='Comma-separated, e.g. "transport, night".')
        parser.add_argument("--author", help="The byline; a new author is made if needed.")
        parser.add_argument("--publish", action="store_true", help="Publish now, not as a draft.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = read_wire_file(path)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        except WireImportError as error:
            raise CommandError(f"{path.name}: {error}") from None
        try:
            article = import_wire_article(
                text,
                section_slug=options["section"],
                image_path=options["image"],
                tags=options["tags"],
                author_name=options["author"],
                publish=options["publish"],
            )
        except WireImportError as error:
            raise CommandError(f"{path.name}: {error}") from None
        state = "and published it" if article.is_published else "as a draft"
        self.stdout.write(f"Imported “{article.headline}” {state}: {article.get_absolute_url()}")
