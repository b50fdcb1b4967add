"""The soak's editor: a staff account in the Editor role at work in the admin over HTTP, and the
articles it writes into the admin's forms."""

import re
import secrets

from . import SoakError
from .client import Client
from .forms import find_form, form_errors, multipart

EDITOR_USERNAME = "soak-editor"


class Editor:
    """A staff member at work in the admin: signs in, opens forms, posts them."""

    def __init__(self, port, username, password):
        self.client = Client(port)
        self.username = username
        self.password = password
        self.logins = 0

    def login(self):
        page = self.client.get("/admin/login/?next=/admin/")
        if page.status != 200:
            raise SoakError(f"The login page answered {page.status}.")
        form = find_form(page.body, "login-form")
        form.set("username", self.username)
        form.set("password", self.password)
        answer = self.client.post(
            "/admin/login/?next=/admin/", form.encoded(), "application/x-www-form-urlencoded"
        )
        if answer.status != 302 or "/login/" in (answer.header("Location") or ""):
            raise SoakError(f"The editor could not sign in ({answer.status}): "
                            f"{form_errors(answer.body)}")
        self.logins += 1

    def open(self, path, form_id):
        """The form on an admin page, signing in first if the session is gone."""
        page = self.client.get(path)
        if page.status == 302 and "/login/" in (page.header("Location") or ""):
            self.login()
            page = self.client.get(path)
        if page.status != 200:
            raise SoakError(f"GET {path} answered {page.status}.")
        return find_form(page.body, form_id)

    def clone(self):
        """The same editor, signed in, on a connection of its own."""
        other = Editor(self.client.port, self.username, self.password)
        other.client.cookies = dict(self.client.cookies)
        return other

    def submit(self, path, form, files=None):
        if files:
            body, content_type = multipart(form.fields, files)
        else:
            body, content_type = form.encoded(), "application/x-www-form-urlencoded"
        return self.client.post(form.action or path, body, content_type)

    def close(self):
        self.client.close()


ARTICLE_ADD = "/admin/articles/article/add/"
IMAGE_ADD = "/admin/articles/image/add/"


def article_change(pk):
    return f"/admin/articles/article/{pk}/change/"


def fill_new_article(form, article):
    """The add form filled in: the article's fields, its byline and its sources."""
    for name in ("headline", "slug", "standfirst", "body", "section", "status", "label"):
        form.set(name, article[name])
    form.set("tags", article["tags"])
    form.set("lead_image", article.get("lead_image") or "")
    form.set("published_at_0", "")
    form.set("published_at_1", "")
    form.remove(r"^(bylines|references)-\d+-")
    form.set("bylines-TOTAL_FORMS", len(article["bylines"]))
    for index, (author, position) in enumerate(article["bylines"]):
        form.set(f"bylines-{index}-author", author)
        form.set(f"bylines-{index}-position", position)
    form.set("references-TOTAL_FORMS", len(article["references"]))
    for index, (title, url, position) in enumerate(article["references"]):
        form.set(f"references-{index}-title", title)
        form.set(f"references-{index}-url", url)
        form.set(f"references-{index}-position", position)
    form.set("_save", "Save")
    return form


def new_article(rng, newsroom, token, slug, images=()):
    """A new article as an editor fills in the add form: one to three authors, tags old and new,
    up to three sources, published or a draft, now and then with a recent image."""
    authors = rng.sample(newsroom.authors, rng.randint(1, 3))
    tags = [f"soak {token}", *rng.sample(newsroom.tag_names, rng.randint(1, 3))]
    references = [
        [f"Harbour board paper {token}-{index}", f"https://example.org/papers/{token}-{index}",
         index]
        for index in range(rng.randint(0, 3))
    ]
    lead_image = rng.choice(list(images)[-5:]) if images and rng.random() < 0.4 else ""
    return {
        "headline": f"Night trams return to the harbour line, soak {token}",
        "slug": slug,
        "label": rng.choice(["news", "analysis", "explainer"]),
        "standfirst": f"From Friday the number 4 tram runs all night (soak {token}).",
        "body": f"<p>Trams will run <strong>all night</strong> from Friday, soak {token}.</p>"
                "<p>The council agreed the trial at its last meeting.</p>",
        "section": rng.choice(newsroom.section_ids),
        "status": rng.choice(["published", "published", "draft"]),
        "tags": tags,
        "bylines": [[author, position] for position, author in enumerate(authors)],
        "references": references,
        "lead_image": lead_image,
    }


def edit_article(form, token, rng, newsroom):
    """An article's change form edited: new words, tags, another first author and, half the
    time, a new source in the empty extra row."""
    base = re.sub(r" \(rev \w+\)$", "", form.get("headline", ""))
    form.set("headline", f"{base[:150]} (rev {token})")
    form.set("standfirst", f"Revised in the newsroom (soak {token}).")
    form.set("body", f"<p>The story as it now stands, soak {token}.</p>")
    form.set("tags", form.get_all("tags")[:1] + [f"soak {token}", rng.choice(newsroom.tag_names)])
    rows = int(form.get("bylines-TOTAL_FORMS") or 0)
    on_byline = {form.get(f"bylines-{index}-author") for index in range(rows)}
    free = [pk for pk in newsroom.authors if str(pk) not in on_byline]
    if rows and form.get("bylines-0-author") and free:
        form.set("bylines-0-author", rng.choice(free))
    total = int(form.get("references-TOTAL_FORMS") or 0)
    if total and not form.get(f"references-{total - 1}-id") and rng.random() < 0.5:
        last = total - 1
        form.set(f"references-{last}-title", f"Harbour board minutes {token}")
        form.set(f"references-{last}-url", f"https://example.org/minutes/{token}")
        form.set(f"references-{last}-position", total)
    form.set("_save", "Save")
    return form


def ensure_editor():
    """A staff account in the Editor role, with a new password for this run."""
    from axes.utils import reset
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.roles import EDITOR

    User = get_user_model()
    password = secrets.token_urlsafe(18)
    user = User.objects.filter(username=EDITOR_USERNAME).first() or User(username=EDITOR_USERNAME)
    user.is_staff = user.is_active = True
    user.is_superuser = False
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=EDITOR))
    reset(username=EDITOR_USERNAME)  # a lock-out left by an earlier run
    return EDITOR_USERNAME, password
