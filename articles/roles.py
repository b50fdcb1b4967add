"""The newsroom's roles, as Django groups made by the migrations.

The groups carry model permissions; what a writer may do with a particular article or image
(their own drafts, and their own images no article past draft uses) is decided per object in
articles.permissions.

The migrations make the groups (0002, 0008, 0011), each with a frozen copy of the roles it
applied, so editing this list never changes what an old migration does: a change here comes with
a migration of its own, and a test checks that a fresh install and an upgraded one both end with
what this list names. A permission given to or taken from a group by hand stays as it was set.
"""

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
    """Make each role's group if it is missing, and add the permissions its role names: what the
    migrations do, for a database emptied since (the browser tests' live server)."""
    permissions = Permission.objects.using(using).all()
    for role, patterns in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.add(*permissions_named(permissions, patterns))
