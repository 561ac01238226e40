"""Who may read, publish and follow up which notice. Views fetch notices only through here.

Publishing rights follow the register: committee staff publish for their own neighbourhood;
district admins publish for the district, a subdistrict or any neighbourhood.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from neighborhoods.models import District, Neighbourhood, Subdistrict

from .models import Notice


def can_publish(user):
    """Whether the user may publish notices anywhere at all."""
    return user.is_authenticated and (user.is_district_admin or user.is_committee_staff)


def publisher_required(view):
    """Anonymous → sign in; signed in but not committee staff or admin → 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_publish(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def publishing_scopes(user):
    """The places a user may publish for, as a list of District/Subdistrict/Neighbourhood."""
    if not user.is_authenticated:
        return []
    if user.is_district_admin:
        return [
            *District.objects.all(),
            *Subdistrict.objects.select_related("district"),
            *Neighbourhood.objects.select_related("subdistrict"),
        ]
    if user.worker:
        return [user.worker.neighbourhood]
    return []


def can_publish_in(user, place):
    if not user.is_authenticated:
        return False
    if user.is_district_admin:
        return True
    return (
        user.worker is not None
        and isinstance(place, Neighbourhood)
        and place.pk == user.worker.neighbourhood_id
    )


def can_edit(user, notice):
    return Notice.objects.editable_by(user).filter(pk=notice.pk).exists()


def can_follow_reads(user, notice):
    """Staff of the notice's scope (a worker whose neighbourhood it concerns) and admins."""
    if not user.is_authenticated:
        return False
    if user.is_district_admin:
        return True
    return user.worker is not None and (
        notice.neighbourhood_id == user.worker.neighbourhood_id
        or notice.subdistrict_id == user.worker.neighbourhood.subdistrict_id
        or notice.district_id == user.worker.neighbourhood.subdistrict.district_id
    )


def get_notice_for_user(user, pk):
    """404 for a notice the user may not read (unpublished, expired, residents-only)."""
    return get_object_or_404(
        Notice.objects.visible_to(user).select_related(
            "district", "subdistrict__district", "neighbourhood__subdistrict", "author"
        ),
        pk=pk,
    )


def residents_only_needs_sign_in(user, pk):
    """A visitor (not signed in) opening a published residents-only notice, e.g. from the QR
    code on a lobby poster: they are asked to sign in rather than told it does not exist.
    Nothing of the notice is shown; unpublished and expired notices stay a 404."""
    return (
        not user.is_authenticated
        and Notice.objects.published().filter(pk=pk, audience=Notice.Audience.RESIDENTS).exists()
    )


def get_notice_for_editing(user, pk):
    """404 for a notice outside the user's publishing rights, as if it did not exist."""
    return get_object_or_404(
        Notice.objects.editable_by(user).select_related("district", "subdistrict", "neighbourhood"),
        pk=pk,
    )


def get_notice_for_reads(user, pk):
    notice = get_object_or_404(
        Notice.objects.select_related("district", "subdistrict", "neighbourhood"), pk=pk
    )
    if not can_follow_reads(user, notice):
        raise Http404("No notice matches the given query.")
    return notice
