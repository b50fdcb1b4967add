"""`make soak`: the site as it runs in production, under readers, an editor and crashes.

Against a synthetic newsroom in var/soak/ (built once by seed_demo, then reused), with gunicorn
started as `make serve` starts it, on a loopback port:

1. Load. Many readers at once (a thread each, one connection each) fetch article pages, tag
   pages, the home page and feeds, RSS and Atom, for a few minutes; every feed must parse
   cleanly. Meanwhile an editor signs in to the admin over HTTP and every few seconds publishes
   a new article or edits a published one through its form, as a browser would post it; the very
   next request for the home page, the article and the site's feed must show the new headline.
   Counted: requests, latency, every status other than 2xx/3xx, connection errors, feeds that do
   not parse, changes not visible on the next request, and "database is locked" in the server's
   log.
2. Crash. The editor saves articles (new ones with bylines, tags and sources, and edits of
   existing ones) and uploads images through the admin, while the whole server — master and
   workers — is killed with SIGKILL at random moments and started again. Every save answered
   with a redirect is recorded with what it wrote. Then, with the server stopped: each
   acknowledged save is in the database exactly, no article is half-written, SQLite's integrity
   and foreign key checks pass, and every image's file and renditions are on disk.

Each phase prints a report; both are written to var/soak/report.json. Any failure makes the
command exit non-zero. The servers are stopped by their own process group, whatever happens.
"""

from ..harness import RunError


class SoakError(RunError):
    """The soak cannot go on; the message says why."""
