"""The newsroom's editing journey, from a new writer's first draft to an article that has moved.

An admin takes on a writer and an editor; the writer drafts and hands the article in; the editor
reviews it, sees what they changed against the writer's version, publishes it and later adds
a correction that readers and feed readers see; a second editor's save over a version they
never saw is stopped with nothing lost; and an old address still leads to the article.
"""

import re
from datetime import timedelta

import feedparser
import pytest
from admin_pages import PASSWORD, assert_saved, body_editor, choose, log_in
from django.contrib.auth.models import Group, Permission
from django.db.models import F
from django.utils import dateformat, timezone
from reversion.models import Version

from articles import roles
from articles.models import Article, Correction, Section
from articles.roles import grant_role_permissions

ADMIN = "harbourmaster"
WRITER = "ines.writer"
EDITOR = "tomas.editor"
SECOND_EDITOR = "bea.editor"

HEADLINE = "Pier 3 to close for repairs after divers find cracked piles"
EDITED_HEADLINE = "Pier 3 to shut for repairs after divers find cracked piles"
SLUG = "pier-3-to-close-for-repairs-after-divers-find-cracked-piles"
STANDFIRST = "The harbour board says the ferry will use Pier 5 while the work goes on."
BODY = "Divers found cracks in four of the timber piles under Pier 3 during an inspection."
# The editor puts right one word of the body: the number of cracked piles.
WRONG_WORD, RIGHT_WORD = "four", "six"
EDITED_BODY = BODY.replace(WRONG_WORD, RIGHT_WORD)

CORRECTION = (
    "An earlier version of this story said the repairs would take a month. "
    "They will take six weeks."
)

STANDFIRST_A = "Ferries move to Pier 5 from Monday while the piles under Pier 3 are replaced."
STANDFIRST_B = "The harbour board closes Pier 3 for six weeks; ferries will call at Pier 5."

NEW_SLUG = "pier-3-shut-for-six-weeks"
NEW_SECTION = "Business"


@pytest.fixture
def newsroom_roles(newsroom):
    """The Writer, Editor and Admin groups, with their permissions.

    A fresh install has them from its migrations; the live-server tests empty the database after
    each test, so they are made again here the way the migration makes them.
    """
    grant_role_permissions(Group, Permission)


@pytest.fixture
def admin_user(newsroom_roles, django_user_model):
    return django_user_model.objects.create_superuser(ADMIN, "admin@courier.example", PASSWORD)


@pytest.fixture
def second_editor(newsroom_roles, django_user_model):
    user = django_user_model.objects.create_user(
        SECOND_EDITOR, "bea@courier.example", PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    return user


def create_staff_member(page, base_url, username, role):
    """Through Django's user admin: a login and a password, then staff status and a role."""
    page.goto(base_url + "/admin/auth/user/add/")
    page.fill("#id_username", username)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("input[name=_save]")
    # Saving a new user leads on to its change page, for the rest of its details.
    page.wait_for_url(re.compile(r"/admin/auth/user/\d+/change/$"))
    page.check("#id_is_staff")
    page.select_option("#id_groups_from", label=role)
    page.click("#id_groups_add")
    assert page.locator("#id_groups_to option").all_inner_texts() == [role]
    page.click("input[name=_save]")
    assert_saved(page, username)


def change_url(base_url, article):
    return f"{base_url}/admin/articles/article/{article.pk}/change/"


def article_url(base_url, article):
    article.refresh_from_db()
    return base_url + article.get_absolute_url()


def shown_time(value):
    """A time as the site prints it under an article."""
    return dateformat.format(timezone.localtime(value), "j F Y, H:i")


def test_an_article_goes_from_a_new_writers_draft_to_a_corrected_article_that_has_moved(
    newsroom, admin_user, second_editor, open_page, screenshot, django_user_model
):
    base = newsroom.url

    # 1. The admin takes on a writer and an editor.
    admin = open_page("desktop")
    log_in(admin, base, ADMIN)
    create_staff_member(admin, base, WRITER, roles.WRITER)
    create_staff_member(admin, base, EDITOR, roles.EDITOR)
    for username, role in [(WRITER, roles.WRITER), (EDITOR, roles.EDITOR)]:
        user = django_user_model.objects.get(username=username)
        assert user.is_staff and not user.is_superuser, username
        assert [group.name for group in user.groups.all()] == [role], username

    # 2. The writer drafts the article, then hands it in for review.
    writer = open_page("desktop")
    log_in(writer, base, WRITER)
    writer.goto(base + "/admin/articles/article/add/")
    writer.locator("#id_headline").press_sequentially(HEADLINE)
    assert writer.input_value("#id_slug") == SLUG
    writer.fill("#id_standfirst", STANDFIRST)
    body_editor(writer).click()
    writer.keyboard.type(BODY)
    choose(writer, ".field-section .select2-selection", "City", "City")
    # Publishing is an editor's act: a writer is offered only these.
    assert writer.locator("#id_status option").all_inner_texts() == ["Draft", "In review"]
    assert writer.input_value("#id_status") == "draft"
    writer.click("input[name=_continue]")
    assert_saved(writer, HEADLINE)
    article = Article.objects.get(headline=HEADLINE)
    assert article.status == Article.Status.DRAFT
    assert article.created_by.username == WRITER

    writer.select_option("#id_status", "in_review")
    writer.click("input[name=_save]")
    writer.wait_for_url(base + "/admin/articles/article/")
    assert_saved(writer, HEADLINE)
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW

    # The writer's list holds their own article only, none of the newsroom's others.
    rows = writer.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert rows.locator("th a").inner_text() == HEADLINE
    assert Article.objects.count() > 1
    # In review, the article is the editors'; the writer may read it but no longer change it.
    rows.locator("th a").click()
    writer.wait_for_url(change_url(base, article))
    assert writer.locator("#content h1").inner_text().startswith("View")
    assert writer.locator(".field-headline .readonly").inner_text() == HEADLINE
    assert writer.locator("input[name=_save], input[name=_continue]").count() == 0
    assert writer.locator("#id_headline, #id_status").count() == 0

    # 3. The editor finds the article among those waiting for review, corrects it and publishes.
    editor = open_page("desktop")
    log_in(editor, base, EDITOR)
    editor.goto(base + "/admin/articles/article/")
    editor.locator(
        "#changelist-filter a[href*='status__exact']", has_text=re.compile(r"^In review$")
    ).click()
    editor.wait_for_url(re.compile(r"status__exact=in_review"))
    assert set(editor.locator("#result_list td.field-status_label").all_inner_texts()) == {
        "In review"
    }
    editor.get_by_role("link", name=HEADLINE, exact=True).click()
    # The admin keeps the list's filter in the address, to return to it after saving.
    editor.wait_for_url(re.compile(rf"/admin/articles/article/{article.pk}/change/\?"))

    editor.fill("#id_headline", EDITED_HEADLINE)
    # A saved article's address does not follow its headline.
    assert editor.input_value("#id_slug") == SLUG
    # One word of the body, picked the way an editor does: a double click on it, then typing.
    body = body_editor(editor)
    box = body.evaluate(
        """(element, word) => {
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const start = node.data.indexOf(word);
                if (start < 0) continue;
                const range = document.createRange();
                range.setStart(node, start);
                range.setEnd(node, start + word.length);
                const rect = range.getBoundingClientRect();
                return {x: rect.x + rect.width / 2, y: rect.y + rect.height / 2};
            }
        }""",
        WRONG_WORD,
    )
    editor.mouse.dblclick(box["x"], box["y"])
    editor.wait_for_function("word => getSelection().toString().trim() === word", arg=WRONG_WORD)
    editor.keyboard.type(RIGHT_WORD)
    assert body.inner_text().strip() == EDITED_BODY
    editor.select_option("#id_status", "published")
    editor.click("input[name=_save]")
    editor.wait_for_url(re.compile(r"/admin/articles/article/\?status__exact=in_review$"))
    assert_saved(editor, EDITED_HEADLINE)
    article.refresh_from_db()
    assert article.is_published
    assert article.headline == EDITED_HEADLINE
    assert RIGHT_WORD in article.body and WRONG_WORD not in article.body

    # The history compares the writer's version with the editor's, word by word.
    editor.goto(change_url(base, article))
    editor.click("a.historylink")
    editor.wait_for_url(re.compile(rf"/admin/articles/article/{article.pk}/history/$"))
    writers_version = editor.locator("#compare-from option", has_text=f"— {WRITER}").first
    editors_version = editor.locator("#compare-to option", has_text=f"— {EDITOR}").first
    editor.select_option("#compare-from", writers_version.get_attribute("value"))
    editor.select_option("#compare-to", editors_version.get_attribute("value"))
    editor.click(".compare-versions input[type=submit]")
    editor.wait_for_url(re.compile(r"/history/compare/\?"))
    diff = editor.locator("table.version-diff")

    def row(label):
        return diff.locator("tbody tr", has=editor.locator("th", has_text=re.compile(f"^{label}")))

    # (The caption is set in capitals by the stylesheet; its text is as written.)
    caption = diff.locator("caption").text_content()
    assert caption.index(f"by {WRITER}") < caption.index(f"by {EDITOR}")
    for label, removed, added in [
        ("Headline", "close", "shut"),
        ("Body", WRONG_WORD, RIGHT_WORD),
        ("Status", "In review", "Published"),
    ]:
        assert row(label).get_attribute("class") == "changed", label
        assert row(label).locator("td del").all_inner_texts() == [removed], label
        assert row(label).locator("td ins").all_inner_texts() == [added], label
    assert row("Standfirst").get_attribute("class") == "unchanged"
    assert row("Standfirst").locator("del, ins").count() == 0
    screenshot(editor, "admin-compare-desktop")

    # 4. A reader finds the article on the front page.
    reader = open_page("desktop")
    reader.goto(base + "/")
    reader.get_by_role("link", name=EDITED_HEADLINE, exact=True).click()
    reader.wait_for_url(article_url(base, article))
    assert reader.locator("h1").inner_text() == EDITED_HEADLINE
    assert reader.locator(".article-body").inner_text().strip() == EDITED_BODY
    assert reader.locator("#corrections").count() == 0
    assert "Updated" not in reader.locator(".article-header .meta").inner_text()

    # The correction comes after the article has been out for a while (the page says "Updated"
    # only for a change more than a minute after publication): it went out ten minutes ago.
    Article.objects.filter(pk=article.pk).update(
        published_at=F("published_at") - timedelta(minutes=10),
        first_published_at=F("first_published_at") - timedelta(minutes=10),
    )
    editor.goto(change_url(base, article))
    editor.click("#corrections-group .add-row a")
    editor.select_option("#id_corrections-0-kind", "correction")
    editor.fill("#id_corrections-0-text", CORRECTION)
    editor.click("input[name=_save]")
    editor.wait_for_url(base + "/admin/articles/article/")
    assert_saved(editor, EDITED_HEADLINE)
    correction = Correction.objects.get(article=article)
    assert (correction.text, correction.created_by.username) == (CORRECTION, EDITOR)
    article.refresh_from_db()
    assert article.was_updated

    reader.reload()
    assert reader.url == article_url(base, article)
    corrections = reader.locator("section#corrections")
    assert corrections.locator(".correction-text").inner_text().strip() == CORRECTION
    assert corrections.locator(".correction-meta strong").inner_text() == "Correction"
    assert corrections.locator("time").inner_text() == shown_time(correction.created_at)
    meta = reader.locator(".article-header .meta")
    assert "Updated" in meta.inner_text()
    assert meta.locator("time").nth(1).inner_text() == shown_time(article.updated_at)
    assert meta.get_by_role("link", name="Corrections and updates").get_attribute("href") == (
        "#corrections"
    )

    reader.goto(base + "/corrections/")
    entry = reader.locator(".correction-entry", has_text=CORRECTION)
    assert entry.count() == 1
    assert entry.get_by_role("link", name=EDITED_HEADLINE).get_attribute("href") == (
        article.get_absolute_url()
    )

    response = reader.request.get(base + "/feed/atom/")
    assert response.ok
    feed = feedparser.parse(response.body())
    assert feed.bozo == 0, feed.get("bozo_exception")
    entries = [entry for entry in feed.entries if entry.title == EDITED_HEADLINE]
    assert len(entries) == 1
    assert entries[0].updated_parsed > entries[0].published_parsed
    assert CORRECTION in entries[0].content[0].value

    phone = open_page("phone")
    phone.goto(article_url(base, article))
    phone.locator("section#corrections").wait_for()
    assert phone.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the corrected story scrolls sideways on a phone"
    screenshot(phone, "article-with-correction-phone")

    # 5. Two editors open the article at once; the second to save is stopped, and keeps their work.
    second = open_page("desktop")
    log_in(second, base, SECOND_EDITOR)
    editor.goto(change_url(base, article))
    second.goto(change_url(base, article))
    assert editor.input_value("#id_standfirst") == second.input_value("#id_standfirst")

    editor.fill("#id_standfirst", STANDFIRST_A)
    editor.click("input[name=_save]")
    editor.wait_for_url(base + "/admin/articles/article/")
    assert_saved(editor, EDITED_HEADLINE)

    second.fill("#id_standfirst", STANDFIRST_B)
    second.click("input[name=_save]")
    second.locator(".errornote").wait_for()
    assert second.url == change_url(base, article)
    assert "Someone else saved this article" in second.locator(".errorlist.nonfield").inner_text()
    assert second.locator(".messagelist .success").count() == 0
    # Nothing lost: the second editor's words are still in their form, the first's are saved.
    assert second.input_value("#id_standfirst") == STANDFIRST_B
    article.refresh_from_db()
    assert article.standfirst == STANDFIRST_A
    reader.goto(article_url(base, article))
    assert reader.locator(".standfirst").inner_text() == STANDFIRST_A

    # Having read the warning, the second editor saves again, knowingly replacing the first's.
    second.click("input[name=_save]")
    second.wait_for_url(base + "/admin/articles/article/")
    assert_saved(second, EDITED_HEADLINE)
    article.refresh_from_db()
    assert article.standfirst == STANDFIRST_B
    reader.reload()
    assert reader.locator(".standfirst").inner_text() == STANDFIRST_B

    # Later saves of the article leave its correction as it was made.
    assert list(Correction.objects.filter(article=article)) == [correction]
    assert Correction.objects.get(pk=correction.pk).created_at == correction.created_at

    # Every save is in the history; the one that was stopped is not.
    versions = Version.objects.get_for_object(article)
    editor.goto(change_url(base, article))
    editor.click("a.historylink")
    history = editor.locator("#change-history tbody tr")
    history.first.wait_for()
    # The writer's draft and hand-in, publication, correction, then each editor's standfirst.
    assert history.count() == versions.count() == 6
    assert [row.locator("td").first.inner_text().strip() for row in history.all()] == [
        SECOND_EDITOR, EDITOR, EDITOR, EDITOR, WRITER, WRITER,
    ]

    # 6. The editor moves the article to another section under a new address.
    old_url = article_url(base, article)
    editor.goto(change_url(base, article))
    editor.fill("#id_slug", NEW_SLUG)
    choose(editor, ".field-section .select2-selection", NEW_SECTION, NEW_SECTION)
    editor.click("input[name=_save]")
    editor.wait_for_url(base + "/admin/articles/article/")
    assert_saved(editor, EDITED_HEADLINE)
    article.refresh_from_db()
    assert (article.slug, article.section) == (NEW_SLUG, Section.objects.get(name=NEW_SECTION))
    new_url = article_url(base, article)
    assert new_url != old_url

    # A reader following an old link lands on the article at its new address.
    response = reader.goto(old_url)
    assert reader.url == new_url
    assert response.status == 200
    moved = response.request.redirected_from
    assert moved is not None and moved.url == old_url
    assert moved.response().status == 301
    assert reader.locator("h1").inner_text() == EDITED_HEADLINE
    assert reader.locator(".kicker a").text_content() == NEW_SECTION
