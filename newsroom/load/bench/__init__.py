"""`make bench`: how fast readers get their pages, next to the fastest this server could send them.

The run, against a synthetic newsroom in var/bench/ (built once by seed_demo, then reused):

1. Server time in process: each page type rendered by the test client with the page cache off,
   its median and 95th-percentile time and its number of database queries.
2. gunicorn as `make serve` runs it, page cache off: wrk against the home page, an article, a
   section, a tag and the site's RSS feed. The article's HTML is saved as a static file, and its
   page weight taken.
3. gunicorn again, page cache on: the same pages from the cache, and the limit — the article's
   HTML served by whitenoise from STATIC_ROOT under the same server settings. Then the proof that
   the cache never serves a stale page: an article published and a correction added in this process
   show on the server's very next request.

Every figure is set against the issue's targets (targets.py), printed as one table and written
to var/bench/results.json. The servers are stopped by their own process ids, whatever happens.
"""

from ..harness import RunError


class BenchError(RunError):
    """The benchmark cannot go on; the message says why."""
