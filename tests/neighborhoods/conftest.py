"""Fixtures of the neighborhoods tests. Visits and needs: see visit_factories.py."""

from .visit_factories import media_root, zone2  # noqa: F401
