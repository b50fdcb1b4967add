"""The benchmark's results as one printed table, each figure next to its target."""

from .pages import HTTP_PAGES, PAGE_TITLES
from .targets import RATIO_TARGETS, SERVER_P95_TARGET_MS, WEIGHT_TARGET_BYTES, verdict


def _ms(value):
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def _target_cell(page, mode, measured):
    share = RATIO_TARGETS.get((page, mode))
    if share is None or measured is None:
        return ""
    return f"≥ {share:g}× {verdict(measured.get('ratio'), share)}"


def render_report(results):
    config = results["config"]
    lines = []
    build = results["build"]
    built = f"{'reused, ' if build.get('reused') else ''}built in {build['seconds']:.0f} s"
    lines.append(
        f"Newsroom benchmark: {config['articles']:,} articles ({built}); gunicorn with "
        f"{config['workers']} workers on {config['cpus']} CPUs; wrk {config['wrk']}, "
        f"after a {config['warmup_s']} s warm-up"
    )
    load = config["load_before"][0]
    if load > config["cpus"] / 2:
        lines.append(
            f"Warning: other work was running (load average {load:.1f} on {config['cpus']} CPUs "
            "at the start): the figures are noisy."
        )
    lines.append("")
    header = (f"{'page':<20}{'req/s':>9}{'p50':>10}{'p99':>10}{'× static':>10}  {'target':<12}")
    lines.append(f"{'':<20}{'uncached':^51}   {'cached':^51}")
    lines.append(header + " | " + header[20:])
    limit = results["limit"]
    for page in HTTP_PAGES:
        row = f"{PAGE_TITLES[page]:<20}"
        for mode in ("uncached", "cached"):
            measured = results["http"].get(mode, {}).get(page)
            if mode == "cached":
                row += " | "
            if measured is None:
                row += f"{'—':>39}  {'':<12}"
                continue
            row += (
                f"{measured['requests_per_second']:>9,.0f}{_ms(measured['p50_ms']):>10}"
                f"{_ms(measured['p99_ms']):>10}{measured['ratio']:>9.3f}×"
                f"  {_target_cell(page, mode, measured):<12}"
            )
        lines.append(row)
    lines.append(
        f"{PAGE_TITLES['limit']:<20}{limit['requests_per_second']:>9,.0f}"
        f"{_ms(limit['p50_ms']):>10}{_ms(limit['p99_ms']):>10}{1:>9.3f}×"
        f"  the article's HTML as a static file, served by whitenoise ({limit['path']}; "
        f"the better of {len(limit.get('runs', [1]))} runs)"
    )
    lines.append("")

    lines.append(
        f"Server time in process, page cache off (up to {config['in_process_requests']} requests "
        "each after a warm-up; n: how many)"
    )
    lines.append(f"{'page':<20}{'p50':>10}{'p95':>10}{'n':>5}{'queries':>9}  {'target':<18}path")
    for page, timing in results["server"].items():
        queries = str(timing["queries"])
        if timing["queries_max"] != timing["queries"]:
            queries += f"–{timing['queries_max']}"
        target = (f"p95 ≤ {SERVER_P95_TARGET_MS} ms "
                  f"{verdict(timing['p95_ms'], SERVER_P95_TARGET_MS, at_least=False)}")
        lines.append(
            f"{PAGE_TITLES.get(page, page):<20}{_ms(timing['p50_ms']):>10}"
            f"{_ms(timing['p95_ms']):>10}{timing['requests']:>5}{queries:>9}  {target:<18}"
            f"{timing['path']}"
        )
    lines.append("")

    weight = results["weight"]
    lines.append("Page weight of the article, compressed as served")
    total = weight["total_gzip_bytes"]
    lines.append(
        f"HTML {weight['html_gzip_bytes']:,} B (of {weight['html_bytes']:,}) + CSS "
        f"{weight['css_gzip_bytes']:,} B = {total:,} B"
        f"   ≤ {WEIGHT_TARGET_BYTES:,} B "
        f"{verdict(total, WEIGHT_TARGET_BYTES, at_least=False)}"
    )
    blocking = weight["blocking_scripts"]
    lines.append(
        f"render-blocking <script> in <head>: {', '.join(blocking) or 'none'}   none "
        f"{verdict(len(blocking), 0, at_least=False)}"
    )
    lines.append(f"web fonts: {', '.join(weight['web_fonts']) or 'none'}")
    lines.append("")

    freshness = results["freshness"]
    before = freshness["cached_before"]
    lines.append(
        f"Freshness, on the cached server (before: home X-Cache {before['home']}, article "
        f"X-Cache {before['article']})"
    )
    for check in freshness["checks"]:
        lines.append(
            f"  {check['what']}: {'yes' if check['fresh'] else 'NO'} "
            f"(X-Cache {check['x_cache']}, {check['ms']:.0f} ms)"
        )
    lines.append(f"fresh on the next request: {'yes' if freshness['fresh'] else 'NO'}")
    lines.append("")

    targets = results["targets"]
    missed = [target for target in targets if target["verdict"] != "PASS"]
    lines.append(f"Targets: {len(targets) - len(missed)} PASS, {len(missed)} MISS")
    for target in missed:
        lines.append(f"  MISS {target['what']}: {target['figure']} (target {target['target']})")
    minutes, seconds = divmod(round(results["seconds"]), 60)
    lines.append(f"Took {minutes} min {seconds:02d} s.")
    return "\n".join(lines)
