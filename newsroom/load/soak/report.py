"""The soak's reports: each phase's printed summary, the verdict, and report.json."""

import json
from pathlib import Path

from .load import LoadEditor
from .readers import READER_MIX


def write_report(soak_dir, results):
    path = Path(soak_dir) / "report.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def failed(results):
    """Whether any phase failed."""
    return bool(
        results.get("load", {}).get("failures") or results.get("crash", {}).get("violations")
    )


def _ms(value):
    if value is None:
        return "—"
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def _latency(summary):
    return (f"p50 {_ms(summary['p50_ms'])}, p95 {_ms(summary['p95_ms'])}, "
            f"p99 {_ms(summary['p99_ms'])}, max {_ms(summary['max_ms'])}")


def render_load(results):
    config, load = results["config"], results["load"]
    build = results.get("build", {})
    lines = [
        f"Soak, phase 1 — load: {config['articles']:,} articles"
        f"{' (reused)' if build.get('reused') else ''}; gunicorn with "
        f"{load['server']['workers']} workers on {config['cpus']} CPUs; {load['readers']} "
        f"readers for {load['seconds']:.0f} s",
    ]
    if config["load_before"][0] > config["cpus"] / 2:
        after = load.get("load_after", [0])[0]
        lines.append(f"  (other work was running: load average {config['load_before'][0]:.1f} "
                     f"at the start, {after:.1f} at the end, on {config['cpus']} CPUs)")
    lines.append(
        f"  requests: {load['requests']:,} ({load['requests_per_second']:,.1f}/s); "
        f"{_latency(load['latency'])}"
    )
    hits = load["x_cache"].get("hit", 0)
    lines.append(
        f"  from the page cache: {hits / load['requests']:.0%} of requests"
        f" (the readers' own process used {load.get('client_cpu_s', 0):.0f} s of CPU)"
        if load["requests"] else "  from the page cache: —"
    )
    for kind in READER_MIX:
        summary = load["by_kind"].get(kind)
        if summary and summary["count"]:
            lines.append(f"    {kind:<12}{summary['count']:>8,}  {_latency(summary)}")
    bad = ", ".join(f"{status} ×{count}" for status, count in load["bad_statuses"].items())
    lines.append(f"  responses other than 2xx/3xx: {bad or 'none'} "
                 f"(5xx: {load['server_errors']})")
    for example in load["bad_examples"][:5]:
        lines.append(f"    {example}")
    errors = ", ".join(f"{name} ×{count}" for name, count in load["connection_errors"].items())
    lines.append(f"  requests without a response: {errors or 'none'}")
    for example in load["connection_error_examples"][:5]:
        lines.append(f"    {example}")
    lines.append(
        f"  feeds: {load['feeds_fetched']:,} fetched ({load['feed_bodies_parsed']} different "
        f"bodies parsed), {load['feed_failures']} did not parse cleanly"
    )
    for example in load["feed_failure_examples"][:5]:
        lines.append(f"    {example}")
    editor = load["editor"]
    lines.append(
        f"  editor: {editor['changes']} changes through the admin, one every "
        f"{editor['interval_s']:g} s ({editor['published']} published, {editor['edited']} "
        f"edited), {len(editor['failed_saves'])} not saved; save {_latency(editor['save_latency'])}"
    )
    if editor.get("skipped"):
        lines.append(f"    {editor['skipped']} changes skipped: {LoadEditor.MAX_IN_FLIGHT} were "
                     "still at work when they were due")
    for failure in editor["failed_saves"][:5]:
        lines.append(f"    {failure}")
    lines.append(
        f"  freshness: {editor['checks']} next-request checks (home, article, RSS feed), "
        f"{len(editor['not_visible'])} not showing the change"
    )
    for miss in editor["not_visible"][:5]:
        lines.append(f"    {miss}")
    server = load["server"]
    lines.append(
        f"  server log: {server['database_locked']} \"database is locked\", "
        f"{server['tracebacks']} tracebacks, {server['worker_timeouts']} worker timeouts "
        f"({server['log']})"
    )
    verdict = "PASS" if not load["failures"] else "FAIL: " + "; ".join(load["failures"])
    lines.append(f"  load: {verdict}")
    return "\n".join(lines)


def render_crash(results):
    crash = results["crash"]
    by_kind = crash["by_kind"]
    lost = crash.get("lost_new", {"written": 0, "not_written": 0})
    lines = [
        f"Soak, phase 2 — crash: {crash['saves_attempted']} saves through the admin "
        f"({by_kind.get('create', 0)} new articles, {by_kind.get('edit', 0)} edits, "
        f"{by_kind.get('image', 0)} picture uploads) in {crash['seconds']:.0f} s",
        f"  acknowledged (302): {crash['acknowledged']}; lost to a kill: {crash['lost']}; "
        f"refused: {crash['refused']}; failed before posting: {crash['errors']}",
        f"  of the lost new articles and pictures: {lost['written']} in the database whole, "
        f"{lost['not_written']} not at all",
        f"  kill -9 of master and workers: {crash['kills']}; restarts: {crash['restarts']} "
        f"(p50 {crash['restart_p50_s']} s to /healthz)",
        f"  checked with the server stopped: {crash['articles_checked']} articles, every "
        f"picture; integrity_check: {', '.join(crash['sqlite']['integrity'][:3])}; "
        f"foreign_key_check: {len(crash['sqlite']['foreign_key_problems'])} rows",
        f"  files left by unfinished uploads (no row names them): {crash['orphan_files']}",
        f"  server log: {crash['server']['database_locked']} \"database is locked\", "
        f"{crash['server']['tracebacks']} tracebacks",
    ]
    violations = crash["violations"]
    lines.append(f"  violations: {len(violations)}")
    for violation in violations[:15]:
        lines.append(f"    {violation['what']}: {violation['detail']}")
    if len(violations) > 15:
        lines.append(f"    … and {len(violations) - 15} more (see {results.get('report')})")
    lines.append(f"  crash: {'PASS' if not violations else 'FAIL'}")
    return "\n".join(lines)


def render_summary(results):
    minutes, seconds = divmod(round(results["seconds"]), 60)
    verdict = "FAIL" if failed(results) else "PASS"
    return f"Soak: {verdict}. Took {minutes} min {seconds:02d} s; report in {results['report']}."

