"""The newsroom's roles, as they were when this migration was written.

A frozen copy: editing articles.roles later must not change what this migration does. What the
roles gained since is added by later migrations (0008, 0011).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Writer": [
        "articles.add_article", "articles.change_article", "articles.delete_article",
        "articles.view_article",
        "articles.add_byline", "articles.change_byline", "articles.delete_byline",
        "articles.view_byline",
        "articles.add_reference", "articles.change_reference", "articles.delete_reference",
        "articles.view_reference",
        "articles.add_image", "articles.change_image", "articles.view_image",
        "articles.view_section", "articles.view_author",
        "articles.add_sharelink", "articles.view_sharelink",
        "taggit.view_tag",
    ],
    "Editor": ["articles.*", "taggit.*"],
    "Admin": ["*"],
}


def grant_role_permissions(Group, Permission):
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


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations have run; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "__latest__"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
