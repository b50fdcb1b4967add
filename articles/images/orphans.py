"""Image files no image names: what an upload killed before its commit leaves behind.

An upload writes its file, then its renditions, and the row naming them is committed last; a
process killed in between (or a deletion whose files were to go after its commit) leaves files
that nothing will ever serve or remove. They are found here by listing storage and comparing it
with the rows, through Django's storage API, so on local disk and in a bucket alike.

Two rules keep this safe. A file an image's row names, as its original or as one of its
renditions, is never touched. And a file younger than ORPHAN_GRACE is left alone, since it may
belong to an upload whose row is not committed yet; images waiting in an unfinished form
(images/pending/) are kept as long as their form's token is good.
"""

import posixpath
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..models import Image
from .renditions import rendition_names
from .uploads import PENDING_FOLDER, PENDING_MAX_AGE

IMAGES_FOLDER = "images"
# Far longer than any upload takes to write its files and commit its row.
ORPHAN_GRACE = timedelta(hours=1)


@dataclass
class Sweep:
    """What a sweep of storage found: the files it removed (or, dry, would remove)."""

    removed: list[str] = field(default_factory=list)
    bytes: int = 0
    too_new: int = 0  # orphaned, but young enough to be an upload still under way
    can_list: bool = True

    def summary(self, dry_run=False):
        if not self.can_list:
            return "Nothing removed: this storage cannot list its files."
        verb = "Would remove" if dry_run else "Removed"
        line = f"{verb} {len(self.removed)} file(s) no picture names ({self.bytes:,} bytes)"
        if self.too_new:
            line += f"; kept {self.too_new} too recent to judge"
        return line + "."


def delete_orphaned_files(folder=IMAGES_FOLDER, *, dry_run=False, quick=False):
    """Remove the image files under `folder` that no image's row names.

    Renditions are stored beside their original (images/2026/05/renditions/<stem>/…, see
    renditions._rendition_name), so the rows to compare with are those whose original is under
    `folder`. `quick` skips the rendition folders of images that have a row, costing a listing
    or two rather than one per image: what a killed upload leaves is found all the same.

    Tidying is best effort: a storage that cannot list or date its files (Django's Storage
    raises NotImplementedError) is left to its own lifecycle rules, and a file gone already, or
    that cannot be removed, is passed over. Neither may stop an editor's upload.
    """
    storage = Image._meta.get_field("file").storage
    named = set()
    for name, renditions in Image.objects.filter(
        file__startswith=f"{folder.rstrip('/')}/"
    ).values_list("file", "renditions").iterator():
        named.add(name)
        named.update(rendition_names(Image(renditions=renditions)))
    kept_stems = {posixpath.splitext(name)[0] for name in named}

    def skipped(path):
        # images/2026/05/renditions/<stem> holds the renditions of images/2026/05/<stem>.*
        parent, stem = posixpath.split(path)
        folder_of_original, renditions = posixpath.split(parent)
        return quick and renditions == "renditions" and (
            posixpath.join(folder_of_original, stem) in kept_stems
        )

    sweep = Sweep()
    now = timezone.now()
    try:
        names = list(_files_under(storage, folder, skipped))
    except NotImplementedError:
        sweep.can_list = False
        return sweep
    for name in names:
        if name in named:
            continue
        grace = PENDING_MAX_AGE if name.startswith(f"{PENDING_FOLDER}/") else ORPHAN_GRACE
        try:
            if storage.get_modified_time(name) > now - grace:
                sweep.too_new += 1
                continue
            size = storage.size(name)
            if not dry_run:
                storage.delete(name)
        except (OSError, NotImplementedError):
            continue  # gone already (another request tidied it), or the storage cannot tell
        sweep.removed.append(name)
        sweep.bytes += size
    return sweep


def delete_orphans_beside(image):
    """Once a new image is saved for good, clear what killed uploads left in its folder.

    Cheap enough for every upload: only the folder this one went to, and of the rendition
    folders only those whose original has no row.
    """
    folder = posixpath.dirname(image.file.name)
    # Robust: an error of the storage's own (a bucket's, say) is logged, not shown the editor.
    transaction.on_commit(lambda: delete_orphaned_files(folder, quick=True), robust=True)


def _files_under(storage, folder, skipped):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for filename in files:
        yield posixpath.join(folder, filename)
    for name in folders:
        path = posixpath.join(folder, name)
        if not skipped(path):
            yield from _files_under(storage, path, skipped)
