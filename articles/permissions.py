"""Who may do what with an article, an image or a tag, decided on the server for the admin and
the site alike.

Editors (and admins) may do anything with anything. A writer works on their own drafts: they
may see their own articles, edit and delete them while they are drafts, and hand them in for
review; publishing is an editor's act. Images follow the articles: an image goes live with the
articles that use it, so once an article past draft uses it, it is the editors' to change.
"""

from django.db.models import Exists, OuterRef, Q

from .models import Article, Image


def is_editor(user):
    return user.is_active and user.has_perm("articles.publish_article")


def is_own(user, article):
    return article.created_by_id is not None and article.created_by_id == user.pk


def can_view(user, article):
    return user.has_perm("articles.view_article") and (is_editor(user) or is_own(user, article))


def can_edit(user, article):
    if not user.has_perm("articles.change_article"):
        return False
    return is_editor(user) or (is_own(user, article) and article.status == Article.Status.DRAFT)


def can_delete(user, article):
    if not user.has_perm("articles.delete_article"):
        return False
    return is_editor(user) or (is_own(user, article) and article.status == Article.Status.DRAFT)


def statuses_for(user):
    """The statuses this user may give an article."""
    if is_editor(user):
        return list(Article.Status)
    return [Article.Status.DRAFT, Article.Status.IN_REVIEW]


def articles_for(user):
    """The articles this user may know of in the admin: an editor all, a writer their own."""
    if is_editor(user):
        return Article.objects.all()
    return Article.objects.filter(created_by=user.pk)


def known_to(user, articles):
    """Of `articles`, those this user may know exist: their own, and those readers see."""
    if is_editor(user):
        return articles
    return articles.filter(Q(created_by=user.pk) | Q(pk__in=Article.objects.published()))


# Images.


def images_for(user):
    """The images this user may see and pick: for a writer, all but those that would tell of
    a colleague's unpublished article — an image only such articles use."""
    images = Image.objects.all()
    if is_editor(user):
        return images
    uses = Article.objects.filter(lead_image=OuterRef("pk"))
    return images.filter(
        Q(uploaded_by=user.pk) | ~Exists(uses) | Exists(known_to(user, uses))
    )


def _is_own_image_in_drafts(user, image):
    """Uploaded by this user, and used by no article past draft (none in review, scheduled,
    published or taken down): changing it changes nothing readers or the desk have seen."""
    return (
        image.uploaded_by_id is not None
        and image.uploaded_by_id == user.pk
        and not image.articles.exclude(status=Article.Status.DRAFT).exists()
    )


def can_edit_image(user, image):
    if not user.has_perm("articles.change_image"):
        return False
    return is_editor(user) or _is_own_image_in_drafts(user, image)


def can_delete_image(user, image):
    # An image in use cannot be deleted at all; a writer is not even told by which article.
    if not user.has_perm("articles.delete_image"):
        return False
    return is_editor(user) or (
        _is_own_image_in_drafts(user, image) and not image.articles.exists()
    )


# Tags.


def tags_for(user, tags):
    """Of `tags`, those this user may see: a tag only a colleague's draft carries would tell of
    that draft."""
    if is_editor(user):
        return tags
    links = known_to(user, Article.objects.filter(tagged_items__tag=OuterRef("pk")))
    return tags.filter(Exists(links))
