"""An article's expiry: when it comes down by itself, as its publication time is when it goes up."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_roles_in_full"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="expires_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When readers stop seeing the story: it comes down by itself at this "
                "time, for embargoed partner content or a time-limited offer. Leave empty to keep "
                "it up.",
                null=True,
                verbose_name="expires at",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["status", "expires_at", "published_at"], name="article_expiry_idx"
            ),
        ),
    ]
