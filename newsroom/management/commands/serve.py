"""`serve`: the site as in production, gunicorn set up by newsroom/gunicorn.py."""

from django.core.management.base import BaseCommand, CommandError

from newsroom.serving import serve


class Command(BaseCommand):
    help = (
        "Serve the site with gunicorn as in production, set up by newsroom/gunicorn.py: on HOST "
        "and PORT (127.0.0.1:8000), with WEB_CONCURRENCY workers. Run migrate and, with DEBUG "
        "off, collectstatic first."
    )

    # `check --deploy` is the place for checks; a start must not wait on them or print them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", help="The address to listen on, instead of HOST's.")
        parser.add_argument("--port", type=int, help="The port to listen on, instead of PORT's.")

    def handle(self, *args, **options):
        try:
            serve(host=options["host"], port=options["port"])
        except OSError as error:
            raise CommandError(f"gunicorn could not be started: {error}") from error
