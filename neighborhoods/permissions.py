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
