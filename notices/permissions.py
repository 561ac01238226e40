"""Who may read, publish and follow up which notice. Views fetch notices only through here.

Publishing rights follow the register: committee staff publish for their own neighbourhood;
district admins publish for the district, a subdistrict or any neighbourhood.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from neighborhoods.models import District, Neighbourhood, Subdistrict
from portal.permissions import is_neighbourhood_staff, staff_required, staffs_neighbourhood

from .models import Notice

# Committee staff and district admins publish: the same people as the register's staff.
can_publish = is_neighbourhood_staff
publisher_required = staff_required


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
    """Admins anywhere; committee staff for their own neighbourhood only."""
    if user.is_authenticated and user.is_district_admin:
        return True
    return isinstance(place, Neighbourhood) and staffs_neighbourhood(user, place.pk)


def can_edit(user, notice):
    return Notice.objects.editable_by(user).filter(pk=notice.pk).exists()


def can_follow_reads(user, notice):
    """Staff of the notice's scope (a worker whose neighbourhood it concerns) and admins."""
    if staffs_neighbourhood(user, notice.neighbourhood_id):
        return True
    neighbourhood = user.worker.neighbourhood if user.is_authenticated and user.worker else None
    return neighbourhood is not None and (
        notice.subdistrict_id == neighbourhood.subdistrict_id
        or notice.district_id == neighbourhood.subdistrict.district_id
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
