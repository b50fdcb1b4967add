from django.db import migrations

# The role's name when this migration was written (articles.roles.WRITER then).
WRITER = "Writer"


def writers_and_delete_image(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    return (
        Group.objects.filter(name=WRITER).first(),
        Permission.objects.filter(
            content_type__app_label="articles", codename="delete_image"
        ).first(),
    )


def let_writers_delete_pictures(apps, schema_editor):
    # Which pictures is decided per picture (articles.permissions): their own, unused ones.
    # Added to what the group has, so that permissions given to it by hand are kept.
    writers, permission = writers_and_delete_image(apps)
    if writers and permission:
        writers.permissions.add(permission)


def stop_writers_deleting_pictures(apps, schema_editor):
    writers, permission = writers_and_delete_image(apps)
    if writers and permission:
        writers.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_updated_and_author_indexes")]

    operations = [
        migrations.RunPython(let_writers_delete_pictures, stop_writers_deleting_pictures)
    ]
