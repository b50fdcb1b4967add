"""The newsroom's roles, as Django groups a fresh install has from its migrations.

The groups carry model permissions; what a writer may do with a particular article or picture
(their own drafts, and their own pictures no story past draft uses) is decided per object in
articles.permissions.
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


def grant_role_permissions(Group, Permission):
    """Create the groups and give each its permissions; models may be the migration's own."""
    for role, patterns in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = Permission.objects.none()
        for pattern in patterns:
            app_label, _, codename = pattern.partition(".")
            if pattern == "*":
                permissions |= Permission.objects.all()
            elif codename == "*":
                permissions |= Permission.objects.filter(content_type__app_label=app_label)
            else:
                permissions |= Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
        group.permissions.set(permissions.distinct())
