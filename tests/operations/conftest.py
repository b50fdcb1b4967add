"""Tests of the site's own operations: backups, the benchmark, the soak, the synthetic newsroom and
the site installed from its wheel.

They are marked `operations`, so that `make test-fast` can leave them out; `make test` runs them.
"""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.operations)
