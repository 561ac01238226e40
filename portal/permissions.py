"""Who a user is, answered once for every app: roles, their present home, what they staff.

Roles follow from records, not stored flags, so that taking the record away takes the role
away with it:

- district admin (区民政局): an active superuser or a member of the ``district-admin`` group;
- committee staff (社区工作者): an active community-worker profile, in one neighbourhood;
- centre staff: a membership of a neighbourhood centre (睦邻中心);
- volunteer: an approved volunteer profile;
- resident: an account linked (上云) to a resident record that *lives there now*. An account
  whose resident record was marked moved out or deceased keeps its sign-in and its own
  history, but has no household: it must not see the next family's names or needs.

The ground must not import the apps above it, so the records are reached through the
account's reverse relations (``community_worker``, ``resident_record``, …).

Two kinds of scope, each with one rule:

- neighbourhood scope (:func:`neighbourhood_scope`): district admins see every row,
  committee staff the rows of their own neighbourhood, everyone else none;
- centre scope (:func:`centre_scope`): district admins every row, centre staff the rows of
  the centres they belong to, everyone else none.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _

DISTRICT_ADMIN_GROUP = "district-admin"

PRESENT = "present"  # Resident.Status.PRESENT, named here so the ground needs no app import


# --- Who the user is (cached on the user object for the request) ------------------------


def is_district_admin(user):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=DISTRICT_ADMIN_GROUP).exists()


def _related_model(user, accessor):
    return user._meta.get_field(accessor).related_model


def active_worker(user):
    """The active community-worker profile, with its neighbourhood's places, or None."""
    if not user.is_authenticated:
        return None
    workers = _related_model(user, "community_worker").objects
    return (
        workers.select_related("neighbourhood__subdistrict__district")
        .filter(user=user, active=True)
        .first()
    )


def present_resident(user):
    """The resident record this account is linked to, if that person lives there now."""
    if not user.is_authenticated:
        return None
    residents = _related_model(user, "resident_record").objects
    return (
        residents.select_related("household__building__neighbourhood__subdistrict__district")
        .filter(user=user, status=PRESENT)
        .first()
    )


def former_resident(user):
    """The linked record of someone who moved out or died, for /me/ to explain; or None."""
    if not user.is_authenticated:
        return None
    residents = _related_model(user, "resident_record").objects
    return residents.filter(user=user).exclude(status=PRESENT).first()


def staff_centre_ids(user):
    if not user.is_authenticated:
        return []
    return list(user.centre_memberships.values_list("centre_id", flat=True))


def is_volunteer(user):
    if not user.is_authenticated:
        return False
    profiles = _related_model(user, "volunteer_profile").objects
    return profiles.filter(user=user, status="approved").exists()


def home_household(user):
    resident = user.resident if user.is_authenticated else None
    return resident.household if resident else None


def resident_neighbourhood(user):
    """The neighbourhood this person lives in now, or None."""
    household = home_household(user)
    return household.building.neighbourhood if household else None


def home_neighbourhood(user):
    """Where this person belongs: the neighbourhood they work in, else the one they live in."""
    if not user.is_authenticated:
        return None
    if user.worker:
        return user.worker.neighbourhood
    return resident_neighbourhood(user)


def is_neighbourhood_staff(user):
    """Committee staff or a district admin: the people who work on the register."""
    return user.is_authenticated and (user.is_district_admin or user.worker is not None)


# --- One rule per kind of scope ---------------------------------------------------------


def neighbourhood_scope(queryset, user, path="neighbourhood_id", *, also=None):
    """The rows of `queryset` that `user` answers for as neighbourhood staff.

    `path` leads from the model to the neighbourhood's id. `also(neighbourhood)` may return
    a Q for rows beyond the neighbourhood's own that its staff answer for too (a
    district-wide guide's questions, say).
    """
    if not user.is_authenticated:
        return queryset.none()
    if user.is_district_admin:
        return queryset
    worker = user.worker
    if worker is None:
        return queryset.none()
    own = Q(**{path: worker.neighbourhood_id})
    return queryset.filter(own | also(worker.neighbourhood) if also else own)


def staffs_neighbourhood(user, neighbourhood_id):
    """The same rule for one object: may `user` act for this neighbourhood as its staff?"""
    if not user.is_authenticated:
        return False
    if user.is_district_admin:
        return True
    return user.worker is not None and user.worker.neighbourhood_id == neighbourhood_id


def centre_scope(queryset, user, path="centre_id"):
    """The rows of `queryset` that `user` answers for as centre staff (admins: all)."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_district_admin:
        return queryset
    centre_ids = user.staff_centre_ids
    if not centre_ids:
        return queryset.none()
    return queryset.filter(**{f"{path}__in": centre_ids})


def staffs_centre(user, centre_id):
    if not user.is_authenticated:
        return False
    return user.is_district_admin or centre_id in user.staff_centre_ids


# --- Decorators: anonymous → sign in; signed in without the role → 403 -----------------


def _role_required(predicate):
    def passes(user):
        if not user.is_authenticated:
            return False  # user_passes_test sends them to sign in
        if not predicate(user):
            raise PermissionDenied
        return True

    return user_passes_test(passes)


staff_required = _role_required(is_neighbourhood_staff)
staff_required.__doc__ = "Committee staff and district admins only."

centre_staff_required = _role_required(lambda user: user.is_district_admin or user.is_centre_staff)
centre_staff_required.__doc__ = "Centre staff and district admins only."

district_admin_required = _role_required(lambda user: user.is_district_admin)
district_admin_required.__doc__ = "District admins only (区民政局)."

director_required = _role_required(lambda user: user.worker is not None and user.worker.is_director)
director_required.__doc__ = (
    "A committee's director (居委会主任 / 党总支书记: CommunityWorker.is_director)."
)

any_staff_required = _role_required(
    lambda user: user.is_district_admin or user.worker is not None or user.is_centre_staff
)
any_staff_required.__doc__ = (
    "Committee staff, centre staff and district admins (rental points, volunteers)."
)

volunteer_required = _role_required(lambda user: user.is_volunteer)
volunteer_required.__doc__ = "Approved volunteers only."


def resident_required(view):
    """Accounts linked to a household they live in (上云); others go to /me/ to link one."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.resident is None:
            messages.info(request, _("Link your account to your household first."))
            return redirect("portal:me")
        return view(request, *args, **kwargs)

    return wrapper
