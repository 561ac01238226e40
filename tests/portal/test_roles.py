"""Roles follow from records: the district-admin group, a worker profile, a linked resident."""

import pytest
from django.contrib.auth.models import Group

from portal.models import User
from portal.phones import mask_phone
from tests import factories as f
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def fresh(user):
    """The same account without its cached role properties."""
    return User.objects.get(pk=user.pk)


def test_it_makes_a_superuser_a_district_admin(admin):
    assert admin.is_district_admin


def test_it_makes_a_member_of_the_district_admin_group_a_district_admin(stranger):
    assert not stranger.is_district_admin
    stranger.groups.add(Group.objects.create(name="district-admin"))
    assert fresh(stranger).is_district_admin


def test_it_does_not_make_another_group_a_district_admin(stranger):
    stranger.groups.add(Group.objects.create(name="editors"))
    assert not fresh(stranger).is_district_admin


def test_it_takes_admin_rights_from_an_inactive_account(admin):
    admin.is_active = False
    admin.save()
    assert not fresh(admin).is_district_admin


def test_it_finds_the_active_worker_profile(huyun, places):
    assert huyun.worker.neighbourhood == places["gjxc"]
    assert huyun.is_committee_staff
    assert huyun.home_neighbourhood == places["gjxc"]
    assert not huyun.is_district_admin


def test_it_drops_the_staff_role_when_the_worker_profile_is_inactive(huyun):
    huyun.community_worker.active = False
    huyun.community_worker.save()
    user = fresh(huyun)
    assert user.worker is None
    assert not user.is_committee_staff


def test_it_finds_the_linked_resident_and_home_neighbourhood(resident, gjxc_household, places):
    assert resident.resident.household == gjxc_household
    assert resident.home_neighbourhood == places["gjxc"]
    assert not resident.is_committee_staff


def test_it_gives_a_stranger_no_neighbourhood(stranger):
    assert stranger.resident is None
    assert stranger.worker is None
    assert stranger.home_neighbourhood is None


def test_it_makes_centre_staff_from_a_centre_membership(stranger, places):
    from neighborhoods.models import Centre, CentreStaff

    centre = Centre.objects.create(subdistrict=places["gjxc"].subdistrict, name="四平睦邻中心")
    CentreStaff.objects.create(centre=centre, user=stranger)
    user = fresh(stranger)
    assert user.staff_centre_ids == [centre.pk]
    assert user.is_centre_staff


def test_it_makes_an_approved_volunteer_a_volunteer(resident):
    profile = VolunteerProfile.objects.create(user=resident)
    assert not fresh(resident).is_volunteer
    profile.status = VolunteerProfile.Status.APPROVED
    profile.save()
    assert fresh(resident).is_volunteer


@pytest.mark.parametrize(
    ("persona", "label"),
    [
        ("admin", "District admin"),
        ("huyun", "Committee staff"),
        ("resident", "Resident"),
        ("stranger", "Resident"),
    ],
)
def test_it_labels_each_role(request, persona, label):
    from django.utils import translation

    user = request.getfixturevalue(persona)
    with translation.override("en"):
        assert str(user.role_label) == label


def test_it_labels_an_approved_volunteer_and_centre_staff(stranger, places):
    from django.utils import translation

    from neighborhoods.models import Centre, CentreStaff

    VolunteerProfile.objects.create(user=stranger, status=VolunteerProfile.Status.APPROVED)
    with translation.override("en"):
        assert str(fresh(stranger).role_label) == "Volunteer"
        centre = Centre.objects.create(subdistrict=places["gjxc"].subdistrict, name="中心")
        CentreStaff.objects.create(centre=centre, user=stranger)
        assert str(fresh(stranger).role_label) == "Centre staff"


@pytest.mark.parametrize(
    ("number", "masked"),
    [("13812345678", "138****5678"), ("65431234", "******34"), ("12345", "*****"), ("", "")],
)
def test_it_masks_phone_numbers(number, masked):
    assert mask_phone(number) == masked


def test_it_counts_a_resident_of_another_neighbourhood_there(places, dhg_household):
    user = f.UserFactory(username="dhg-resident")
    f.ResidentFactory(household=dhg_household, user=user)
    assert fresh(user).home_neighbourhood == places["dhg"]
