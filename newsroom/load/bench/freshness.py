"""The proof that the page cache never serves a stale page: an article published and a correction
added here show on the server's very next request."""

import time
import uuid

from ..harness import fetch
from .pages import FRESH_SLUG_PREFIX


def prove_freshness(base_url, article, log=print):
    """Publish an article and correct the benchmarked one; the server's next request shows both.

    This process and the server share the database and the file cache that holds the content
    version, as every app server of one site does.
    """
    from articles.models import Article
    from articles.publishing import add_correction, publish

    token = uuid.uuid4().hex[:8]
    article_url = base_url + article.get_absolute_url()
    before = {
        "home": fetch(base_url + "/")[1].get("X-Cache"),
        "article": fetch(article_url)[1].get("X-Cache"),
    }

    headline = f"Harbour ferry timetable changes from Monday, ref {token}"
    fresh = Article.objects.create(
        headline=headline,
        slug=f"{FRESH_SLUG_PREFIX}{token}",
        section=article.section,
        standfirst="The winter timetable starts a week early.",
        body="<p>The harbour ferry moves to its winter timetable from Monday.</p>",
    )
    publish(fresh)
    checks = []

    def check(what, url, text):
        started = time.perf_counter()
        status, headers, body = fetch(url)
        fresh = status == 200 and text in body.decode("utf-8", "replace")
        checks.append({
            "what": what, "url": url, "fresh": fresh, "status": status,
            "x_cache": headers.get("X-Cache"),
            "ms": round((time.perf_counter() - started) * 1000, 1),
        })
        log(f"  {what}: {'yes' if fresh else 'NO'} ({status}, X-Cache: {headers.get('X-Cache')})")

    check("new story on the home page", base_url + "/", headline)
    check("new story's own page", base_url + fresh.get_absolute_url(), headline)
    correction = f"An earlier version of this story gave the wrong date for the vote (ref {token})."
    add_correction(article, correction)
    check("correction on the benchmarked article", article_url, correction)
    return {
        "cached_before": before,
        "checks": checks,
        "fresh": all(item["fresh"] for item in checks),
    }
