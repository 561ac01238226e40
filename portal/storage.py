"""Where private uploads live: `settings.STORAGES["private"]`, outside MEDIA_ROOT.

Files there are never published by a web server; the portal serves each one through a
view that checks the same permission as the page it belongs to. Model fields refer to the
callable (`storage=private_storage`) so migrations do not depend on the settings.
"""

from django.core.files.storage import storages


def private_storage():
    """Storage outside MEDIA_ROOT (settings.STORAGES["private"]): never served by a proxy."""
    return storages["private"]
