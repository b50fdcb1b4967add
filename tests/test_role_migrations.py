"""The roles a fresh install ends with are those articles.roles defines, and an install upgraded
from any earlier migration ends with the same."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles import roles


def groups_and_permissions():
    """Each group's name with its permissions, as "app.codename"."""
    return {
        group.name: {
            f"{app_label}.{codename}"
            for app_label, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        for group in Group.objects.all()
    }


def every_permission(*app_labels):
    permissions = Permission.objects.all()
    if app_labels:
        permissions = permissions.filter(content_type__app_label__in=app_labels)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list("content_type__app_label", "codename")
    }


def roles_as_defined():
    """What articles.roles names, each role's patterns read against the permissions there are."""
    return {
        roles.WRITER: set(roles.ROLE_PERMISSIONS[roles.WRITER]),
        roles.EDITOR: every_permission("articles", "taggit"),
        # Those of apps whose models a migration of theirs made after the roles' too.
        roles.ADMIN: every_permission(),
    }


def test_a_fresh_install_has_the_roles_articles_roles_defines(db):
    found = groups_and_permissions()

    assert found == roles_as_defined()
    assert {"newsroom.view_loggedinsession", "sessions.view_session"} <= found[roles.ADMIN]


def test_the_old_addresses_permissions_carry_the_models_new_name(db):
    """Renamed with the model, so the roles that held them keep them under one name."""
    codenames = set(every_permission("articles"))

    assert "articles.view_oldaddress" in codenames
    assert not {name for name in codenames if name.endswith("_articleaddress")}


def test_a_permission_given_to_a_role_by_hand_is_kept_by_the_next_migrate(db):
    writers = Group.objects.get(name=roles.WRITER)
    writers.permissions.add(Permission.objects.get(codename="change_section"))

    call_command("migrate", verbosity=0)

    assert "articles.change_section" in groups_and_permissions()[roles.WRITER]


def test_a_permission_taken_from_a_role_by_hand_stays_away_after_the_next_migrate(db):
    writers = Group.objects.get(name=roles.WRITER)
    writers.permissions.remove(Permission.objects.get(codename="delete_article"))

    call_command("migrate", verbosity=0)

    assert "articles.delete_article" not in groups_and_permissions()[roles.WRITER]


# An install at each of these, from before the roles to before the last change to them, is
# migrated to the end as a deploy would.
EARLIER_MIGRATIONS = [
    "0001_initial",
    "0002_roles",
    "0007_updated_and_author_indexes",
    "0009_link_publication_times",
]


@pytest.mark.parametrize("start", EARLIER_MIGRATIONS)
def test_an_upgraded_install_ends_with_the_roles_of_a_fresh_one(
    roles_as_migrated, transactional_db, start
):
    # The install as it stood at `start`: the roles as its migrations had made them.
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0001_initial")])
    Group.objects.all().delete()  # made by 0002
    executor.loader.build_graph()
    executor.migrate([("articles", start)])
    # An install that old made its roles before the site's own models (the staff sessions) were
    # there, so its Admin never had their permissions.
    for admins in Group.objects.filter(name=roles.ADMIN):
        admins.permissions.remove(*Permission.objects.filter(content_type__app_label="newsroom"))

    call_command("migrate", verbosity=0)

    assert groups_and_permissions() == roles_as_defined()
