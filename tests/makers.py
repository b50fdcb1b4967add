"""What tests make: people on the desk, a section, a credited image, articles; and the demo's
images and renditions, made for real but each only once.

Plain functions, so that a fixture can make them for one test and a module for all its tests
(see `module_transaction` in conftest).
"""

import hashlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from photo_files import plain

from articles import demo, roles
from articles.images import renditions
from articles.models import Article, Byline, Image, Licence, Reference, Section


def image_bytes(size=(64, 48), image_format="JPEG", colour=(200, 90, 40)):
    return plain(size, colour, image_format)


def tram_image():
    """The credited photo of a tram that most tests' articles lead with."""
    return Image.objects.create(
        file=SimpleUploadedFile(
            "tram.jpg", image_bytes(size=(160, 90)), content_type="image/jpeg"
        ),
        alt_text="A green tram at a depot",
        caption="The restored tram at the Eastgate depot.",
        credit="Ana Ruiz / Courier",
        credit_url="https://example.org/ana-ruiz",
        licence=Licence.CC_BY_SA,
    )


def city_section():
    return Section.objects.create(name="City", slug="city", description="News from the city.")


def new_article(
    number,
    section,
    headline=None,
    *,
    status=Article.Status.PUBLISHED,
    published_at="an hour ago",
    authors=(),
    tags=(),
    references=(),
    **fields,
):
    """Article `number` of a test: published an hour ago unless told otherwise."""
    headline = headline or f"Story number {number}"
    if published_at == "an hour ago":
        published_at = timezone.now() - timedelta(hours=1, minutes=number)
    fields.setdefault("section", section)
    fields.setdefault("slug", f"story-{number}")
    fields.setdefault("standfirst", f"The standfirst of story {number}.")
    fields.setdefault("body", f"<p>The body of story {number}.</p>")
    article = Article.objects.create(
        headline=headline, status=status, published_at=published_at, **fields
    )
    for position, person in enumerate(authors):
        Byline.objects.create(article=article, author=person, position=position)
    if tags:
        article.tags.set(list(tags))
    Reference.objects.bulk_create(
        Reference(article=article, position=position, title=title)
        for position, title in enumerate(references)
    )
    return article


def staff_member(username, role=None, **fields):
    """A staff member in one of the newsroom's roles: `staff_member("ana", roles.WRITER)`."""
    # No password: tests sign the user in with client.force_login().
    user = get_user_model().objects.create_user(username=username, is_staff=True, **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def desk_people():
    """A writer, a colleague of theirs in the same role, and an editor, by those names."""
    return {
        "writer": staff_member("writer", roles.WRITER),
        "other_writer": staff_member("other_writer", roles.WRITER),
        "editor": staff_member("editor", roles.EDITOR),
    }


def afresh(model, pks):
    """{name: object} read from the database, for {name: primary key}."""
    found = model.objects.in_bulk(pks.values())
    return {name: found[pk] for name, pk in pks.items()}


def make_renditions_once(patcher, cache):
    """Renditions are made for real, but from any one image only once.

    Making them is a pure function of the image's bytes, focal point and crops; without this
    the demo's images would be encoded again for every test that loads the demo.
    """
    render = renditions.render_renditions

    def cached(data, focal, crop_names):
        key = hashlib.sha256(data + repr((tuple(focal), tuple(crop_names))).encode()).hexdigest()
        return cache.get(key, lambda: render(data, focal, crop_names))

    patcher.setattr(renditions, "render_renditions", cached)


def draw_demo_images_once_with(patcher, cache):
    """The demo loader draws its images for real, but each only once."""
    draw = demo.render_jpeg

    def cached(painter, seed):
        return cache.get(f"{painter}-{seed}", lambda: draw(painter, seed))

    patcher.setattr("articles.demo.loader.render_jpeg", cached)
