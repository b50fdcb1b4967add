"""An article's history: every save is kept, can be compared, restored and recovered, and two
editors saving at once cannot silently overwrite each other."""

import io
import json
import re
from datetime import timedelta

import pytest
import reversion
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from reversion.models import Version
from taggit.models import Tag

from articles import roles
from articles.models import Article, ArticleTag, Byline, Reference

pytestmark = pytest.mark.django_db

HEADLINE = "Night trams return to the harbour line"
SOURCES = ["Council transport committee minutes", "Night tram trial report"]
TAGS = ["Harbour City", "night tram", "transport"]


@pytest.fixture
def editor(make_staff):
    return make_staff("editor", roles.EDITOR)


@pytest.fixture
def desk(editor):
    """The editor's browser."""
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def article(desk, read_form, section, author):
    """An article the editor wrote through the add form: two sources, three tags, one author."""
    add_url = reverse("admin:articles_article_add")
    data = read_form(desk.get(add_url))
    data.update({
        "headline": HEADLINE,
        "slug": "night-trams-return",
        "standfirst": "From Friday the number 4 tram runs all night.",
        "body": "<p>Trams will run all night from Friday.</p>",
        "section": str(section.pk),
        "tags": TAGS,
        "status": Article.Status.DRAFT,
        "bylines-0-author": str(author.pk),
        # The second source's box is one the editor added with "Add another".
        "references-TOTAL_FORMS": "2",
        "references-0-title": SOURCES[0],
        "references-0-position": "0",
        "references-1-title": SOURCES[1],
        "references-1-position": "1",
        "_save": "Save",
    })
    response = desk.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(slug="night-trams-return")


@pytest.fixture
def edited_article(article, desk, read_form):
    """The same article after a second save: a new word in the headline and the body, one source
    renamed, the other removed, and different tags."""
    url = change_url(article)
    data = read_form(desk.get(url))
    data.update({
        "headline": "Night buses return to the harbour line",
        "body": "<p>Buses will run all night from Friday.</p>",
        "references-0-title": "Council transport committee agenda",
        "references-1-DELETE": "on",
        "tags": ["ferries"],
        "_save": "Save",
    })
    response = desk.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    return article


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def versions_of(article):
    """The article's saved versions, oldest first."""
    return list(Version.objects.get_for_object(article).order_by("pk"))


def saved_with(version):
    """How many rows of each kind the version's revision kept alongside the article."""
    counts = {}
    for kept in version.revision.version_set.all():
        model = kept.content_type.model_class()
        counts[model] = counts.get(model, 0) + 1
    return counts


def sources(article):
    return [reference.title for reference in article.references.order_by("position", "pk")]


# Every save is kept.


def test_every_admin_save_keeps_the_article_with_its_sources_tags_and_byline(edited_article):
    first, second = versions_of(edited_article)

    for version, references, tags in [(first, 2, 3), (second, 1, 1)]:
        kept = saved_with(version)
        assert kept[Article] == 1
        assert kept[Reference] == references
        assert kept[ArticleTag] == tags
        assert kept[Byline] == 1
    assert first.field_dict["headline"] == HEADLINE
    assert second.field_dict["headline"] == "Night buses return to the harbour line"
    assert second.revision.user.username == "editor"


def test_the_wire_importer_keeps_a_revision_of_what_it_imported(section, tmp_path, make_upload):
    wire_file = tmp_path / "night-trams.txt"
    wire_file.write_text(
        f"{HEADLINE}\n"
        "The restored tram at the Eastgate depot. Photo by Ana Ruiz.\n"
        "Councillors voted on Tuesday to run trams all night from the spring.\n"
        f"References: {SOURCES[0]} | {SOURCES[1]}\n",
        encoding="utf-8",
    )
    photo = tmp_path / "tram.jpg"
    photo.write_bytes(make_upload().read())

    call_command(
        "import_article", str(wire_file), section="city", image=str(photo),
        tags="transport, night tram", author="Mira Okafor", stdout=io.StringIO(),
    )

    article = Article.objects.get()
    [version] = versions_of(article)
    assert version.revision.comment == "Imported from a wire story."
    assert version.field_dict["headline"] == HEADLINE
    kept = saved_with(version)
    assert kept[Reference] == 2
    assert kept[ArticleTag] == 2
    assert kept[Byline] == 1


# Looking back: comparing and restoring.


@pytest.mark.parametrize("chosen", [
    {"from": "abc", "to": "1"}, {"to": "1"}, {"from": "1", "to": "99999999999999999999999"},
])
def test_a_compare_link_that_does_not_name_two_versions_is_a_bad_request(
    desk, edited_article, chosen
):
    url = reverse("admin:articles_article_compare", args=[edited_article.pk])

    assert desk.get(url, chosen).status_code == 400


def test_a_compare_link_to_another_articles_version_is_not_found(
    desk, edited_article, make_article
):
    first, _ = versions_of(edited_article)
    other = make_article("Another story")
    url = reverse("admin:articles_article_compare", args=[other.pk])

    assert desk.get(url, {"from": first.revision_id, "to": first.revision_id}).status_code == 404


def test_the_compare_page_marks_the_words_that_changed_in_headline_body_and_sources(
    desk, edited_article
):
    first, second = versions_of(edited_article)
    url = reverse("admin:articles_article_compare", args=[edited_article.pk])

    response = desk.get(url, {"from": first.revision_id, "to": second.revision_id})

    html = response.content.decode()
    assert response.status_code == 200

    def row(label):
        return re.search(rf'<th scope="row">{label}.*?</tr>', html, re.S).group(0)

    assert "<del>trams</del>" in row("Headline")
    assert "<ins>buses</ins>" in row("Headline")
    assert "<del>Trams</del>" in row("Body")
    assert "<ins>Buses</ins>" in row("Body")
    assert "<del>minutes" in row("References")
    assert "Night tram trial report" in row("References")
    assert "<ins>agenda</ins>" in row("References")
    assert "<del>Harbour City" in row("Tags")
    assert "<ins>ferries</ins>" in row("Tags")
    assert "Mira Okafor" in row("Byline")
    assert "<del>" not in row("Standfirst")


def test_restoring_an_older_version_brings_back_its_headline_sources_and_tags(
    desk, read_form, edited_article
):
    """The editor opens the old version from the history and saves the form it shows."""
    first = versions_of(edited_article)[0]
    url = reverse("admin:articles_article_revision", args=[edited_article.pk, first.pk])
    page = desk.get(url)
    assert page.status_code == 200
    data = read_form(page)
    assert data["headline"] == HEADLINE
    data["_save"] = "Save"

    response = desk.post(url, data)

    assert response.status_code == 302
    edited_article.refresh_from_db()
    assert edited_article.headline == HEADLINE
    assert sources(edited_article) == SOURCES
    assert sorted(edited_article.tags.names()) == TAGS
    # The restore is itself a save in the history, not a rewrite of it.
    assert len(versions_of(edited_article)) == 3


def test_a_restored_publication_time_is_the_one_its_tag_and_author_pages_list_it_by(
    desk, read_form, article
):
    """The restored tags and byline carry the article's restored time (see articles.saving)."""
    url = change_url(article)
    now = timezone.now().replace(microsecond=0)
    for when in [now - timedelta(days=10), now - timedelta(hours=1)]:
        data = read_form(desk.get(url))
        local = timezone.localtime(when)
        data.update({
            "status": Article.Status.PUBLISHED,
            "published_at_0": local.strftime(formats.get_format("DATE_INPUT_FORMATS")[0]),
            "published_at_1": local.strftime("%H:%M:%S"),
            "_save": "Save",
        })
        assert desk.post(url, data).status_code == 302
    ten_days_ago = versions_of(article)[1]
    restore_url = reverse("admin:articles_article_revision", args=[article.pk, ten_days_ago.pk])
    data = read_form(desk.get(restore_url))
    data["_save"] = "Save"

    assert desk.post(restore_url, data).status_code == 302

    article.refresh_from_db()
    assert article.published_at == now - timedelta(days=10)
    for links in (article.tagged_items, article.bylines):
        assert set(links.values_list("published_at", flat=True)) == {article.published_at}


def link_times(article):
    """The publication times the article's tags' and bylines' links carry."""
    return {
        *article.tagged_items.values_list("published_at", flat=True),
        *article.bylines.values_list("published_at", flat=True),
    }


def test_a_version_restored_outside_the_admin_leaves_its_links_with_the_article_time(
    make_article, author
):
    """A script restores the version kept by the save that moved the article to an hour ago,
    after a later save changed only its headline: its links carry that hour, not the ten days
    they had while that version was being kept."""
    now = timezone.now().replace(microsecond=0)  # as versions keep times: to the millisecond
    article = make_article(
        HEADLINE, published_at=now - timedelta(days=10), authors=[author], tags=TAGS
    )
    with reversion.create_revision():
        article.published_at = now - timedelta(hours=1)
        article.save()
    with reversion.create_revision():
        article.headline = "Night buses return to the harbour line"
        article.save()
    moved = Version.objects.get_for_object(article)[1]  # newest first

    moved.revision.revert()

    article.refresh_from_db()
    assert article.headline == HEADLINE
    assert link_times(article) == {now - timedelta(hours=1)}


def test_a_version_kept_before_links_had_times_brings_the_article_back_to_its_pages(
    client, make_article, author
):
    article = make_article(HEADLINE, authors=[author], tags=["harbour"])
    with reversion.create_revision():
        article.save()
    revision = Version.objects.get_for_object(article)[0].revision
    # Such a version's links have no time to restore.
    for version in revision.version_set.filter(content_type__model__in=["articletag", "byline"]):
        data = json.loads(version.serialized_data)
        data[0]["fields"].pop("published_at", None)
        version.serialized_data = json.dumps(data)
        version.save()

    revision.revert()

    article.refresh_from_db()
    assert link_times(article) == {article.published_at}
    for url in [reverse("articles:tag", args=["harbour"]), author.get_absolute_url()]:
        assert HEADLINE in client.get(url).content.decode(), url


def test_a_link_saved_raw_without_a_time_takes_its_article_time(make_article, author):
    """As a restore saves a link: raw, so Model.save() does not run, and with no time."""
    article = make_article(authors=[author], tags=["harbour"])
    restored = ArticleTag(tag=Tag.objects.create(name="ferries"), content_object_id=article.pk)
    for link in [*article.tagged_items.all(), *article.bylines.all(), restored]:
        link.published_at = None
        link.save_base(raw=True)

    assert article.tagged_items.count() == 2
    assert link_times(article) == {article.published_at}


def test_restoring_an_article_reads_its_stored_row_once(
    make_article, author, django_assert_num_queries
):
    """As a restore saves the article: raw, and whatever its version holds."""
    article = make_article(authors=[author], tags=["harbour"])

    # The stored row (for its old address and when readers first saw it), the update, and the
    # article's time copied to its tags' and bylines' links.
    with django_assert_num_queries(4):
        article.save_base(raw=True)


def test_an_editor_recovers_a_deleted_article_with_its_sources(desk, read_form, article):
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    assert desk.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Article.objects.exists()
    assert not Reference.objects.exists()

    recover_list = desk.get(reverse("admin:articles_article_recoverlist"))
    assert HEADLINE in recover_list.content.decode()
    deleted = Version.objects.get_deleted(Article).get()
    recover_url = reverse("admin:articles_article_recover", args=[deleted.pk])
    assert recover_url in recover_list.content.decode()
    data = read_form(desk.get(recover_url))
    data["_save"] = "Save"

    response = desk.post(recover_url, data)

    assert response.status_code == 302
    recovered = Article.objects.get()
    assert recovered.headline == HEADLINE
    assert sources(recovered) == SOURCES
    assert sorted(recovered.tags.names()) == TAGS


# Two editors at once.


@pytest.fixture
def rival_editors(make_staff, make_article):
    """Two editors with the same article open; the article has one saved version."""
    article = make_article(HEADLINE, body="<p>The depot closes at midnight.</p>")
    with reversion.create_revision():
        article.save()
    browsers = []
    for name in ("ana", "ben"):
        client = Client()
        client.force_login(make_staff(name, roles.EDITOR))
        browsers.append(client)
    return article, *browsers


@pytest.fixture
def blocked_save(rival_editors, read_form):
    """Ana and Ben open the article; Ana saves first, then Ben saves his own text."""
    article, ana, ben = rival_editors
    ana_form = read_form(ana.get(change_url(article)))
    ben_form = read_form(ben.get(change_url(article)))
    assert ana_form["loaded_version"] == ben_form["loaded_version"]
    ana_form.update(body="<p>The depot closes at one in the morning.</p>", _save="Save")
    assert ana.post(change_url(article), ana_form).status_code == 302
    ben_form.update(body="<p>The depot stays open all night.</p>", _save="Save")
    return article, ben, ben.post(change_url(article), ben_form)


def test_an_editor_saving_over_a_newer_version_is_stopped_and_keeps_their_text(
    blocked_save, read_form
):
    article, _, response = blocked_save

    assert response.status_code == 200
    assert "Someone else saved this article" in response.content.decode()
    assert read_form(response)["body"] == "<p>The depot stays open all night.</p>"
    article.refresh_from_db()
    assert article.body == "<p>The depot closes at one in the morning.</p>"
    assert len(versions_of(article)) == 2


def test_saving_again_after_the_warning_replaces_the_newer_version_knowingly(
    blocked_save, read_form
):
    article, ben, warning = blocked_save
    data = read_form(warning)
    data["_save"] = "Save"

    response = ben.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>The depot stays open all night.</p>"
    history = versions_of(article)
    assert [version.field_dict["body"] for version in history] == [
        "<p>The depot closes at midnight.</p>",
        "<p>The depot closes at one in the morning.</p>",
        "<p>The depot stays open all night.</p>",
    ]
    assert history[-1].revision.user.username == "ben"


def test_restoring_a_version_in_another_status_is_a_step_in_the_workflow(
    desk, read_form, article
):
    """The draft is published, then taken back to draft; the editor restores the published
    version, and the article's workflow says who published it again."""
    url = change_url(article)
    for status in [Article.Status.PUBLISHED, Article.Status.DRAFT]:
        data = read_form(desk.get(url))
        data.update(status=status, _save="Save")
        assert desk.post(url, data).status_code == 302
    published = versions_of(article)[1]
    assert published.field_dict["status"] == Article.Status.PUBLISHED
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, published.pk])
    data = read_form(desk.get(revision_url))

    response = desk.post(revision_url, {**data, "_save": "Save"})

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    steps = list(article.status_changes.values_list("status", "changed_by__username"))
    assert steps == [
        (Article.Status.DRAFT, "editor"),
        (Article.Status.PUBLISHED, "editor"),
        (Article.Status.DRAFT, "editor"),
        (Article.Status.PUBLISHED, "editor"),
    ]


def test_restoring_a_version_from_before_publication_keeps_when_readers_first_saw_it(
    desk, read_form, article
):
    url = change_url(article)
    data = read_form(desk.get(url))
    data.update(status=Article.Status.PUBLISHED, _save="Save")
    assert desk.post(url, data).status_code == 302
    article.refresh_from_db()
    first_published_at = article.first_published_at
    assert first_published_at is not None
    draft = versions_of(article)[0]
    assert draft.field_dict["first_published_at"] is None
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, draft.pk])

    response = desk.post(revision_url, {**read_form(desk.get(revision_url)), "_save": "Save"})

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.first_published_at == first_published_at


def test_recovering_offers_only_versions_of_articles(desk, edited_article):
    """A tag's version, say, is no deleted article to bring back."""
    tag_version = Version.objects.get_for_model(Tag).first()

    response = desk.get(reverse("admin:articles_article_recover", args=[tag_version.pk]))

    assert response.status_code == 404
