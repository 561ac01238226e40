"""Who a user is: a resident record that no longer lives there gives no household.

The three leaks found in review: a resident marked moved out (or deceased) still saw the
next family's names on /me/, that flat's needs on /me/needs/, and could still report a need
for the flat they had left.
"""

import pytest
from django.urls import reverse

from neighborhoods.models import Centre, CentreStaff, Household, Need, Resident
from notices.models import Topic
from notices.models.notice import user_neighbourhood_ids
from notices.permissions import can_take_part
from portal import permissions
from tests import factories as f
from tests.neighborhoods.visit_factories import NeedFactory


@pytest.fixture
def moved_out(resident, gjxc_household):
    """李梅 moved out; a new family (孙立) moved into her old flat."""
    record = resident.resident_record
    record.move_out()
    f.ResidentFactory(household=gjxc_household, name="孙立新", birth_date=f.born_years_ago(40))
    NeedFactory(household=gjxc_household, description="新住户的家事：水管漏水")
    resident.refresh_from_db()
    return resident


def test_it_gives_a_moved_out_account_no_household(moved_out):
    assert moved_out.resident is None
    assert moved_out.home_neighbourhood is None
    assert permissions.home_household(moved_out) is None
    assert permissions.former_resident(moved_out).status == Resident.Status.MOVED_OUT


def test_it_does_not_show_the_next_familys_names_on_me(login, moved_out):
    response = login(moved_out).get(reverse("portal:me"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "孙立新" not in page
    assert "周秀英" not in page
    assert 'id="former-household"' in page
    # It offers to link the household they live in now.
    assert reverse("portal:link-request-new") in page


def test_it_does_not_show_the_old_flats_needs(login, moved_out):
    response = login(moved_out).get(reverse("neighborhoods:my-need-list"))
    assert response.status_code == 302
    assert response.url == reverse("portal:me")
    assert Need.objects.for_resident(moved_out).count() == 0


def test_it_refuses_a_need_for_the_flat_they_left(login, moved_out):
    before = Need.objects.count()
    response = login(moved_out).post(
        reverse("neighborhoods:my-need-create"),
        {"category": Need.Category.HOUSING, "description": "楼道灯坏了，晚上看不见台阶"},
    )
    assert response.status_code == 302
    assert response.url == reverse("portal:me")
    assert Need.objects.count() == before


def test_it_lets_a_deceased_residents_account_sign_in_without_a_household(login, resident):
    resident.resident_record.record_death()
    resident.refresh_from_db()
    response = login(resident).get(reverse("portal:me"))
    assert response.status_code == 200
    assert "周秀英" not in response.content.decode()
    assert resident.resident is None


def test_it_lets_a_moved_out_account_ask_for_a_new_link(login, moved_out, places):
    response = login(moved_out).post(
        reverse("portal:link-request-new"),
        {"neighbourhood": places["dhg"].pk, "building": "5号", "room": "101", "name": "李梅"},
    )
    assert response.status_code == 302
    assert moved_out.link_requests.pending().count() == 1


def test_it_keeps_notices_residents_only_for_present_residents(moved_out, places):
    assert user_neighbourhood_ids(moved_out) == set()


def test_it_keeps_a_moved_out_resident_out_of_the_hall(moved_out, places, huyun):
    topic = Topic(neighbourhood=places["gjxc"], opened_by=huyun, title="红屋顶花园")
    assert not can_take_part(moved_out, topic)


class TestOneNeighbourhoodRule:
    """The neighbourhood scope is one rule for every app: admin all, staff own, others none."""

    def test_admins_see_every_row(self, admin, gjxc_household, dhg_household):
        rows = permissions.neighbourhood_scope(
            Household.objects.all(), admin, "building__neighbourhood_id"
        )
        assert set(rows) == {gjxc_household, dhg_household}

    def test_staff_see_their_own_neighbourhoods_rows(self, huyun, gjxc_household, dhg_household):
        rows = permissions.neighbourhood_scope(
            Household.objects.all(), huyun, "building__neighbourhood_id"
        )
        assert list(rows) == [gjxc_household]

    @pytest.mark.parametrize("who", ["resident", "stranger"])
    def test_others_see_nothing(self, request, who, gjxc_household):
        user = request.getfixturevalue(who)
        rows = permissions.neighbourhood_scope(
            Household.objects.all(), user, "building__neighbourhood_id"
        )
        assert not rows.exists()

    def test_one_object_check_agrees(self, huyun, yangying, admin, places):
        gjxc = places["gjxc"].pk
        assert permissions.staffs_neighbourhood(huyun, gjxc)
        assert not permissions.staffs_neighbourhood(yangying, gjxc)
        assert permissions.staffs_neighbourhood(admin, gjxc)


class TestCentreRule:
    def test_centre_staff_see_their_centres_rows_only(self, places):
        mine = Centre.objects.create(
            subdistrict=places["gjxc"].subdistrict, name="文化佳园睦邻中心"
        )
        other = Centre.objects.create(subdistrict=places["dhg"].subdistrict, name="定海睦邻中心")
        user = f.UserFactory(username="centre")
        CentreStaff.objects.create(centre=mine, user=user)
        rows = permissions.centre_scope(CentreStaff.objects.all(), user)
        assert [row.centre for row in rows] == [mine]
        assert permissions.staffs_centre(user, mine.pk)
        assert not permissions.staffs_centre(user, other.pk)

    def test_others_see_no_centre_rows(self, huyun, places):
        assert not permissions.centre_scope(CentreStaff.objects.all(), huyun).exists()
