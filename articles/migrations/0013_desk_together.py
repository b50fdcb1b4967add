# The parts of the editor's desk were built side by side, each with a migration after 0011;
# this one joins them.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0012_article_expiry"),
        ("articles", "0012_image_digest"),
        ("articles", "0012_presence"),
        ("articles", "0012_review"),
        ("articles", "0012_working_copies"),
    ]

    operations = []
