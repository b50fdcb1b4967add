"""The newsroom's roles, as Django groups that every migrate keeps in step with this list.

The groups carry model permissions; what a writer may do with a particular article or image
(their own drafts, and their own images no article past draft uses) is decided per object in
articles.permissions.

Old migrations keep their own frozen copies of the roles they applied, so editing this list
never changes what an old migration does. After every migrate, keep_roles_in_step() gives each
role whatever this list names that it lacks, so a fresh install and an upgraded one end with the
same groups. It only adds: a permission given to a group by hand is kept, and taking one away
from a role takes a migration.
"""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes

WRITER = "Writer"
EDITOR = "Editor"
ADMIN = "Admin"

ROLE_PERMISSIONS = {
    WRITER: [
        "articles.add_article", "articles.change_article", "articles.delete_article",
        "articles.view_article",
        "articles.add_byline", "articles.change_byline", "articles.delete_byline",
        "articles.view_byline",
        "articles.add_reference", "articles.change_reference", "articles.delete_reference",
        "articles.view_reference",
        "articles.add_image", "articles.change_image", "articles.delete_image",
        "articles.view_image",
        "articles.view_section", "articles.view_author",
        "articles.add_sharelink", "articles.view_sharelink",
        "taggit.view_tag",
    ],
    # Every permission of the newsroom's own content, publishing and corrections included.
    EDITOR: ["articles.*", "taggit.*"],
    # Everything, users and roles included.
    ADMIN: ["*"],
}


def permissions_named(permissions, patterns):
    """Of `permissions` (a queryset), those `patterns` name: "app.codename", "app.*" or "*"."""
    named = permissions.none()
    for pattern in patterns:
        app_label, _, codename = pattern.partition(".")
        if pattern == "*":
            named |= permissions
        elif codename == "*":
            named |= permissions.filter(content_type__app_label=app_label)
        else:
            named |= permissions.filter(content_type__app_label=app_label, codename=codename)
    return named.distinct()


def grant_role_permissions(Group, Permission, using="default"):
    """Make each role's group if it is missing, and add the permissions its role names."""
    permissions = Permission.objects.using(using).all()
    for role, patterns in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.add(*permissions_named(permissions, patterns))


def keep_roles_in_step(apps=installed_apps, using="default", **kwargs):
    """After a migrate (post_migrate), give each role what ROLE_PERMISSIONS names.

    Django makes each app's permissions as that app's post_migrate is sent, and the roles name
    those of apps listed after this one as well ("*"): all of them are made first.
    """
    for app_config in installed_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using, apps=apps)
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    grant_role_permissions(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), using
    )
