"""Fixtures of the neighborhoods tests. Visits and needs: see visit_factories.py; centres:
centre_factories.py."""

from .centre_factories import centre, centre_staff  # noqa: F401
from .visit_factories import media_root, zone2  # noqa: F401
