"""Facilities (公共设施): the directory near a neighbourhood, and their upkeep by its staff."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.exceptions import Refused

from ..models import Facility, FacilityDistance

NEAR_ON_SERVICES = 6


def facilities_near(neighbourhood, kind=""):
    """Facilities with a walk from `neighbourhood`, nearest first; one query."""
    facilities = Facility.objects.near(neighbourhood)
    return facilities.filter(kind=kind) if kind else facilities


def facility_directory(kind=""):
    """Every facility by type (for a visitor who has not chosen a neighbourhood)."""
    facilities = Facility.objects.select_related("neighbourhood").order_by("kind", "name")
    return facilities.filter(kind=kind) if kind else facilities


def facility_save(*, facility, neighbourhood, walk_minutes, by):
    """Create or change a facility kept by `neighbourhood`'s staff, and its walk from there."""
    facility.neighbourhood, facility.updated_by = neighbourhood, by
    try:
        with transaction.atomic():
            facility.save()
            FacilityDistance.objects.update_or_create(
                facility=facility, neighbourhood=neighbourhood, defaults={"minutes": walk_minutes}
            )
    except IntegrityError:
        raise Refused(
            _("%(neighbourhood)s already lists a facility called %(name)s.")
            % {"neighbourhood": neighbourhood.name, "name": facility.name}
        ) from None
    return facility


def walk_from_own(facility):
    walk = facility.distances.filter(neighbourhood_id=facility.neighbourhood_id).first()
    return walk.minutes if walk else None
