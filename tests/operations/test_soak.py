"""The soak's own logic, without gunicorn: its figures, forms read and sent as a browser does,
its reports, and the crash check on a small database with half-written articles in it."""

import http.client
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse

from articles.images.renditions import make_renditions, rendition_names
from articles.models import Article, Author, Byline
from newsroom.load.harness import group_members, reap_group
from newsroom.load.soak import SoakError
from newsroom.load.soak.audit import article_candidates, check_articles, check_images, sqlite_checks
from newsroom.load.soak.client import Response
from newsroom.load.soak.editor import edit_article, fill_new_article, new_article
from newsroom.load.soak.forms import Form, find_form, form_errors, multipart
from newsroom.load.soak.load import latency_summary, shows, summarise_load
from newsroom.load.soak.readers import LoadStats
from newsroom.load.soak.report import failed, render_crash, render_load
from newsroom.load.soak.sample import Newsroom
from newsroom.load.soak.server import server_log_summary
from newsroom.load.soak.states import inline_rows, posted_state, stored_state

# Figures.


def test_latency_summary_gives_percentiles_in_milliseconds():
    summary = latency_summary([ms / 1000 for ms in range(100, 0, -1)])  # 1..100 ms
    assert summary["count"] == 100
    assert summary["p50_ms"] == pytest.approx(50.5, abs=0.1)
    assert summary["p95_ms"] == pytest.approx(95.05, abs=0.1)
    assert summary["p99_ms"] == pytest.approx(99.01, abs=0.1)
    assert summary["max_ms"] == pytest.approx(100)


def test_latency_summary_of_nothing_has_no_figures():
    assert latency_summary([]) == {
        "count": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None
    }


def test_the_server_log_is_searched_for_locked_databases(tmp_path):
    log = tmp_path / "gunicorn.log"
    log.write_text(
        "[INFO] Booting worker\n"
        "Internal Server Error: /admin/articles/article/add/\n"
        "Traceback (most recent call last):\n"
        "django.db.utils.OperationalError: database is locked\n"
    )
    summary = server_log_summary(log)
    assert summary["database_locked"] == 1
    assert summary["tracebacks"] == 1
    assert summary["server_errors"] == 1
    # Only what was written after a point is read when asked.
    assert server_log_summary(log, start=log.stat().st_size)["database_locked"] == 0


# Forms.

PAGE = """
<form id="search"><input name="q" value="not this one"></form>
<form method="post" id="article_form" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="token">
  <input type="text" name="headline" value="Trams &amp; ferries">
  <textarea name="body">
&lt;p&gt;Hello&lt;/p&gt;</textarea>
  <select name="status"><option value="draft">Draft</option><option value="published">P</option>
  </select>
  <select name="label"><option value="news">News</option>
    <option value="opinion" selected>Opinion</option></select>
  <select name="tags" multiple><option value="transport" selected>transport</option>
    <option value="budget">budget</option><option value="night tram" selected>x</option></select>
  <input type="checkbox" name="bylines-0-DELETE">
  <input type="checkbox" name="substantive_update" checked>
  <input type="text" name="locked" value="x" disabled>
  <input type="file" name="file">
  <input type="submit" name="_save" value="Save">
</form>
"""


def test_a_form_is_read_as_a_browser_would_send_it():
    form = find_form(PAGE, "article_form")
    assert form.fields == [
        ["csrfmiddlewaretoken", "token"],
        ["headline", "Trams & ferries"],
        ["body", "<p>Hello</p>"],
        ["status", "draft"],  # a single select with nothing selected sends its first option
        ["label", "opinion"],
        ["tags", "transport"],
        ["tags", "night tram"],
        ["substantive_update", "on"],  # checked boxes only; disabled fields, files, buttons not
    ]


def test_a_missing_form_is_an_error():
    with pytest.raises(SoakError, match="image_form"):
        find_form(PAGE, "image_form")


def test_a_form_field_is_replaced_in_place_and_may_take_several_values():
    form = Form([["a", "1"], ["tags", "x"], ["tags", "y"], ["b", "2"]])
    form.set("tags", ["p", "q", "r"])
    form.set("a", 3)
    form.set("new", "")
    assert form.fields == [
        ["a", "3"], ["tags", "p"], ["tags", "q"], ["tags", "r"], ["b", "2"], ["new", ""]
    ]
    form.remove(r"^tags$")
    assert form.encoded() == "a=3&b=2&new="


def test_form_errors_are_read_from_a_reshown_admin_form():
    html = (
        '<p class="errornote">Please correct the error below.</p>'
        '<ul class="errorlist" id="id_slug_error"><li>Article with this Slug already exists.</li>'
        "</ul>"
    )
    assert form_errors(html) == (
        "Please correct the error below.; Article with this Slug already exists."
    )


def test_a_multipart_body_carries_fields_and_files():
    body, content_type = multipart(
        [["alt_text", "A crane"]], {"file": ("crane.jpg", "image/jpeg", b"\xff\xd8data")}
    )
    boundary = content_type.split("boundary=")[1]
    assert body.startswith(f"--{boundary}\r\n".encode())
    assert b'name="alt_text"\r\n\r\nA crane\r\n' in body
    assert b'filename="crane.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8data\r\n' in body
    assert body.endswith(f"--{boundary}--\r\n".encode())


def test_the_inline_rows_saved_skip_deleted_rows_and_empty_extras():
    form = Form([
        ["bylines-TOTAL_FORMS", "3"],
        ["bylines-0-id", "7"], ["bylines-0-author", "4"], ["bylines-0-position", "0"],
        ["bylines-0-DELETE", "on"],
        ["bylines-1-id", "8"], ["bylines-1-author", "5"], ["bylines-1-position", "1"],
        ["bylines-2-id", ""], ["bylines-2-author", ""], ["bylines-2-position", "0"],
    ])
    assert inline_rows(form, "bylines", ["author", "position"]) == [["5", "1"]]


def test_a_change_shows_however_the_page_escapes_it():
    assert shows(b"<h2>Water tests in Tanner&#x27;s Row</h2>", "Water tests in Tanner's Row")
    assert shows(b"<title>Fish &amp; chips</title>", "Fish & chips")
    assert not shows(b"<h2>Something else</h2>", "Fish & chips")


# The admin's saves, as the soak posts them and checks them.


@pytest.fixture
def newsroom(db, section):
    authors = [
        Author.objects.create(name=f"Author {number}", slug=f"author-{number}")
        for number in range(5)
    ]
    return Newsroom(
        hot_articles=[], articles=[], tags=[], sections=[section.slug],
        section_ids=[section.pk], authors=[author.pk for author in authors],
        tag_names=["transport", "budget", "night tram", "schools"], edit_pool=[],
    )


def stored(article):
    article = Article.objects.prefetch_related(
        "bylines", "references", "tagged_items__tag"
    ).get(pk=article.pk)
    return stored_state(article)


def test_what_an_admin_save_writes_is_what_the_check_expects(admin_client, newsroom):
    """The state the soak records for a save is the one the admin stores: for a new article with
    its byline, tags and sources, and for an edit of it."""
    rng = random.Random(3)
    add = reverse("admin:articles_article_add")
    form = find_form(admin_client.get(add).content, "article_form")
    fill_new_article(form, new_article(rng, newsroom, "t001", "soak-t-crash-001"))
    response = admin_client.post(
        add, form.encoded(), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302, form_errors(response.content)
    article = Article.objects.get(slug="soak-t-crash-001")
    assert stored(article) == posted_state(form)
    assert stored(article)["bylines"] and stored(article)["tags"]

    change = reverse("admin:articles_article_change", args=[article.pk])
    form = find_form(admin_client.get(change).content, "article_form")
    edit_article(form, "t002", rng, newsroom)
    response = admin_client.post(
        change, form.encoded(), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302, form_errors(response.content)
    assert stored(article) == posted_state(form)
    assert stored(article)["headline"].endswith("(rev t002)")


def save(number, outcome, expected, kind="create", slug="soak-t-crash-001", **extra):
    return {"number": number, "kind": kind, "slug": slug, "outcome": outcome,
            "expected": expected, **extra}


def test_the_check_finds_a_half_written_article(make_article, author):
    """An article row with its tags but without the byline its save posted is caught, whether
    that save was acknowledged or not."""
    article = make_article("Night trams return", slug="soak-t-crash-001", tags=["transport"])
    whole = {**stored(article), "bylines": [[author.pk, 0]]}

    for outcome in ("acknowledged", "lost"):
        violations = check_articles([save(1, outcome, whole)], {}, "soak-t-crash-")
        assert len(violations) == 1
        what, detail = violations[0]
        assert "soak-t-crash-001" in what
        assert detail.startswith("bylines: []")

    Byline.objects.create(article=article, author=author, position=0)
    assert check_articles([save(1, "acknowledged", whole)], {}, "soak-t-crash-") == []


def test_an_unanswered_save_may_be_missing_but_an_acknowledged_one_may_not(db):
    expected = {"headline": "Gone", "standfirst": "", "body": "", "tags": [], "bylines": [],
                "references": []}
    assert check_articles([save(1, "lost", expected)], {}, "soak-t-crash-") == []
    violations = check_articles([save(1, "acknowledged", expected)], {}, "soak-t-crash-")
    assert violations == [
        ("article soak-t-crash-001 (saves 1 acknowledged)", "missing from the database")
    ]


def test_an_article_of_the_run_that_no_save_wrote_is_reported(make_article):
    make_article(slug="soak-t-crash-009")
    violations = check_articles([], {}, "soak-t-crash-")
    assert violations == [
        ("article soak-t-crash-009", "in the database, though the run never saved it")
    ]


def test_an_edit_of_an_existing_article_is_checked_against_its_state_before(make_article):
    article = make_article("Ferry fares rise", tags=["transport"])
    before = stored(article)
    edited = {**before, "headline": "Ferry fares rise (rev t002)"}
    edit = {"kind": "edit", "article": article.pk, "created_in_run": False}
    # A lost edit may not have happened; an acknowledged one must have.
    assert check_articles(
        [save(2, "lost", edited, **edit)], {article.pk: before}, "soak-t-crash-"
    ) == []
    violations = check_articles(
        [save(2, "acknowledged", edited, **edit)], {article.pk: before}, "soak-t-crash-"
    )
    assert len(violations) == 1
    assert violations[0][1].startswith("headline:")


def test_the_states_an_article_may_be_in_after_its_saves():
    def write(outcome, state):
        return {"outcome": outcome, "expected": state}

    writes = [write("acknowledged", "A"), write("lost", "B"), write("acknowledged", "C"),
              write("lost", "D"), write("refused", "E"), write("lost", "F")]
    assert article_candidates(writes, "before") == ["C", "D", "F"]
    assert article_candidates(writes[1:2], "before") == ["before", "B"]
    assert article_candidates([], None) == [None]


def test_sqlite_checks_report_integrity_and_dangling_foreign_keys(tmp_path):
    path = tmp_path / "tiny.sqlite3"
    database = sqlite3.connect(path)
    database.executescript(
        "CREATE TABLE article (id INTEGER PRIMARY KEY);"
        "CREATE TABLE byline (id INTEGER PRIMARY KEY, article_id INTEGER REFERENCES article(id));"
        "INSERT INTO article VALUES (1); INSERT INTO byline VALUES (1, 1), (2, 99);"
    )
    database.commit()
    database.close()
    checks = sqlite_checks(path)
    assert checks["integrity"] == ["ok"]
    assert checks["foreign_key_problems"] == [["byline", 2, "article", 0]]


def test_every_image_must_have_its_file_and_renditions(image, media_root):
    upload = {"number": 5, "kind": "image", "outcome": "acknowledged",
              "expected": {"alt_text": image.alt_text, "caption": image.caption,
                           "credit": image.credit, "licence": image.licence}}
    assert check_images([upload]) == [(f"image #{image.pk}", "no renditions recorded")]

    make_renditions(image)
    assert check_images([upload]) == []

    (Path(media_root) / rendition_names(image)[0]).unlink()
    [(what, detail)] = check_images([upload])
    assert what == f"image #{image.pk}" and detail.startswith("1 rendition file(s) missing")

    lost = {**upload, "expected": {**upload["expected"], "alt_text": "Never stored"}}
    assert check_images([{**lost, "outcome": "lost"}])[1:] == []
    assert ("upload 5", "acknowledged but not in the database") in check_images([lost])


# The load phase's figures and report.

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Courier</title><link>http://example.org/</link>
<description>News</description><item><title>Trams</title><link>http://example.org/a/</link>
<description>Night trams</description></item></channel></rss>"""


def response(status, seconds=0.05, x_cache="miss"):
    headers = http.client.HTTPMessage()
    headers["X-Cache"] = x_cache
    return Response(status, headers, b"", seconds)


def test_feeds_are_parsed_once_per_body_and_a_broken_one_counts():
    stats = LoadStats()
    stats.check_feed("/feed/rss/", RSS)
    stats.check_feed("/feed/rss/", RSS)
    assert (stats.feeds_fetched, stats.feed_failures, len(stats.parsed)) == (2, 0, 1)
    stats.check_feed("/feed/atom/", RSS.replace(b"</channel>", b""))
    assert stats.feed_failures == 1
    assert stats.feed_failure_examples[0].startswith("/feed/atom/: ")


def load_results(tmp_path, log_text="", statuses=(200,), not_visible=False):
    stats = LoadStats()
    for status in statuses:
        stats.record("article", "/city/2026/01/02/story/", response(status))
    stats.record("home", "/", response(200, x_cache="hit"))
    log = tmp_path / "gunicorn-load.log"
    log.write_text(log_text)
    checks = [{"page": "home", "path": "/", "visible": not not_visible, "status": 200,
               "x_cache": "miss"}]
    editor = SimpleNamespace(
        changes=[{"number": 1, "action": "publish", "token": "t001", "saved": True,
                  "checks": checks}],
        save_seconds=[0.3], crashed=None, skipped=0,
    )
    server = SimpleNamespace(log_path=log, starts=1)
    load = summarise_load(stats, editor, 10.0, server, 0, readers=2, interval=5)
    config = {"articles": 10, "cpus": 2, "load_before": [0.1, 0.1, 0.1]}
    return {"config": config, "build": {"reused": True}, "load": load}


def test_a_clean_load_phase_passes(tmp_path):
    results = load_results(tmp_path)
    load = results["load"]
    assert load["failures"] == []
    assert (load["requests"], load["requests_per_second"]) == (2, 0.2)
    assert load["x_cache"] == {"miss": 1, "hit": 1}
    report = render_load(results)
    assert "requests: 2 (0.2/s)" in report
    assert "from the page cache: 50% of requests" in report
    assert report.endswith("load: PASS")
    assert not failed(results)


def test_5xx_a_locked_database_and_a_stale_page_fail_the_load_phase(tmp_path):
    results = load_results(
        tmp_path, log_text="OperationalError: database is locked\n", statuses=(200, 502, 404),
        not_visible=True,
    )
    failures = results["load"]["failures"]
    assert failures == [
        "1 responses 5xx",
        "1 responses other than 2xx/3xx (not 5xx)",
        '1 "database is locked" in the server log',
        "1 changes not visible on the next request",
    ]
    report = render_load(results)
    assert "responses other than 2xx/3xx: 404 ×1, 502 ×1 (5xx: 1)" in report
    assert "home / (200, X-Cache miss)" in report
    assert "load: FAIL: 1 responses 5xx" in report
    assert failed(results)


def test_the_crash_report_counts_saves_kills_and_violations():
    results = {"report": "var/soak/report.json", "crash": {
        "seconds": 95.0, "saves_attempted": 200, "by_kind": {"create": 80, "edit": 90,
                                                             "image": 30},
        "acknowledged": 170, "lost": 28, "refused": 0, "errors": 2, "kills": 41,
        "restarts": 40, "restart_p50_s": 0.7, "articles_checked": 120, "orphan_files": 3,
        "sqlite": {"integrity": ["ok"], "foreign_key_problems": []},
        "server": {"database_locked": 0, "tracebacks": 0},
        "violations": [{"what": "article soak-x-crash-007 (saves 7 acknowledged)",
                        "detail": "missing from the database"}],
    }}
    report = render_crash(results)
    assert "200 saves through the admin (80 new articles, 90 edits, 30 picture uploads)" in report
    assert "acknowledged (302): 170; lost to a kill: 28" in report
    assert "kill -9 of master and workers: 41; restarts: 40" in report
    assert "article soak-x-crash-007 (saves 7 acknowledged): missing from the database" in report
    assert report.endswith("crash: FAIL")
    assert failed(results)


# The server's process group.


def test_a_killed_process_group_is_waited_for():
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True
    )
    try:
        assert [pid for pid, _ in group_members(child.pid)] == [child.pid]
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        reap_group(child.pid, timeout=5)
        assert group_members(child.pid) == []
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
