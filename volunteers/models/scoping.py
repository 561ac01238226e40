"""One rule for the volunteers' rows: who holds them (a centre or a neighbourhood)."""

from django.db import models
from django.db.models import Q


def held_by_q(user, centre="centre_id", neighbourhood="neighbourhood_id"):
    """A Q for rows held by a centre this user staffs or the neighbourhood they work in.
    District admins: every row (None means no filter)."""
    if user.is_district_admin:
        return None
    q = Q(pk__in=[])
    if user.worker is not None:
        q |= Q(**{neighbourhood: user.worker.neighbourhood_id})
    if user.staff_centre_ids:
        q |= Q(**{f"{centre}__in": user.staff_centre_ids})
    return q


class HeldQuerySet(models.QuerySet):
    centre_path = "centre_id"
    neighbourhood_path = "neighbourhood_id"

    def held_by(self, user):
        if not user.is_authenticated:
            return self.none()
        q = held_by_q(user, self.centre_path, self.neighbourhood_path)
        return self if q is None else self.filter(q)
