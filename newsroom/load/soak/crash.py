"""Phase 2, crash: saves through the admin while the whole server is killed with SIGKILL at
random moments and started again; every save is recorded with what it wrote."""

import io
import random
import threading
import time

from django.db import connection

from . import SoakError
from .audit import check_crash
from .client import CONNECTION_ERRORS, describe_error
from .editor import (
    ARTICLE_ADD,
    IMAGE_ADD,
    Editor,
    article_change,
    edit_article,
    fill_new_article,
    new_article,
)
from .forms import form_errors
from .states import posted_state, stored_state

# The crash phase's mix of saves.
SAVE_MIX = {"create": 0.42, "edit": 0.43, "image": 0.15}
IMAGE_SIZE = (800, 450)


def jpeg_bytes(rng, size=IMAGE_SIZE):
    """A photograph-like JPEG: a gradient with noise, so it compresses as a photo does."""
    import PIL.Image

    base = PIL.Image.linear_gradient("L").resize(size).convert("RGB")
    tint = PIL.Image.new("RGB", size, tuple(rng.randrange(40, 220) for _ in range(3)))
    noise = PIL.Image.effect_noise(size, 40).convert("RGB")
    photo = PIL.Image.blend(PIL.Image.blend(base, tint, 0.5), noise, 0.2)
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


class CrashRun:
    """Saves through the admin while the server is killed at random moments."""

    def __init__(self, server, credentials, newsroom, run_id, rng, kill_share, log=print):
        self.server = server
        self.credentials = credentials
        self.editor = None  # signs in once the server has its port
        self.newsroom = newsroom
        self.run_id = run_id
        self.rng = rng
        self.kill_share = kill_share
        self.log = log
        self.saves = []
        self.baselines = {}
        self.created = {}  # slug → article id, for articles whose creation was acknowledged
        self.images = []  # ids of images whose upload was acknowledged
        self.unexpected_deaths = 0
        self.typical = {"create": 0.4, "edit": 0.4, "image": 2.0}  # seconds, then measured

    # The server's life.

    def ensure_running(self):
        if self.server.alive():
            return
        self.server.start()

    def kill_now(self):
        if self.server.alive():
            self.server.kill()

    def arm(self, kind):
        """Maybe kill the server at a random moment in or just after the coming request."""
        if self.rng.random() >= self.kill_share:
            return None
        delay = self.rng.uniform(0, 1.3 * self.typical[kind])
        timer = threading.Timer(delay, self.kill_now)
        timer.daemon = True
        timer.start()
        return timer

    def after(self, timer):
        """Let an armed kill happen, then bring the server back if it is down."""
        if timer is not None:
            timer.join()
        elif not self.server.alive():
            self.unexpected_deaths += 1
            self.log(f"  the server stopped without being killed: {self.server.log_tail(3)}")
        if not self.server.alive():
            self.server.start()

    def with_server(self, action, attempts=6):
        """Run an action that needs the server, restarting it after a failed connection."""
        for attempt in range(attempts):
            try:
                self.ensure_running()
                return action()
            except CONNECTION_ERRORS:
                if attempt == attempts - 1:
                    raise
                if self.server.alive():
                    time.sleep(0.5)
                else:
                    self.unexpected_deaths += 1
        return None

    # Saves.

    def run(self, count):
        from articles.models import Article

        self.ensure_running()
        self.editor = Editor(self.server.port, *self.credentials)
        self.with_server(self.editor.login)
        kinds, weights = list(SAVE_MIX), list(SAVE_MIX.values())
        for number in range(1, count + 1):
            kind = self.rng.choices(kinds, weights)[0]
            if kind == "edit" and not self.edit_targets():
                kind = "create"
            timer = None
            try:
                save, timer = self.save(number, kind)
            except (SoakError, *CONNECTION_ERRORS) as error:
                save = {"number": number, "kind": kind, "outcome": "error",
                        "error": describe_error(error), "expected": None}
            self.saves.append(save)
            # An armed kill happens, in the request or just after it; the server comes back.
            self.after(timer)
            if save["outcome"] == "acknowledged":
                self.remember(save, Article)
            if number % 25 == 0:
                acknowledged = sum(1 for s in self.saves if s["outcome"] == "acknowledged")
                self.log(f"  {number} saves, {acknowledged} acknowledged, "
                         f"{self.server.kills} kills")
        # The end, too, is a crash: whatever the last save left is what is checked.
        if self.server.alive():
            self.server.kill()

    def edit_targets(self):
        return list(self.created.items()) + [(None, pk) for pk in self.newsroom.edit_pool]

    def save(self, number, kind):
        """Post one save; (its record, the timer of the kill armed for it or None)."""
        from articles.models import Article

        token = f"{self.run_id}{number:03d}"
        files = None
        record = {"number": number, "kind": kind, "token": token}
        if kind == "image":
            path = IMAGE_ADD
            form = self.with_server(lambda: self.editor.open(path, "image_form"))
            details = {
                "alt_text": f"A harbour crane at dusk, soak picture {token}",
                "caption": f"The crane over the east quay (soak {token}).",
                "credit": "Soak Photographer / Courier",
                "licence": "cc-by-4.0",
            }
            for name, value in details.items():
                form.set(name, value)
            form.set("_save", "Save")
            files = {"file": (f"crane-{token}.jpg", "image/jpeg", jpeg_bytes(self.rng))}
            record["expected"] = details
        elif kind == "create":
            path = ARTICLE_ADD
            form = self.with_server(lambda: self.editor.open(path, "article_form"))
            slug = f"soak-{self.run_id}-crash-{number:03d}"
            fill_new_article(form, new_article(self.rng, self.newsroom, token, slug, self.images))
            record["slug"] = slug
            record["expected"] = posted_state(form)
        else:
            slug, pk = self.rng.choice(self.edit_targets())
            path = article_change(pk)
            if slug is None and pk not in self.baselines:
                article = Article.objects.prefetch_related(
                    "bylines", "references", "tagged_items__tag"
                ).get(pk=pk)
                self.baselines[pk] = stored_state(article)
            form = self.with_server(lambda: self.editor.open(path, "article_form"))
            edit_article(form, token, self.rng, self.newsroom)
            record.update(slug=slug, article=pk, created_in_run=slug is not None)
            record["expected"] = posted_state(form)

        timer = self.arm(kind)
        record["kill_armed"] = timer is not None
        try:
            response = self.editor.submit(path, form, files)
        except CONNECTION_ERRORS as error:
            record.update(outcome="lost", error=describe_error(error))
            return record, timer
        record["status"] = response.status
        record["ms"] = round(response.seconds * 1000, 1)
        if response.status == 302 and "/login/" not in (response.header("Location") or ""):
            record["outcome"] = "acknowledged"
            self.typical[kind] = 0.7 * self.typical[kind] + 0.3 * response.seconds
        else:
            record["outcome"] = "refused"
            record["error"] = (form_errors(response.body) if response.status == 200
                               else f"answered {response.status}")
        return record, timer

    def remember(self, record, Article):
        """Note what an acknowledged save made, for later saves to use."""
        from articles.models import Image

        if record["kind"] == "create":
            pk = Article.objects.filter(slug=record["slug"]).values_list("pk", flat=True).first()
            if pk is not None:
                self.created[record["slug"]] = pk
        elif record["kind"] == "image":
            pk = (Image.objects.filter(alt_text=record["expected"]["alt_text"])
                  .values_list("pk", flat=True).first())
            if pk is not None:
                self.images.append(pk)


def run_crash(server, credentials, newsroom, saves, kill_share, run_id, seed, log=print):
    """The crash phase: saves with kills, then the checks on the stopped server's data."""
    started = time.monotonic()
    crash = CrashRun(server, credentials, newsroom, run_id, random.Random(seed + 1),  # nosec B311 # repeatable test load, no secret
                     kill_share, log=log)
    try:
        crash.run(saves)
    finally:
        server.stop()
        if crash.editor is not None:
            crash.editor.close()
    elapsed = time.monotonic() - started
    connection.close()  # the checks read the database as the crash left it
    return check_crash(crash, server, run_id, elapsed)
