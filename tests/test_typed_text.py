"""Text staff type is kept without control characters, whichever way it is written, so pages
and feeds never show a stray mark for a pasted line break."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Author, Correction, Image, Licence, Reference, Section, ShareLink

pytestmark = pytest.mark.django_db


def assert_shown_cleanly(client, admin_client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    listing = admin_client.get(reverse("admin:articles_author_changelist")).content.decode()
    for html in [page, listing]:
        assert "Mira Okafor" in html
        assert "\x0b" not in html


def test_an_author_named_in_the_admin_with_a_vertical_tab_is_shown_without_it(
    client, admin_client, make_article
):
    response = admin_client.post(
        reverse("admin:articles_author_add"),
        {"name": "Mira\x0bOkafor", "slug": "mira-okafor", "bio": "", "_save": "Save"},
    )
    assert response.status_code == 302

    author = Author.objects.get()
    assert author.name == "Mira Okafor"
    assert_shown_cleanly(client, admin_client, make_article(authors=[author]))


def test_an_author_named_from_the_shell_with_a_vertical_tab_is_shown_without_it(
    client, admin_client, make_article
):
    author = Author.objects.create(name="Mira\x0bOkafor", slug="mira-okafor")

    author.refresh_from_db()
    assert author.name == "Mira Okafor"
    assert_shown_cleanly(client, admin_client, make_article(authors=[author]))


def test_names_captions_credits_sources_notes_and_tags_are_kept_without_control_characters(
    make_article, make_upload
):
    section = Section.objects.create(name="Harbour\x0b news", slug="harbour", description="Q\x1f")
    image = Image.objects.create(
        file=make_upload(), alt_text="A tram\x0b at night", caption="The depot\x0c at dusk.",
        credit="Ana\x00 Ruiz", copyright_notice="© Ana\x1b Ruiz", licence=Licence.CC_BY,
    )
    article = make_article(section=section, lead_image=image)
    reference = Reference.objects.create(
        article=article, title="Minutes\x0b", publisher="Council\x07", note="Page\x0b 4"
    )
    correction = Correction.objects.create(article=article, text="The depot\x0b is east.")
    link = ShareLink.objects.create(article=article, note="For the\x0b lawyer")
    tag = Tag.objects.create(name="night\x0btram", slug="night-tram")

    saved = [section, image, reference, correction, link, tag]
    for row in saved:
        row.refresh_from_db()
    assert (section.name, section.description) == ("Harbour news", "Q")
    assert (image.alt_text, image.caption) == ("A tram at night", "The depot\nat dusk.")
    assert (image.credit, image.copyright_notice) == ("Ana Ruiz", "© Ana Ruiz")
    assert (reference.title, reference.publisher, reference.note) == (
        "Minutes", "Council", "Page 4"
    )
    assert correction.text == "The depot\nis east."
    assert link.note == "For the lawyer"
    assert (tag.name, tag.slug) == ("night tram", "night-tram")


def test_line_breaks_and_tabs_in_longer_text_are_kept(make_upload):
    caption = "The depot at dusk.\nTrams wait\tfor the night shift.\r\nPhoto: archive."
    image = Image.objects.create(
        file=make_upload(), alt_text="A tram", caption=caption, credit="Ana Ruiz",
        licence=Licence.CC_BY,
    )

    image.refresh_from_db()
    assert image.caption == caption


def test_a_control_character_written_as_a_character_reference_leaves_the_body(make_article):
    article = make_article(body="<p>Night&#11; trams&#x0C; return.</p>")

    article.refresh_from_db()
    assert article.body == "<p>Night trams return.</p>"


def test_characters_that_hide_or_reorder_text_are_dropped_and_scripts_keep_their_joiners(
    make_article
):
    """A right-to-left override would show the headline's words in another order than the one
    an editor checked; a zero-width non-joiner is how Persian spells some words."""
    article = make_article(
        "Budget \u202eapproved\u202c in full\x85today \ufeffagain",
        standfirst="\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u2066isolated\u2069\x9b",
    )

    article.refresh_from_db()
    assert article.headline == "Budget approved in full today again"
    assert article.standfirst == "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 isolated"
