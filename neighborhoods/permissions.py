"""Access helpers: views fetch the app's protected objects only through here.

Each applies the neighbourhood rule of portal/permissions.py (through `visible_to`) and
answers 404 for an object outside the user's scope, as if it did not exist.
"""

from django.shortcuts import get_object_or_404

from portal.permissions import centre_scope

from .models import (
    Activity,
    Centre,
    Household,
    LinkRequest,
    Need,
    Visit,
    WatchAlert,
    WatchEnrolment,
)


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
    return get_object_or_404(
        WatchEnrolment.objects.visible_to(user).select_related("household__building"), pk=pk
    )


def get_alert_for_user(user, pk):
    """404 for an alert of another neighbourhood's household, as if it did not exist."""
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
    return get_object_or_404(
        Visit.objects.visible_to(user).select_related("household__building", "staff"), pk=pk
    )


def can_edit_visit(user, visit):
    """Only its author, only for 24 hours; after that an addendum is the way to add."""
    return visit.is_editable_by(user)


def get_need_for_user(user, pk):
    """Staff of the household's neighbourhood (and district admins); 404 for anyone else."""
    return get_object_or_404(
        Need.objects.visible_to(user).select_related(
            "household__building__zone__worker__user", "owner", "raised_by", "visit"
        ),
        pk=pk,
    )


def get_own_need_for_user(user, pk):
    """A resident's own household's need; 404 for any other."""
    return get_object_or_404(Need.objects.for_resident(user), pk=pk)


# --- Activities (活动): public to read; run by their centre's or neighbourhood's staff ------


def get_activity_for_user(user, pk):
    """Activities are public (visitors read them too); 404 only for an unknown id."""
    return get_object_or_404(
        Activity.objects.select_related(
            "centre__subdistrict", "neighbourhood__subdistrict", "for_neighbourhood"
        ),
        pk=pk,
    )


def get_managed_activity_for_user(user, pk):
    """An activity this user runs (staff of its centre or neighbourhood, admins); else 404."""
    return get_object_or_404(
        Activity.objects.managed_by(user).select_related(
            "centre__subdistrict", "neighbourhood__subdistrict", "for_neighbourhood"
        ),
        pk=pk,
    )


def get_managed_centre_for_user(user, pk):
    """A centre's workspace: its own staff and district admins; staff of another centre 404."""
    return get_object_or_404(centre_scope(Centre.objects.all(), user, "pk"), pk=pk)


def get_managed_signup_for_user(user, activity, pk):
    return get_object_or_404(activity.signups.for_people_list(), pk=pk)
