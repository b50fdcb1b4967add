"""The `newsroom` command: the site's manage.py, for a site installed from a wheel.

In the source tree manage.py calls the same main(), so both run every management command alike:
`newsroom migrate`, `newsroom serve`, `newsroom help`.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
