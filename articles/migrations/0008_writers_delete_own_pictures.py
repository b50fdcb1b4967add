from django.db import migrations

from articles.roles import grant_role_permissions


def grant_roles(apps, schema_editor):
    # The roles as articles.roles now defines them.
    grant_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_updated_and_author_indexes")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
