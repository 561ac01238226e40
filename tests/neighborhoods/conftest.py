"""Fixtures of the neighborhoods tests. Visits and needs: see visit_factories.py; centres:
centre_factories.py; activities: activity_fixtures.py."""

from .activity_fixtures import (  # noqa: F401
    activity,
    centre_staff,
    fuxin,
    gjxc_activity,
    other_centre,
    other_centre_staff,
)
from .centre_factories import centre  # noqa: F401
from .rental_fixtures import centre_point, gjxc_point, wheelchair  # noqa: F401
from .visit_factories import media_root, zone2  # noqa: F401
