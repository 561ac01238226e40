"""Fixtures of the neighborhoods tests. Visits and needs: see visit_factories.py; activities:
activity_fixtures.py."""

from .activity_fixtures import (  # noqa: F401
    activity,
    centre_staff,
    fuxin,
    gjxc_activity,
    other_centre,
    other_centre_staff,
)
from .visit_factories import media_root, zone2  # noqa: F401
