"""Private uploads: where they live, and the one way they are sent to a browser.

Files live in `settings.STORAGES["private"]`, outside MEDIA_ROOT, and are never published
by a web server; the portal serves each one through a view that checks the same
permission as the page it belongs to. Model fields refer to the callable
(`storage=private_storage`) so migrations do not depend on the settings.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files.storage import FileSystemStorage, storages
from django.db import transaction
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)

# The files saved by the innermost `atomic_with_files` block running now (None outside).
_saved_in_block = ContextVar("saved_in_block", default=None)


def private_storage():
    """Storage outside MEDIA_ROOT (settings.STORAGES["private"]): never served by a proxy."""
    return storages["private"]


def private_file_response(field, *, personal=False, **kwargs):
    """The file of `field` for the one person allowed to see it.

    404 when the record has no file or outlived it (a restore, a cleanup). Browsers may keep
    it an hour but shared caches may not, and it is never sniffed into another type; a
    `personal` file (a photo of someone's home sent with a need) is not kept at all.
    """
    if not field:
        raise Http404
    try:
        response = FileResponse(field.open("rb"), **kwargs)
    except FileNotFoundError:
        raise Http404 from None
    response["Cache-Control"] = "private, no-store" if personal else "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class PrivateStorage(FileSystemStorage):
    """The private file system storage, telling `atomic_with_files` what it saved."""

    def _save(self, name, content):
        name = super()._save(name, content)
        saved = _saved_in_block.get()
        if saved is not None:
            saved.append((self, name))
        return name


@contextmanager
def atomic_with_files(using=None):
    """`transaction.atomic()` that also takes back the files saved inside it on failure.

    A file is written to disk the moment its field is saved, before the row's INSERT, and a
    rollback undoes only the rows: a refused or failed post (a closed topic, a database
    error, a later image that fails) would leave photos of people's homes in private storage
    that no page shows and no cleanup finds. Every file PrivateStorage saves inside this
    block is recorded; if the block ends with an exception (so its transaction or savepoint
    was rolled back), those files are deleted. Nested blocks hand their files to the outer
    one on success, so a later failure outside still takes them back.

    Not covered: a rollback of an outer transaction that is not an `atomic_with_files`
    block, or `set_rollback(True)` without an exception.
    """
    saved = []
    token = _saved_in_block.set(saved)
    try:
        with transaction.atomic(using=using):
            yield
    except BaseException:
        _saved_in_block.reset(token)
        _delete_quietly(saved)
        raise
    _saved_in_block.reset(token)
    outer = _saved_in_block.get()
    if outer is not None:
        outer.extend(saved)


def _delete_quietly(saved):
    for storage, name in saved:
        try:
            storage.delete(name)
        except OSError:  # the original error matters more; the orphan is logged
            logger.exception("could not delete %s after a rollback", name)
