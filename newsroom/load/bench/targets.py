"""The issue's targets for the site's speed and weight, and each figure judged against them."""

from .pages import PAGE_TITLES

# The targets. Requests per second as a share of the static limit's:
RATIO_TARGETS = {
    ("article", "cached"): 0.9,
    ("article", "uncached"): 0.06,
    ("tag", "uncached"): 0.04,
    ("feed", "uncached"): 0.04,
}
SERVER_P95_TARGET_MS = 25  # every public page, uncached, in process
WEIGHT_TARGET_BYTES = 30_000  # the article's HTML and the site's CSS, compressed


def ratio(rate, limit_rate):
    """A page's requests per second as a share of the static limit's."""
    return rate / limit_rate if limit_rate else None


def verdict(value, target, at_least=True):
    if value is None:
        return "MISS"
    passed = value >= target if at_least else value <= target
    return "PASS" if passed else "MISS"


def evaluate_targets(results):
    """Each of the issue's targets with the figure it is judged on and PASS or MISS."""
    targets = []
    for (page, mode), share in RATIO_TARGETS.items():
        measured = results["http"].get(mode, {}).get(page)
        value = measured["ratio"] if measured else None
        targets.append({
            "what": f"{PAGE_TITLES[page]}, {mode}: requests/s against the static limit",
            "figure": None if value is None else round(value, 4),
            "target": f"≥ {share}×",
            "verdict": verdict(value, share),
        })
    for page, timing in results["server"].items():
        targets.append({
            "what": f"{PAGE_TITLES.get(page, page)}: server time p95, uncached",
            "figure": round(timing["p95_ms"], 2),
            "target": f"≤ {SERVER_P95_TARGET_MS} ms",
            "verdict": verdict(timing["p95_ms"], SERVER_P95_TARGET_MS, at_least=False),
        })
    weight = results.get("weight")
    if weight:
        targets.append({
            "what": "article HTML + CSS, compressed",
            "figure": weight["total_gzip_bytes"],
            "target": f"≤ {WEIGHT_TARGET_BYTES:,} bytes",
            "verdict": verdict(weight["total_gzip_bytes"], WEIGHT_TARGET_BYTES, at_least=False),
        })
        targets.append({
            "what": "render-blocking <script> in <head>",
            "figure": len(weight["blocking_scripts"]),
            "target": "none",
            "verdict": verdict(len(weight["blocking_scripts"]), 0, at_least=False),
        })
    return targets
