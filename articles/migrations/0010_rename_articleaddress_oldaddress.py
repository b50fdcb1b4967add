"""ArticleAddress becomes OldAddress: the model holds only addresses a story had before it moved.

The table is renamed with its rows. Django renames the content type, but not the permissions'
codenames and names, which it would otherwise make anew for the new name after migrating,
leaving the roles holding the old ones: they are renamed here, so every group keeps what it had.
"""

from django.db import migrations

ACTIONS = ("add", "change", "delete", "view")


def rename_permissions(apps, old_model, new_model, new_name):
    Permission = apps.get_model("auth", "Permission")
    for action in ACTIONS:
        Permission.objects.filter(
            content_type__app_label="articles", codename=f"{action}_{old_model}"
        ).update(codename=f"{action}_{new_model}", name=f"Can {action} {new_name}")


def to_old_address(apps, schema_editor):
    rename_permissions(apps, "articleaddress", "oldaddress", "old address")


def to_article_address(apps, schema_editor):
    rename_permissions(apps, "oldaddress", "articleaddress", "article address")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_link_publication_times"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameModel("ArticleAddress", "OldAddress"),
        migrations.AlterModelOptions(
            name="oldaddress", options={"verbose_name_plural": "old addresses"}
        ),
        migrations.RunPython(to_old_address, to_article_address),
    ]
