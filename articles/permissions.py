"""Who may do what with an article, decided on the server for the admin and the site alike.

Editors (and admins) may do anything with any article. A writer works on their own drafts: they
may see their own articles, edit and delete them while they are drafts, and hand them in for
review; publishing is an editor's act.
"""

from .models import Article


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
