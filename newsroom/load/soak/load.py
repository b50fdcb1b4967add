"""Phase 1, load: many readers fetch pages and feeds while an editor publishes and edits articles
through the admin; every change must show on the next request for its pages."""


import os
import random
import re
import threading
import time

from django.db import connection

from ..harness import percentile, workers
from .client import CONNECTION_ERRORS, REQUEST_TIMEOUT, Client, describe_error
from .editor import ARTICLE_ADD, Editor, article_change, fill_new_article
from .forms import form_errors
from .readers import LoadStats, reader
from .server import server_log_summary, timestamp


def latency_summary(seconds):
    """Count, p50, p95, p99 and maximum of request times given in seconds, in milliseconds."""
    if not seconds:
        return {"count": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    ms = [value * 1000 for value in seconds]
    return {
        "count": len(ms),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1),
    }


def shows(body, text):
    """Whether a page or feed shows the text, as HTML or XML escapes it or as it is."""
    from xml.sax.saxutils import escape as xml_escape  # nosec B406 # escaping text we write, no parsing

    from django.utils.html import escape as html_escape

    forms = {text, str(html_escape(text)), xml_escape(text)}
    return any(form.encode() in body for form in forms)


def check_visible(client, page, path, text):
    """Whether the next request for a page shows the text."""
    try:
        response = client.get(path)
    except CONNECTION_ERRORS as error:
        return {"page": page, "path": path, "visible": False, "status": None,
                "error": describe_error(error)}
    visible = response.status == 200 and shows(response.body, text)
    return {"page": page, "path": path, "visible": visible, "status": response.status,
            "x_cache": response.header("X-Cache"), "ms": round(response.seconds * 1000, 1)}


class LoadEditor:
    """A change every few seconds — an article published or a published one edited through the
    admin — each checked on the next request for its pages.

    Each change runs in its own thread, on its own connection with the editor's session, so a
    slow server does not stretch the cadence; at most MAX_IN_FLIGHT run at once (a change due
    while that many are still at work is skipped and counted). An edit takes one of the newest
    EDIT_FROM articles that no other change is editing, so that it is still on the home page and
    in the feed when it is checked (EDIT_FROM + MAX_IN_FLIGHT stays within the home page's
    twelve articles and the feed's twenty).
    """

    MAX_IN_FLIGHT = 4
    EDIT_FROM = 6

    def __init__(self, port, editor, newsroom, run_id, seed):
        self.port = port
        self.editor = editor
        self.newsroom = newsroom
        self.run_id = run_id
        self.seed = seed
        self.lock = threading.Lock()
        self.editing = set()
        self.changes = []
        self.save_seconds = []
        self.skipped = 0
        self.crashed = None

    def run(self, deadline, interval, stop):
        threads = []
        try:
            number = 0
            next_at = time.monotonic() + min(interval, 2)
            while not stop.is_set():
                if stop.wait(max(0.0, next_at - time.monotonic())):
                    break
                if time.monotonic() >= deadline:
                    break
                next_at += interval
                threads = [thread for thread in threads if thread.is_alive()]
                if len(threads) >= self.MAX_IN_FLIGHT:
                    self.skipped += 1
                    continue
                number += 1
                thread = threading.Thread(
                    target=self.change, args=(number, "publish" if number % 2 else "edit"),
                    name=f"soak-change-{number}", daemon=True,
                )
                thread.start()
                threads.append(thread)
        except Exception as error:  # reported with the phase, never lost in a thread
            self.crashed = describe_error(error)
        finally:
            for thread in threads:
                thread.join(timeout=5 * REQUEST_TIMEOUT)

    def change(self, number, action):
        rng = random.Random(self.seed * 10_007 + number)  # nosec B311 # repeatable test load, no secret
        editor = self.editor.clone()
        record = {"number": number, "action": action, "token": f"{self.run_id}{number:03d}",
                  "at": timestamp(), "checks": []}
        try:
            self.make_change(record, editor, rng)
        except Exception as error:  # one change's failure is reported, and the rest go on
            record.update(saved=False, error=describe_error(error))
        finally:
            editor.close()
            with self.lock:
                self.editing.discard(record.get("article"))
                self.changes.append(record)
            connection.close()

    def make_change(self, record, editor, rng):
        from articles.models import Article

        token, number = record["token"], record["number"]
        if record["action"] == "publish":
            headline = f"Harbour ferry timetable changes from Monday, soak {token}"
            slug = f"soak-{self.run_id}-live-{number:03d}"
            path = ARTICLE_ADD
            form = editor.open(path, "article_form")
            fill_new_article(form, {
                "headline": headline, "slug": slug, "label": "news",
                "standfirst": f"The winter timetable starts a week early (soak {token}).",
                "body": f"<p>The ferry moves to its winter timetable, soak {token}.</p>",
                "section": rng.choice(self.newsroom.section_ids),
                "status": "published",
                "tags": ["soak test", rng.choice(self.newsroom.tag_names)],
                "bylines": [[rng.choice(self.newsroom.authors), 0]],
                "references": [["Ferry timetable", "https://example.org/ferry", 0]],
            })
        else:
            newest = list(
                Article.objects.published().order_by("-published_at", "-pk")
                .values_list("pk", flat=True)[: self.EDIT_FROM + self.MAX_IN_FLIGHT]
            )
            with self.lock:
                free = [pk for pk in newest if pk not in self.editing][: self.EDIT_FROM]
                pk = rng.choice(free)
                self.editing.add(pk)
            record["article"] = pk
            path = article_change(pk)
            form = editor.open(path, "article_form")
            base = re.sub(r" \(edited, soak \w+\)$", "", form.get("headline", ""))
            headline = f"{base} (edited, soak {token})"
            form.set("headline", headline)
            form.set("standfirst", f"Updated in the newsroom, soak {token}.")
            form.set("_save", "Save")
        record["headline"] = headline
        response = editor.submit(path, form)
        record["status"] = response.status
        record["save_ms"] = round(response.seconds * 1000, 1)
        self.save_seconds.append(response.seconds)
        if response.status != 302:
            record.update(saved=False, error=form_errors(response.body))
            return
        record["saved"] = True
        articles = Article.objects.select_related("section")
        article = articles.get(slug=slug) if record["action"] == "publish" else articles.get(pk=pk)
        reader_client = Client(self.port)
        try:
            record["checks"] = [
                check_visible(reader_client, "home", "/", headline),
                check_visible(reader_client, "article", article.get_absolute_url(), headline),
                check_visible(reader_client, "feed", "/feed/rss/", headline),
            ]
        finally:
            reader_client.close()


def run_load(server, credentials, newsroom, seconds, readers, interval, run_id, seed, log=print):
    """Readers and an editor against one server for `seconds`; the figures and failures."""
    log_start = server.log_path.stat().st_size if server.log_path.exists() else 0
    editor = Editor(server.port, *credentials)
    editor.login()
    stats = LoadStats()
    stop = threading.Event()
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(
            target=reader, args=(server.port, newsroom, stats, deadline, stop, seed * 1000 + n),
            name=f"soak-reader-{n}", daemon=True,
        )
        for n in range(readers)
    ]
    cpu_before = time.process_time()
    load_editor = LoadEditor(server.port, editor, newsroom, run_id, seed)
    editor_thread = threading.Thread(
        target=load_editor.run, args=(deadline, interval, stop), name="soak-editor", daemon=True
    )
    try:
        for thread in threads:
            thread.start()
        editor_thread.start()
        last = started
        while any(thread.is_alive() for thread in threads):
            time.sleep(1)
            if time.monotonic() - last >= 30:
                last = time.monotonic()
                with stats.lock:
                    done = len(stats.latencies)
                log(f"  {last - started:.0f} s: {done:,} requests, "
                    f"{len(load_editor.changes)} editor changes")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
        editor_thread.join(timeout=6 * REQUEST_TIMEOUT)
        editor.close()
    elapsed = time.monotonic() - started
    results = summarise_load(stats, load_editor, elapsed, server, log_start, readers, interval)
    results["client_cpu_s"] = round(time.process_time() - cpu_before, 1)
    return results


def summarise_load(stats, load_editor, elapsed, server, log_start, readers, interval):
    server_log = server_log_summary(server.log_path, log_start)
    changes = sorted(load_editor.changes, key=lambda change: change["number"])
    checks = [check for change in changes for check in change.get("checks", [])]
    not_visible = [
        f"{change['action']} {change.get('token')}: {check['page']} {check['path']} "
        f"({check.get('status')}, X-Cache {check.get('x_cache')})"
        for change in changes for check in change.get("checks", []) if not check["visible"]
    ]
    failed_saves = [
        f"{change['action']} {change.get('token')}: {change.get('status')} "
        f"{change.get('error', '')}".strip()
        for change in changes if not change.get("saved")
    ]
    total = len(stats.latencies)
    results = {
        "seconds": round(elapsed, 1),
        "readers": readers,
        "requests": total,
        "requests_per_second": round(total / elapsed, 1) if elapsed else 0.0,
        "latency": latency_summary(stats.latencies),
        "by_kind": {kind: latency_summary(times) for kind, times in stats.by_kind.items()},
        "statuses": {str(status): count for status, count in sorted(stats.statuses.items())},
        "x_cache": dict(stats.cache),
        "bad_statuses": {
            str(status): count for status, count in sorted(stats.bad_statuses.items())
        },
        "bad_examples": stats.bad_examples,
        "server_errors": sum(count for status, count in stats.bad_statuses.items()
                             if status >= 500),
        "connection_errors": dict(stats.errors),
        "connection_error_examples": stats.error_examples,
        "feeds_fetched": stats.feeds_fetched,
        "feed_bodies_parsed": len(stats.parsed),
        "feed_failures": stats.feed_failures,
        "feed_failure_examples": stats.feed_failure_examples,
        "editor": {
            "interval_s": interval,
            "changes": len(changes),
            "skipped": load_editor.skipped,
            "published": sum(1 for change in changes if change["action"] == "publish"),
            "edited": sum(1 for change in changes if change["action"] == "edit"),
            "failed_saves": failed_saves,
            "save_latency": latency_summary(load_editor.save_seconds),
            "checks": len(checks),
            "not_visible": not_visible,
            "crashed": load_editor.crashed,
            "log": changes,
        },
        "server": {**server_log, "workers": workers(), "starts": server.starts},
        "load_after": [round(load, 2) for load in os.getloadavg()],
    }
    results["failures"] = load_failures(results)
    return results


def load_failures(results):
    """Each reason the load phase failed, as one line."""
    failures = []
    if results["server_errors"]:
        failures.append(f"{results['server_errors']} responses 5xx")
    other = sum(results["bad_statuses"].values()) - results["server_errors"]
    if other:
        failures.append(f"{other} responses other than 2xx/3xx (not 5xx)")
    errors = sum(results["connection_errors"].values())
    if errors:
        failures.append(f"{errors} requests failed without a response")
    if results["server"]["database_locked"]:
        failures.append(f"{results['server']['database_locked']} \"database is locked\" in the "
                        "server log")
    if results["feed_failures"]:
        failures.append(f"{results['feed_failures']} feed fetches did not parse cleanly")
    editor = results["editor"]
    if editor["not_visible"]:
        failures.append(f"{len(editor['not_visible'])} changes not visible on the next request")
    if editor["failed_saves"]:
        failures.append(f"{len(editor['failed_saves'])} editor saves not acknowledged")
    if editor["crashed"]:
        failures.append(f"the editor stopped: {editor['crashed']}")
    if not editor["changes"]:
        failures.append("the editor made no change")
    if not results["requests"]:
        failures.append("no requests were answered")
    return failures
