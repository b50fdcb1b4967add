"""The SQLite full-text index behind site search (PostgreSQL searches without one).

An FTS5 table over the article table's headline, standfirst and body ("external content": the
text is read from articles_article, not copied), kept in step by triggers so saving an article
needs no Python of its own. The statements are written out here, as they were when this
migration was made; articles/search.py holds the current triggers and puts them back if a later
migration's table rebuild drops them.
"""

from django.db import migrations

INDEX = "articles_article_search"

CREATE = [
    f"""
    CREATE VIRTUAL TABLE {INDEX} USING fts5(
        headline, standfirst, body,
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {INDEX}_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO {INDEX}(rowid, headline, standfirst, body)
        VALUES (new.id, new.headline, new.standfirst, new.body);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {INDEX}_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO {INDEX}({INDEX}, rowid, headline, standfirst, body)
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {INDEX}_update
    AFTER UPDATE OF headline, standfirst, body ON articles_article BEGIN
        INSERT INTO {INDEX}({INDEX}, rowid, headline, standfirst, body)
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body);
        INSERT INTO {INDEX}(rowid, headline, standfirst, body)
        VALUES (new.id, new.headline, new.standfirst, new.body);
    END
    """,
    # Index the articles that already exist.
    f"INSERT INTO {INDEX}({INDEX}) VALUES ('rebuild')",
]

DROP = [
    f"DROP TRIGGER IF EXISTS {INDEX}_insert",
    f"DROP TRIGGER IF EXISTS {INDEX}_delete",
    f"DROP TRIGGER IF EXISTS {INDEX}_update",
    f"DROP TABLE IF EXISTS {INDEX}",
]


def run_on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0003_article_label"),
    ]

    operations = [
        migrations.RunPython(run_on_sqlite(CREATE), run_on_sqlite(DROP)),
    ]
