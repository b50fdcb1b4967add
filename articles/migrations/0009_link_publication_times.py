from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_publication_times(apps, schema_editor):
    # What saving.copy_publication_times() does, for every link at once: each tag's and
    # byline's link takes its story's publication time. Copied before the indexes are made, so
    # each index is built once from the finished rows.
    Article = apps.get_model("articles", "Article")
    for name, story in (("ArticleTag", "content_object"), ("Byline", "article")):
        published_at = Article.objects.filter(pk=OuterRef(story)).values("published_at")
        apps.get_model("articles", name).objects.update(published_at=Subquery(published_at))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_writers_delete_own_pictures"),
    ]

    operations = [
        migrations.AddField(
            model_name="articletag",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="byline",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(copy_publication_times, migrations.RunPython.noop),
        # (author, published_at, article) serves whatever (author, article) did.
        migrations.RemoveIndex(
            model_name="byline",
            name="byline_author_article_idx",
        ),
        migrations.AddIndex(
            model_name="articletag",
            index=models.Index(
                fields=["tag", "published_at", "content_object"],
                name="articletag_tag_published_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="byline",
            index=models.Index(
                fields=["author", "published_at", "article"], name="byline_author_published_idx"
            ),
        ),
    ]
