"""The crash phase's audit, with the server stopped: every acknowledged save in the database
exactly, no article half-written, SQLite's checks passed, every image's files on disk."""

import sqlite3
from collections import Counter
from pathlib import Path

from django.conf import settings

from ..harness import percentile
from .server import server_log_summary
from .states import short, state_difference, stored_state


def sqlite_checks(path):
    """PRAGMA integrity_check and foreign_key_check on the database file."""
    database = sqlite3.connect(str(path), timeout=30)
    try:
        integrity = [row[0] for row in database.execute("PRAGMA integrity_check")]
        foreign = [list(row) for row in database.execute("PRAGMA foreign_key_check")]
    finally:
        database.close()
    return {"integrity": integrity, "foreign_key_problems": foreign}


def article_candidates(writes, baseline):
    """The states an article may be in after its writes, in order; None means absent.

    From the last acknowledged write on, that write's state or any later one that was sent and
    not answered; with none acknowledged, its state before the run or any unanswered write's.
    """
    sent = [write for write in writes if write["outcome"] in ("acknowledged", "lost")]
    acknowledged = [index for index, write in enumerate(sent) if write["outcome"] == "acknowledged"]
    if acknowledged:
        return [write["expected"] for write in sent[acknowledged[-1]:]]
    return [baseline] + [write["expected"] for write in sent]


def check_articles(saves, baselines, slug_prefix):
    """Violations among the articles the run wrote: [(what, detail)].

    `saves` are the crash phase's records; `baselines` the state before the run of each existing
    article it edited ({article id: state}); every article whose slug starts with `slug_prefix`
    was created in the run and is checked, whichever saves were answered.
    """
    from articles.models import Article

    writes = {}
    for save in saves:
        if save["outcome"] == "error":  # failed before anything was posted
            continue
        if save["kind"] == "create":
            writes.setdefault(("slug", save["slug"]), []).append(save)
        elif save["kind"] == "edit":
            key = ("slug", save["slug"]) if save.get("created_in_run") else ("id", save["article"])
            writes.setdefault(key, []).append(save)
    violations = []
    articles = Article.objects.prefetch_related("bylines", "references", "tagged_items__tag")
    created = {article.slug: article for article in articles.filter(slug__startswith=slug_prefix)}
    existing_ids = [key[1] for key in writes if key[0] == "id"]
    existing = {article.pk: article for article in articles.filter(pk__in=existing_ids)}
    for slug in sorted(set(created) - {key[1] for key in writes if key[0] == "slug"}):
        violations.append((f"article {slug}", "in the database, though the run never saved it"))
    for key, article_writes in writes.items():
        article = created.get(key[1]) if key[0] == "slug" else existing.get(key[1])
        state = stored_state(article) if article is not None else None
        baseline = None if key[0] == "slug" else baselines.get(key[1])
        candidates = article_candidates(article_writes, baseline)
        if state in candidates:
            continue
        acknowledged = [write for write in article_writes if write["outcome"] == "acknowledged"]
        reference = acknowledged[-1]["expected"] if acknowledged else candidates[-1]
        label = key[1] if key[0] == "slug" else f"#{key[1]}"
        saves_made = ", ".join(
            f"{write['number']} {write['outcome']}" for write in article_writes
        )
        violations.append(
            (f"article {label} (saves {saves_made})", state_difference(state, reference))
        )
    return violations


def lost_saves_written(saves):
    """Of the new articles and images whose save was sent but never answered, how many the
    database has (the commit beat the kill) and how many it has not."""
    from articles.models import Article, Image

    written = missing = 0
    for save in saves:
        if save["outcome"] != "lost" or save["kind"] not in ("create", "image"):
            continue
        if save["kind"] == "create":
            found = Article.objects.filter(slug=save["slug"]).exists()
        else:
            found = Image.objects.filter(alt_text=save["expected"]["alt_text"]).exists()
        written, missing = (written + 1, missing) if found else (written, missing + 1)
    return {"written": written, "not_written": missing}


def image_problems(image, storage):
    """What is wrong with an image's files: its original missing, renditions not recorded or a
    recorded rendition not on disk."""
    from articles.images.renditions import rendition_names

    problems = []
    if not image.file or not storage.exists(image.file.name):
        problems.append(f"file {image.file.name or '(none)'} missing")
    names = rendition_names(image)
    if not names:
        problems.append("no renditions recorded")
    missing = [name for name in names if not storage.exists(name)]
    if missing:
        problems.append(f"{len(missing)} rendition file(s) missing, e.g. {missing[0]}")
    return problems


def check_images(saves):
    """Violations among images: every Image row's files, and every acknowledged upload."""
    from django.core.files.storage import default_storage

    from articles.models import Image

    violations = []
    by_alt = {}
    for image in Image.objects.all():
        by_alt.setdefault(image.alt_text, []).append(image)
        problems = image_problems(image, default_storage)
        if problems:
            violations.append((f"image #{image.pk}", "; ".join(problems)))
    for save in saves:
        if save["kind"] != "image" or save["outcome"] == "error":
            continue
        found = by_alt.get(save["expected"]["alt_text"], [])
        if len(found) > 1:
            violations.append((f"upload {save['number']}", f"stored {len(found)} times"))
        elif not found and save["outcome"] == "acknowledged":
            violations.append((f"upload {save['number']}", "acknowledged but not in the database"))
        elif found:
            stored = {key: getattr(found[0], key) for key in save["expected"]}
            if stored != save["expected"]:
                violations.append((f"upload {save['number']}",
                                   f"stored as {short(stored)}, sent {short(save['expected'])}"))
    return violations


def orphan_files(media_root):
    """Files under the images' folder that no Image row names (left by a crash mid-save)."""
    from articles.images.renditions import rendition_names
    from articles.models import Image

    named = set()
    for image in Image.objects.all():
        named.add(image.file.name)
        named.update(rendition_names(image))
    root = Path(media_root)
    folder = root / "images"
    if not folder.exists():
        return 0
    return sum(
        1 for path in folder.rglob("*")
        if path.is_file() and str(path.relative_to(root)) not in named
    )


def check_crash(crash, server, run_id, elapsed):
    saves = crash.saves
    database = Path(settings.DATABASES["default"]["NAME"])
    sqlite = sqlite_checks(database)
    violations = []
    if sqlite["integrity"] != ["ok"]:
        violations.append(("database", f"integrity_check: {'; '.join(sqlite['integrity'][:5])}"))
    if sqlite["foreign_key_problems"]:
        violations.append(("database", f"foreign_key_check: {len(sqlite['foreign_key_problems'])} "
                                       f"rows, e.g. {sqlite['foreign_key_problems'][0]}"))
    violations += check_articles(saves, crash.baselines, f"soak-{run_id}-crash-")
    violations += check_images(saves)
    for save in saves:
        if save["outcome"] == "refused" or save["outcome"] == "error":
            violations.append((f"save {save['number']} ({save['kind']})",
                               f"{save['outcome']}: {save.get('error', '')}"))
    server_log = server_log_summary(server.log_path)
    if server_log["database_locked"]:
        violations.append(("server log", f"{server_log['database_locked']} \"database is "
                                         "locked\""))
    if crash.unexpected_deaths:
        violations.append(("server", f"stopped {crash.unexpected_deaths} times without a kill"))
    outcomes = Counter(save["outcome"] for save in saves)
    kinds = Counter(save["kind"] for save in saves)
    results = {
        "seconds": round(elapsed, 1),
        "saves_attempted": len(saves),
        "by_kind": dict(kinds),
        "acknowledged": outcomes.get("acknowledged", 0),
        "lost": outcomes.get("lost", 0),
        "refused": outcomes.get("refused", 0),
        "errors": outcomes.get("error", 0),
        "kills": server.kills,
        "restarts": max(0, server.starts - 1),
        "restart_p50_s": round(percentile(server.start_seconds, 50), 2)
        if server.start_seconds else None,
        "articles_checked": len({save.get("slug") or save.get("article") for save in saves
                                 if save["kind"] in ("create", "edit")}),
        "orphan_files": orphan_files(settings.MEDIA_ROOT),
        "lost_new": lost_saves_written(saves),
        "sqlite": sqlite,
        "server": server_log,
        "violations": [{"what": what, "detail": detail} for what, detail in violations],
        "saves": saves,
        # The edited articles as they were before the run: with the saves, enough to check again.
        "baselines": {str(pk): state for pk, state in crash.baselines.items()},
    }
    return results
