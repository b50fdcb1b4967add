"""The demo newsroom stays out of a newsroom that has sections of its own.

Apart from tests/test_demo.py, whose module holds the demo loaded once.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, Section

pytestmark = pytest.mark.django_db


def test_the_demo_is_not_loaded_into_a_newsroom_with_its_own_sections(
    settings, tmp_path, draw_demo_images_once
):
    settings.MEDIA_ROOT = tmp_path / "demo-media"
    Section.objects.create(name="Sport", slug="sport")

    call_command("load_demo", stdout=StringIO())

    assert Article.objects.count() == 0
    assert not any(path.is_file() for path in tmp_path.rglob("*"))
