"""Which packages the wheel holds, the one part of the build that pyproject.toml cannot say.

They are the two apps, articles* and newsroom*, and the top-level templates/ and static/ carried
inside the newsroom package as newsroom/site_files/templates and newsroom/site_files/static, where
newsroom/settings.py finds them once installed. pyproject.toml's package finder only finds folders
where they are, so the mapped ones are added here. Every folder is a package of its own (a
namespace one where it has no __init__.py), whose files pyproject.toml's package-data takes.
"""

from setuptools import find_namespace_packages, setup

SITE_FILES = {
    "newsroom.site_files.templates": "templates",
    "newsroom.site_files.static": "static",
}


def packages():
    found = find_namespace_packages(include=["articles*", "newsroom*"], exclude=["*.__pycache__"])
    for package, folder in SITE_FILES.items():
        found.append(package)
        found.extend(f"{package}.{name}" for name in find_namespace_packages(where=folder))
    return found


setup(packages=packages(), package_dir=SITE_FILES)
