"""Who may open which register page. Views fetch protected objects only through here."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Household, LinkRequest


def is_register_staff(user):
    return user.is_authenticated and (user.is_district_admin or user.is_committee_staff)


def staff_required(view):
    """Committee staff and district admins only: anonymous → sign in, others → 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_register_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_household_for_user(user, pk):
    """404 for a household outside the user's neighbourhood, as if it did not exist."""
    return get_object_or_404(
        Household.objects.visible_to(user).select_related(
            "building__zone__worker__user", "building__neighbourhood__subdistrict"
        ),
        pk=pk,
    )


def get_link_request_for_user(user, pk):
    return get_object_or_404(
        LinkRequest.objects.visible_to(user).select_related("user", "neighbourhood"), pk=pk
    )


# --- Daily watch ----------------------------------------------------------------------


def get_enrolment_for_user(user, pk):
    from .models import WatchEnrolment

    return get_object_or_404(
        WatchEnrolment.objects.visible_to(user).select_related("household__building"), pk=pk
    )


def get_alert_for_user(user, pk):
    """404 for an alert of another neighbourhood's household, as if it did not exist."""
    from .models import WatchAlert

    return get_object_or_404(
        WatchAlert.objects.visible_to(user).select_related(
            "watch_check__enrolment__household__building__zone__worker__user",
            "watch_check__by",
            "closed_by",
        ),
        pk=pk,
    )


# --- Visits and needs -------------------------------------------------------------------


def get_visit_for_user(user, pk):
    from .models import Visit

    return get_object_or_404(
        Visit.objects.visible_to(user).select_related("household__building", "staff"), pk=pk
    )


def can_edit_visit(user, visit):
    """Only its author, only for 24 hours; after that an addendum is the way to add."""
    return visit.is_editable_by(user)


def get_need_for_user(user, pk):
    """Staff of the household's neighbourhood (and district admins); 404 for anyone else."""
    from .models import Need

    return get_object_or_404(
        Need.objects.visible_to(user).select_related(
            "household__building__zone__worker__user", "owner", "raised_by", "visit"
        ),
        pk=pk,
    )


def get_own_need_for_user(user, pk):
    """A resident's own household's need; 404 for any other."""
    from .models import Need

    return get_object_or_404(Need.objects.for_resident(user), pk=pk)


def resident_required(view):
    """Signed-in accounts linked to a household (上云); others are sent to /me/ to link."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.resident is None:
            messages.info(request, _("Link your account to your household first."))
            return redirect("portal:me")
        return view(request, *args, **kwargs)

    return wrapper
