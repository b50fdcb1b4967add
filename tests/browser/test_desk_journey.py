"""The desk and the article list in a browser, at desktop and phone widths, and two people on
one story each seeing the other."""

from datetime import timedelta

import pytest
from admin_pages import PASSWORD, log_in
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from test_accessibility import violations

from articles import presence, roles
from articles.models import Article, Section, StatusChange
from articles.publishing import add_correction
from articles.roles import grant_role_permissions

EDITOR = "mira.okafor"
WRITER = "ines.writer"


@pytest.fixture
def staff(newsroom, django_user_model):
    """An editor, Mira Okafor, and a writer, Ines Duarte, in their roles."""
    grant_role_permissions(Group, Permission)
    people = {}
    for username, first, last, role in (
        (EDITOR, "Mira", "Okafor", roles.EDITOR), (WRITER, "Ines", "Duarte", roles.WRITER),
    ):
        user = django_user_model.objects.create_user(
            username, password=PASSWORD, first_name=first, last_name=last, is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        people[username] = user
    return people


@pytest.fixture
def busy_day(staff):
    """Something in each of the desk's sections."""
    section = Section.objects.first()
    now = timezone.now()
    writer, editor = staff[WRITER], staff[EDITOR]

    def story(number, headline, **fields):
        return Article.objects.create(
            headline=headline, slug=f"desk-story-{number}", section=section, **fields
        )

    for number, (headline, hours) in enumerate([
        ("Council votes to keep the night buses running until two", 5),
        ("Harbour wall repaired after the winter storms", 2),
    ]):
        article = story(number, headline, status=Article.Status.IN_REVIEW, created_by=writer)
        StatusChange.objects.create(
            article=article, status=Article.Status.IN_REVIEW, changed_by=writer,
            changed_at=now - timedelta(hours=hours),
        )
    story(5, "Ferry timetable for the summer", status=Article.Status.PUBLISHED,
          published_at=now + timedelta(hours=3), created_by=editor)
    story(6, "Notes for the bridge story", status=Article.Status.DRAFT, created_by=editor)
    story(7, "Ines's own draft about the tram depot", status=Article.Status.DRAFT,
          created_by=writer)
    add_correction(Article.objects.published().first(), "The market opens at eight, not nine.")
    return staff


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_editor_runs_the_day_from_the_desk(newsroom, busy_day, open_page, screenshot, width):
    page = open_page(width)
    log_in(page, newsroom.url, EDITOR)

    in_review = page.locator("#desk-in-review")
    assert in_review.locator("h2").inner_text().split()[-1] == "2"
    entries = in_review.locator("li")
    assert "Council votes to keep the night buses" in entries.nth(0).inner_text()
    assert "Handed in by Ines Duarte" in entries.nth(0).inner_text()
    assert "Ferry timetable" in page.locator("#desk-scheduled").inner_text()
    assert "Notes for the bridge story" in page.locator("#desk-my-drafts").inner_text()
    assert "1" in page.locator("#desk-corrected-today h2").inner_text()
    width_now = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width_now[0] <= width_now[1]
    screenshot(page, f"desk-editor-{width}")

    in_review.get_by_role("link", name="See all 2").click()
    page.wait_for_url("**/admin/articles/article/?desk=in-review")
    assert page.locator("#result_list tbody tr").count() == 2
    screenshot(page, f"article-list-in-review-{width}")

    in_review_row = page.locator("#result_list tbody tr", has_text="Harbour wall repaired")
    assert "Ines Duarte" not in in_review_row.locator(".field-byline").inner_text()
    page.goto(newsroom.url + reverse("admin:articles_article_changelist"))
    in_review_tab = page.locator(".status-tabs a", has_text="In review")
    assert in_review_tab.locator(".tab-count").inner_text() == "2"
    assert in_review_tab.is_visible()
    screenshot(page, f"article-list-{width}")


def test_a_writers_desk_shows_only_their_own(newsroom, busy_day, open_page, screenshot):
    page = open_page("phone")
    log_in(page, newsroom.url, WRITER)

    desk = page.locator(".desk").inner_text()
    assert "Ines's own draft about the tram depot" in desk
    assert "Notes for the bridge story" not in desk
    assert "Ferry timetable" not in desk
    screenshot(page, "desk-writer-phone")


def test_two_people_on_one_story_each_see_the_other(
    newsroom, busy_day, browser, open_page, screenshot, monkeypatch
):
    # A heartbeat a second, so that the test need not wait half a minute for the first to hear
    # of the second; the rule (the first hears at its next heartbeat) is the same.
    monkeypatch.setattr(presence, "HEARTBEAT", timedelta(seconds=1))
    story = Article.objects.get(headline="Ines's own draft about the tram depot")
    form = newsroom.url + reverse("admin:articles_article_change", args=[story.pk])

    writer = open_page("desktop")
    log_in(writer, newsroom.url, WRITER)
    writer.goto(form)
    editor = open_page("phone")
    log_in(editor, newsroom.url, EDITOR)
    editor.goto(form)

    editor_sees = editor.locator(".presence")
    editor_sees.wait_for()
    assert editor_sees.inner_text().startswith("Ines Duarte has this story open since ")
    writer_sees = writer.locator(".presence")
    writer_sees.wait_for()
    assert writer_sees.inner_text().startswith("Mira Okafor has this story open since ")
    screenshot(writer, "presence-form-desktop")
    screenshot(editor, "presence-form-phone")
    assert violations(editor) == []

    listing = open_page("desktop")
    log_in(listing, newsroom.url, EDITOR)
    listing.goto(newsroom.url + reverse("admin:articles_article_changelist"))
    row = listing.locator("#result_list tbody tr", has_text="tram depot")
    assert "Ines Duarte since" in row.locator(".field-open_by").inner_text()
    screenshot(listing, "article-list-presence-desktop")

    # The editor leaves; the writer hears of it without reloading.
    editor.goto(newsroom.url + "/admin/")
    writer.wait_for_function(
        "() => document.querySelector('.presence').hidden", timeout=25_000
    )
