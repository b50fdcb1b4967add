"""The roles in full, as they stand when this migration was written: every role is given what it
names, now that every app's permissions exist.

0002 made the roles before the other apps' tables (sessions, axes, reversion, the site's own),
so Admin's "everything" lacked their permissions; this gives them to it once. It only adds: a
permission given to a group by hand is kept, and one taken away by hand stays away on later
deploys. A frozen copy, like 0002's: a later change to articles.roles comes with a migration of
its own.
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
        "articles.add_image", "articles.change_image", "articles.delete_image",
        "articles.view_image",
        "articles.view_section", "articles.view_author",
        "articles.add_sharelink", "articles.view_sharelink",
        "taggit.view_tag",
    ],
    "Editor": ["articles.*", "taggit.*"],
    "Admin": ["*"],
}


def complete_roles(apps, schema_editor):
    # Permissions are normally made after all migrations have run; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, patterns in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        named = Permission.objects.none()
        for pattern in patterns:
            app_label, _, codename = pattern.partition(".")
            if pattern == "*":
                named |= Permission.objects.all()
            elif codename == "*":
                named |= Permission.objects.filter(content_type__app_label=app_label)
            else:
                named |= Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
        group.permissions.add(*named.distinct())


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_rename_articleaddress_oldaddress"),
        ("newsroom", "__latest__"),
        ("admin", "__latest__"),
        ("auth", "__latest__"),
        ("axes", "__latest__"),
        ("contenttypes", "__latest__"),
        ("reversion", "__latest__"),
        ("sessions", "__latest__"),
        ("taggit", "__latest__"),
    ]

    operations = [migrations.RunPython(complete_roles, migrations.RunPython.noop)]
