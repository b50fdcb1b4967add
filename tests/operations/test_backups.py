"""Backups: `manage.py backup` copies the database and the media while the site serves, and
`manage.py restore` brings back exactly what was backed up — or, if anything is wrong with the
backup, changes nothing at all."""

import builtins
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import PIL.Image
import pytest
import reversion
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone
from reversion.models import Revision, Version
from taggit.models import Tag

from articles.images.renditions import make_renditions, rendition_names
from articles.models import (
    Article,
    ArticleTag,
    Author,
    Byline,
    Correction,
    Image,
    Licence,
    OldAddress,
    Reference,
    Section,
    ShareLink,
    StatusChange,
)
from articles.search import search
from newsroom import backups
from newsroom.backups import create, postgresql, restore

# A backup or restore runs outside any transaction, as the commands do: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)

on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's own files and backup API"
)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's pg_dump and pg_restore"
)

BASE_DIR = Path(__file__).resolve().parents[2]
MODELS = [
    get_user_model(), Section, Author, Image, Article, Byline, Reference, Tag, ArticleTag,
    Correction, StatusChange, ShareLink, OldAddress, Revision, Version,
]


def run(command, *args, **options):
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def content(media_root):
    """Everything a restore must bring back: every row of every model, and every media file."""
    rows = {model._meta.label: list(model.objects.order_by("pk").values()) for model in MODELS}
    return rows, content_of(media_root)


def png_bytes():
    buffer = io.BytesIO()
    PIL.Image.new("RGB", (40, 30), (20, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def backup_path(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    return folder / "newsroom.tar.gz"


@pytest.fixture
def newsroom(make_article, section, other_section, author, image, make_staff):
    """A small newsroom with all an article can have, and two saved revisions of one article."""
    editor = make_staff("editor")
    second_author = Author.objects.create(name="Ana Ruiz", slug="ana-ruiz", bio="Photographs.")
    make_renditions(image)
    map_image = Image.objects.create(
        file=ContentFile(png_bytes(), name="map.png"),
        alt_text="A map of the tram line", credit="Courier graphics", licence=Licence.CC_BY,
    )
    lead = make_article(
        "Night trams return to the harbour line",
        authors=[author, second_author],
        tags=["transport", "night tram"],
        references=["Council transport committee minutes", "Night tram trial report"],
        lead_image=image,
        label=Article.Label.NEWS,
        created_by=editor,
    )
    Reference.objects.filter(article=lead, position=0).update(
        publisher="Harbour City Council", url="https://example.org/minutes",
        date=date(2026, 3, 2), note="Item 7",
    )
    Correction.objects.create(
        article=lead, kind=Correction.Kind.CORRECTION, created_by=editor,
        text="An earlier version gave the wrong start date.",
    )
    StatusChange.objects.create(article=lead, status=Article.Status.PUBLISHED, changed_by=editor)
    OldAddress.objects.create(article=lead, path="/city/2026/03/01/night-trams/")
    analysis = make_article(
        "What the tram timetable means for shift workers",
        authors=[second_author], tags=["transport"], references=["Timetable"],
        lead_image=map_image, label=Article.Label.ANALYSIS, section=other_section,
    )
    Correction.objects.create(
        article=analysis, kind=Correction.Kind.CLARIFICATION, text="The fares are per trip.",
    )
    draft = make_article(
        "Ferry pier to close for repairs", status=Article.Status.DRAFT, published_at=None,
        authors=[author], tags=["ferries"],
    )
    ShareLink.objects.create(article=draft, note="for the harbour master", created_by=editor)

    # Two revisions of the lead article, as the admin would keep them.
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("First version.")
        lead.save()
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("Standfirst tightened.")
        lead.standfirst = "The number 4 runs all night from Friday."
        lead.save()
    with reversion.create_revision():
        reversion.set_comment("Draft saved.")
        draft.save()
    return {"lead": lead, "analysis": analysis, "draft": draft, "image": image}


def test_a_restore_brings_back_exactly_what_was_backed_up(newsroom, backup_path, media_root):
    lead, analysis, image = newsroom["lead"], newsroom["analysis"], newsroom["image"]
    assert Version.objects.get_for_object(lead).count() == 2
    before = content(media_root)
    assert len(before[1]) > 10  # the images and their renditions

    output = run("backup", str(backup_path))

    assert output.startswith(f"Backed up the {backups.ENGINE_NAMES[connection.vendor]} database")
    assert "3 articles, 2 images, 3 revisions" in output
    assert f"{len(before[1])} media files" in output
    assert backup_path.is_file()
    assert os.listdir(backup_path.parent) == [backup_path.name]  # nothing half-written left
    assert backup_path.stat().st_mode & 0o777 == 0o600  # it holds password hashes

    # A reader has the article's page in the cache.
    reader = Client()
    page = reader.get(lead.get_absolute_url())
    assert "Night trams return" in page.content.decode()

    # Then the newsroom moves on: an article deleted, a headline edited and saved as a revision,
    # a correction added, an image's file lost, an upload the backup never saw.
    analysis.delete()
    with reversion.create_revision():
        lead.headline = "Night buses replace the harbour trams"
        lead.save()
    Correction.objects.create(article=lead, text="A later note.")
    Tag.objects.filter(name="ferries").delete()
    default_storage.delete(image.file.name)
    default_storage.delete(rendition_names(image)[0])
    default_storage.save("images/2030/01/later.jpg", ContentFile(b"not in the backup"))
    Image.objects.filter(pk=image.pk).update(renditions={})
    assert content(media_root) != before
    assert "Night buses" in reader.get(lead.get_absolute_url()).content.decode()

    output = run("restore", str(backup_path), "--noinput")

    assert "Restored the backup of" in output
    assert "3 articles, 2 images, 3 revisions" in output
    assert "1 not in the backup removed" in output
    after = content(media_root)
    assert after[0] == before[0]  # every row, revisions and their serialized data included
    assert after[1] == before[1]  # every file, byte for byte, and nothing else
    assert not (media_root / "images/2030").exists()
    # The restored versions still restore: the headline as it was at the first revision.
    first = Version.objects.get_for_object(Article.objects.get(pk=lead.pk)).order_by("pk")[0]
    assert first.field_dict["headline"] == "Night trams return to the harbour line"
    # Search and the reader's page show the restored article at once.
    assert list(search("buses")[0:10]) == []
    assert [hit.pk for hit in search("night trams harbour")[0:10]] == [lead.pk]
    assert "Night trams return" in reader.get(lead.get_absolute_url()).content.decode()


def test_the_manifest_describes_the_backup(newsroom, backup_path, media_root):
    run("backup", str(backup_path))

    with tarfile.open(backup_path) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("manifest.json"))
        database = archive.extractfile(manifest["database"]["file"]).read()
    assert manifest["format"] == "newsroom-backup"
    assert manifest["format_version"] == 1
    assert manifest["engine"] == connection.vendor
    made = datetime.fromisoformat(manifest["created_at"])
    assert timezone.now() - timedelta(minutes=1) < made <= timezone.now()
    applied = MigrationRecorder(connection).migration_qs.order_by("id")
    assert manifest["migrations"] == {row.app: row.name for row in applied}
    assert {"articles", "reversion", "taggit", "auth"} <= set(manifest["migrations"])
    assert manifest["counts"] == {
        "articles": 3, "images": 2, "revisions": 3, "versions": Version.objects.count()
    }
    assert len(database) == manifest["database"]["bytes"]
    media = {file["name"]: file for file in manifest["media"]["files"]}
    assert set(media) == set(content(media_root)[1])
    assert manifest["media"]["included"] is True
    assert sorted(names) == sorted(
        ["manifest.json", manifest["database"]["file"], *(f"media/{name}" for name in media)]
    )


def test_an_uncompressed_backup_restores_too(newsroom, tmp_path, media_root):
    path = tmp_path / "newsroom.tar"
    before = content(media_root)
    run("backup", str(path))
    with open(path, "rb") as archive:
        assert archive.read(2) != b"\x1f\x8b"  # not gzip
    newsroom["draft"].delete()

    run("restore", str(path), "--no-input")

    assert content(media_root) == before


def test_keep_extra_media_leaves_files_the_backup_lacks(newsroom, backup_path, media_root):
    run("backup", str(backup_path))
    default_storage.save("images/later.jpg", ContentFile(b"uploaded after the backup"))

    output = run("restore", str(backup_path), "--noinput", "--keep-extra-media")

    assert "0 not in the backup removed" in output
    assert (media_root / "images/later.jpg").read_bytes() == b"uploaded after the backup"


def test_no_media_restores_the_database_alone(newsroom, backup_path, media_root):
    run("backup", str(backup_path))
    rows, _ = content(media_root)
    newsroom["draft"].delete()
    default_storage.delete(newsroom["image"].file.name)

    output = run("restore", str(backup_path), "--noinput", "--no-media")

    assert "The media were left as they are." in output
    assert content(media_root)[0] == rows
    assert not (media_root / newsroom["image"].file.name).exists()


def in_object_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def test_media_in_object_storage_are_left_out(make_article, backup_path, settings):
    in_object_storage(settings)
    article = make_article("Harbour wall repaired")

    output = run("backup", str(backup_path))

    assert (
        "Media live in object storage (django.core.files.storage.memory.InMemoryStorage) "
        "and are not copied" in output
    )
    with tarfile.open(backup_path) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        assert [name for name in archive.getnames() if name.startswith("media")] == []
    assert manifest["media"]["included"] is False
    Article.objects.filter(pk=article.pk).delete()

    output = run("restore", str(backup_path), "--noinput")

    assert "The backup has no media" in output
    assert Article.objects.filter(pk=article.pk).exists()


def test_media_files_are_not_restored_into_object_storage(newsroom, backup_path, settings):
    run("backup", str(backup_path))
    Article.objects.filter(pk=newsroom["draft"].pk).delete()
    in_object_storage(settings)

    with pytest.raises(CommandError, match=r"keeps its media in object storage .*--no-media"):
        run("restore", str(backup_path), "--noinput")
    assert not Article.objects.filter(pk=newsroom["draft"].pk).exists()

    run("restore", str(backup_path), "--noinput", "--no-media")
    assert Article.objects.filter(pk=newsroom["draft"].pk).exists()


# Refusals: nothing is written, nothing is changed.


def test_a_backup_never_overwrites_unless_forced(newsroom, backup_path):
    backup_path.write_bytes(b"last night's backup")

    with pytest.raises(CommandError, match=r"already exists; use --force to replace it\.$"):
        run("backup", str(backup_path))
    assert backup_path.read_bytes() == b"last night's backup"

    run("backup", str(backup_path), "--force")
    with tarfile.open(backup_path) as archive:
        assert "manifest.json" in archive.getnames()
    assert os.listdir(backup_path.parent) == [backup_path.name]


@pytest.mark.parametrize(
    "where, message",
    [
        ("missing/newsroom.tar.gz", "No such file or directory"),
        ("a-file/newsroom.tar.gz", "Not a directory"),
    ],
)
def test_a_backup_to_an_unwritable_place_is_refused(db, tmp_path, where, message):
    (tmp_path / "a-file").write_text("not a folder")
    path = tmp_path / where

    with pytest.raises(CommandError) as raised:
        run("backup", str(path))

    assert str(raised.value) == f"Cannot write the backup to {path}: {message}."
    assert "\n" not in str(raised.value)


def test_a_backup_into_the_media_folder_is_refused(db, media_root):
    media_root.mkdir(parents=True, exist_ok=True)
    with pytest.raises(CommandError, match="inside the media folder"):
        run("backup", str(media_root / "backup.tar.gz"))


def test_a_failed_backup_leaves_no_archive(newsroom, backup_path, monkeypatch):
    add_file = create.add_file
    calls = []

    def fail_on_the_third_file(archive, source, name):
        calls.append(name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return add_file(archive, source, name)

    monkeypatch.setattr(create, "add_file", fail_on_the_third_file)

    with pytest.raises(CommandError, match="No space left on device"):
        run("backup", str(backup_path))
    assert os.listdir(backup_path.parent) == []


def test_a_database_engine_without_backups_is_refused(db, backup_path, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "oracle")
    monkeypatch.setattr(connection, "display_name", "Oracle")

    with pytest.raises(CommandError, match=r"^Backups support SQLite and PostgreSQL databases, "
                                           r"not Oracle\.$"):
        run("backup", str(backup_path))
    assert not backup_path.exists()


def rewrite(source, destination, change=lambda name, data: data, extra=()):
    """Copy a backup member by member; `change` may alter a member's bytes, or drop it (None)."""
    with tarfile.open(source) as old, tarfile.open(destination, "w:gz") as new:
        for member in old:
            data = change(member.name, old.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
        for name, data in extra:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


def flip_a_byte(data):
    return data[:100] + bytes([data[100] ^ 1]) + data[101:]


def in_manifest(change):
    def changed(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        change(manifest)
        return json.dumps(manifest).encode()

    return changed


def truncated(path, broken):
    broken.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def garbage(path, broken):
    broken.write_bytes(os.urandom(5000))


def a_media_file_changed(path, broken):
    rewrite(path, broken, lambda name, data: flip_a_byte(data) if name.endswith(".jpg") else data)


def the_database_changed(path, broken):
    rewrite(path, broken, lambda name, data: flip_a_byte(data) if "database" in name else data)


def a_media_file_missing(path, broken):
    rewrite(path, broken, lambda name, data: None if name.endswith(".jpg") else data)


def without_a_manifest(path, broken):
    rewrite(path, broken, lambda name, data: None if name == "manifest.json" else data)


def with_a_file_outside_the_media(path, broken):
    rewrite(path, broken, extra=[("../../outside.txt", b"escaped")])


def of_another_engine(path, broken):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def change(manifest):
        manifest["engine"] = other
        manifest["database"]["file"] = backups.DATABASE_FILES[other]

    rewrite(path, broken, in_manifest(change))


def of_a_newer_newsroom(path, broken):
    def change(manifest):
        manifest["migrations"]["articles"] = "0999_from_the_future"

    rewrite(path, broken, in_manifest(change))


@pytest.mark.parametrize(
    "damage, message",
    [
        (truncated, r"is not a usable backup: the archive cannot be read"),
        (garbage, r"is not a usable backup: the archive cannot be read"),
        (a_media_file_changed, r"is damaged: media/images/.*\.jpg does not match the checksum"),
        (the_database_changed, r"is damaged: database\.\w+ does not match the checksum"),
        (a_media_file_missing, r"is not a usable backup: media/images/.*\.jpg is missing"),
        (without_a_manifest, r"is not a usable backup: it has no manifest\.json"),
        (with_a_file_outside_the_media, r"it holds an unexpected entry, '\.\./\.\./outside"),
        (of_another_engine, r"is a backup of a \w+ database, but this site uses"),
        (of_a_newer_newsroom, r"was made by a newer version of Newsroom \(migration articles\."),
    ],
)
def test_a_bad_backup_changes_nothing(
    newsroom, backup_path, media_root, tmp_path, damage, message
):
    run("backup", str(backup_path))
    broken = tmp_path / "broken.tar.gz"
    damage(backup_path, broken)
    # The newsroom has moved on since the backup: a wrongful restore would show.
    newsroom["analysis"].delete()
    default_storage.save("images/later.jpg", ContentFile(b"uploaded after the backup"))
    before = content(media_root)

    with pytest.raises(CommandError, match=message) as raised:
        run("restore", str(broken), "--noinput")

    assert "\n" not in str(raised.value)
    assert content(media_root) == before
    assert not (tmp_path / "outside.txt").exists()


def test_a_database_that_fails_to_restore_puts_the_media_back(
    newsroom, backup_path, media_root, monkeypatch
):
    run("backup", str(backup_path))
    image = newsroom["image"]
    default_storage.delete(image.file.name)  # the restore would bring it back
    replaced = media_root / rendition_names(image)[0]
    replaced.write_bytes(b"edited since")  # and replace this one
    newsroom["draft"].delete()
    before = content(media_root)

    def fail(connection, database):
        raise backups.BackupError("The database could not be restored (disk I/O error)")

    monkeypatch.setattr(restore, f"_restore_{connection.vendor}", fail)

    with pytest.raises(CommandError) as raised:
        run("restore", str(backup_path), "--noinput")

    assert str(raised.value) == (
        "The database could not be restored (disk I/O error); nothing was changed."
    )
    assert content(media_root) == before
    assert not any(name.startswith(".") for name in os.listdir(replaced.parent))


def test_a_missing_backup_is_refused(db, tmp_path):
    path = tmp_path / "nowhere.tar.gz"
    with pytest.raises(CommandError, match=rf"^No backup at {path}\.$"):
        run("restore", str(path), "--noinput")


def test_restore_asks_first_and_a_no_changes_nothing(
    newsroom, backup_path, media_root, monkeypatch
):
    run("backup", str(backup_path))
    draft = newsroom["draft"].pk
    Article.objects.filter(pk=draft).delete()
    before = content(media_root)
    prompts = []

    def answer(text):
        prompts.append(text)
        return "no"

    monkeypatch.setattr(builtins, "input", answer)

    output = run("restore", str(backup_path))

    assert output.strip() == "Restore cancelled."
    assert content(media_root) == before
    (prompt,) = prompts
    assert "3 articles, 2 images, 3 revisions" in prompt
    assert "This will REPLACE everything in the database" in prompt
    assert "Type 'yes' to continue" in prompt

    monkeypatch.setattr(builtins, "input", lambda text: "yes")
    assert "Restored the backup of" in run("restore", str(backup_path))
    assert Article.objects.filter(pk=draft).exists()


# SQLite: the live file, while the site keeps using it.


@on_sqlite
def test_a_copy_taken_during_writes_is_consistent(tmp_path):
    """Another connection keeps writing articles with their bylines while copies are taken: the
    writer carries on during each copy, and each copy holds whole articles only."""
    live_path = tmp_path / "live.sqlite3"
    live = sqlite3.connect(live_path, isolation_level=None)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE article (id INTEGER PRIMARY KEY, body BLOB)")
    live.execute("CREATE TABLE byline (article INTEGER, name TEXT)")
    live.execute("BEGIN")
    for _ in range(10_000):  # some 40 MB, so that a copy takes a while
        pk = live.execute("INSERT INTO article (body) VALUES (randomblob(4000))").lastrowid
        live.execute("INSERT INTO byline VALUES (?, 'Mira')", (pk,))
    live.execute("COMMIT")
    live.close()

    stop = threading.Event()
    commits = []

    def write():
        writer = sqlite3.connect(live_path, isolation_level=None, timeout=20)
        writer.execute("PRAGMA synchronous=OFF")
        while not stop.is_set():
            writer.execute("BEGIN IMMEDIATE")
            pk = writer.execute("INSERT INTO article (body) VALUES (randomblob(100))").lastrowid
            writer.execute("INSERT INTO byline VALUES (?, 'Ana')", (pk,))
            writer.execute("COMMIT")
            commits.append(time.monotonic())
        writer.close()

    writer = threading.Thread(target=write)
    writer.start()
    copies = []
    try:
        while len(commits) < 10:
            time.sleep(0.01)
        for number in range(4):
            copy_path = tmp_path / f"copy-{number}.sqlite3"
            source = sqlite3.connect(live_path)
            try:
                started = time.monotonic()
                backups.copy_sqlite(source, copy_path)
                copies.append((started, time.monotonic(), copy_path))
            finally:
                source.close()
    finally:
        stop.set()
        writer.join()

    written_during_copies = 0
    for started, finished, copy_path in copies:
        written_during_copies += sum(started < moment < finished for moment in commits)
        copy = sqlite3.connect(copy_path)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        articles = copy.execute("SELECT COUNT(*) FROM article").fetchone()[0]
        bylines = copy.execute("SELECT COUNT(*) FROM byline").fetchone()[0]
        orphans = copy.execute(
            "SELECT COUNT(*) FROM article WHERE id NOT IN (SELECT article FROM byline)"
        ).fetchone()[0]
        copy.close()
        assert articles == bylines > 10_000
        assert orphans == 0
    assert written_during_copies > 0  # the site kept writing while the copies were made


@on_sqlite
def test_backup_and_restore_of_a_live_database_file(newsroom, backup_path, tmp_path):
    """The commands as the site runs them: on a WAL database file that a worker has open."""
    run("backup", str(backup_path))
    site = tmp_path / "site"
    with tarfile.open(backup_path) as archive:
        archive.extractall(site, filter="data")
    database = site / "newsroom.sqlite3"
    (site / "database.sqlite3").rename(database)
    (site / "manifest.json").unlink()
    worker = sqlite3.connect(database, isolation_level=None)  # a site worker, kept open
    worker.execute("PRAGMA journal_mode=WAL")
    media_before = content_of(site / "media")
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "NEWSROOM_VAR_DIR": str(site),
        "NEWSROOM_MEDIA_ROOT": str(site / "media"),
    }
    environment.pop("REDIS_URL", None)

    def manage(*args):
        finished = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment,
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert finished.returncode == 0, finished.stderr
        return finished.stdout

    site_backup = tmp_path / "site-backup.tar.gz"
    assert "3 articles" in manage("backup", str(site_backup))
    worker.execute("DELETE FROM articles_correction")
    worker.execute("UPDATE articles_article SET headline = 'Changed'")
    lost = next((site / "media").rglob("*.jpg"))
    lost.unlink()

    assert "Restored the backup" in manage("restore", str(site_backup), "--noinput")

    # The worker's open connection reads the restored database; the file is still in WAL mode.
    assert worker.execute("SELECT COUNT(*) FROM articles_correction").fetchone()[0] == 2
    headlines = {row[0] for row in worker.execute("SELECT headline FROM articles_article")}
    assert "Night trams return to the harbour line" in headlines
    assert worker.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    worker.close()
    assert content_of(site / "media") == media_before


def content_of(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# PostgreSQL.


@on_postgresql
def test_a_backup_without_pg_dump_is_refused(db, backup_path, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(CommandError, match=r"^pg_dump was not found: install the PostgreSQL"):
        run("backup", str(backup_path))
    assert not backup_path.exists()


@on_postgresql
def test_the_dump_is_made_without_a_password_on_the_command_line(
    newsroom, backup_path, monkeypatch
):
    commands = []
    real_run = subprocess.run

    def recording(command, **options):
        commands.append((command, options.get("env", {})))
        return real_run(command, **options)

    monkeypatch.setattr(postgresql.subprocess, "run", recording)
    run("backup", str(backup_path))

    (command, environment), = [entry for entry in commands if "pg_dump" in entry[0][0]]
    password = connection.settings_dict["PASSWORD"]
    assert "--format=custom" in command
    if password:
        assert environment["PGPASSWORD"] == password
        # Neither as an argument of its own nor inside a connection string or URL.
        assert password not in command
        assert not any(
            f"password={password}" in argument or f":{password}@" in argument
            for argument in command
        )
    assert environment["PGDATABASE"] == connection.settings_dict["NAME"]


@on_postgresql
def test_a_pg_restore_that_fails_changes_nothing(newsroom, backup_path, media_root):
    run("backup", str(backup_path))
    Article.objects.filter(pk=newsroom["analysis"].pk).delete()
    with connection.cursor() as cursor:
        # Something of the database's own that depends on a table the restore must replace.
        cursor.execute("CREATE VIEW headlines AS SELECT headline FROM articles_article")
    before = content(media_root)

    with pytest.raises(
        CommandError, match=r"^pg_restore failed: .*cannot drop table .*; nothing was changed\.$"
    ):
        run("restore", str(backup_path), "--noinput")

    assert content(media_root) == before
    with connection.cursor() as cursor:
        cursor.execute("DROP VIEW headlines")


@on_postgresql
def test_a_database_migrated_past_the_backup_is_refused(
    newsroom, backup_path, media_root, monkeypatch
):
    """Tables the dump lacks would survive pg_restore --clean and trip `migrate` afterwards."""
    run("backup", str(backup_path))
    real_run = restore.run_tool

    def listing_without_corrections(command, connection, name):
        output = real_run(command, connection, name)
        if "--list" in command:
            output = "\n".join(
                line for line in output.splitlines() if " articles_correction " not in line
            )
        return output

    monkeypatch.setattr(restore, "run_tool", listing_without_corrections)
    before = content(media_root)

    with pytest.raises(CommandError, match=r"^The database has tables the backup lacks "
                                           r"\(articles_correction\)"):
        run("restore", str(backup_path), "--noinput")
    assert content(media_root) == before
