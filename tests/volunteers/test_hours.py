"""Service records: only verified hours count; tiers at their boundaries; staff verify,
adjust with a reason or reject; a volunteer records service outside a shift."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from volunteers.hours import services
from volunteers.models import ServiceRecord, StarTier, VolunteerNotice

from .fixtures import make_volunteer, verified

pytestmark = pytest.mark.django_db


def test_only_verified_hours_count(volunteer, wenhua):
    verified(volunteer, 3, centre=wenhua)
    verified(volunteer, 5, status="pending", centre=wenhua)
    verified(volunteer, 7, status="rejected", centre=wenhua)
    assert services.verified_hours(volunteer) == Decimal(3)


def test_the_thresholds_are_shanghais_and_editable():
    assert list(StarTier.objects.values_list("min_hours", flat=True)) == [100, 300, 600, 1000, 1500]


@pytest.mark.parametrize(
    ("hours", "tier", "next_tier", "needed"),
    [
        ("0", None, 100, "100"),
        ("99.75", None, 100, "0.25"),
        ("100", 1, 300, "200"),
        ("299.75", 1, 300, "0.25"),
        ("300", 2, 600, "300"),
        ("999.75", 3, 1000, "0.25"),
        ("1000", 4, 1500, "500"),
        ("1499.75", 4, 1500, "0.25"),
        ("1500", 5, None, None),
        ("4000", 5, None, None),
    ],
)
def test_tier_boundaries(hours, tier, next_tier, needed):
    reached, following, still = services.tier_standing(Decimal(hours))
    assert (reached.stars if reached else None) == tier
    assert (following.min_hours if following else None) == next_tier
    assert still == (Decimal(needed) if needed else None)


def test_a_changed_threshold_changes_the_tier(volunteer):
    verified(volunteer, 20)
    StarTier.objects.filter(stars=1).update(min_hours=20)
    assert services.tier_standing(services.verified_hours(volunteer))[0].stars == 1


def test_staff_verify_adjust_and_reject_and_the_volunteer_is_told(
    client, volunteer, centre_staff, wenhua
):
    one, two, three = (verified(volunteer, 3, status="pending", centre=wenhua) for _ in range(3))
    client.force_login(centre_staff)

    def decide(record, **data):
        return client.post(reverse("volunteers:record-decide", args=[record.pk]), data)  # noqa: E731

    assert decide(one, action="verify").status_code == 302
    assert decide(two, action="adjust", hours="2.5", reason="提前离开").status_code == 302
    assert decide(three, action="reject", reason="重复记录").status_code == 302
    for record in (one, two, three):
        record.refresh_from_db()
    assert (one.status, one.hours) == ("verified", 3)
    assert (two.status, two.hours, two.reason, two.was_adjusted) == (
        "verified",
        Decimal("2.5"),
        "提前离开",
        True,
    )
    assert (three.status, three.hours) == ("rejected", None)
    assert services.verified_hours(volunteer) == Decimal("5.5")
    kinds = set(VolunteerNotice.objects.filter(user=volunteer).values_list("kind", flat=True))
    assert kinds == {"record_verified", "record_adjusted", "record_rejected"}
    # Decided once: a second decision is refused with a message, nothing changes.
    decide(one, action="reject", reason="x")
    one.refresh_from_db()
    assert one.status == "verified"


def test_adjusting_without_a_reason_is_a_form_error_that_keeps_the_hours(
    client, volunteer, centre_staff, wenhua
):
    record = verified(volunteer, 3, status="pending", centre=wenhua)
    client.force_login(centre_staff)
    response = client.post(
        reverse("volunteers:record-decide", args=[record.pk]), {"action": "adjust", "hours": "1.75"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="1.75"' in page
    assert "请说明理由" in page or "Please give the reason" in page
    record.refresh_from_db()
    assert record.status == "pending"


def test_staff_of_another_centre_cannot_see_or_decide(client, volunteer, wenhua, places):
    from neighborhoods.models import CentreStaff
    from tests import factories as f
    from tests.neighborhoods.centre_factories import CentreFactory

    other = f.UserFactory(username="other")
    CentreStaff.objects.create(
        centre=CentreFactory(subdistrict=places["dhg"].subdistrict), user=other
    )
    record = verified(volunteer, 3, status="pending", centre=wenhua)
    client.force_login(other)
    assert "凌建梅" not in client.get(reverse("volunteers:record-queue")).content.decode()
    response = client.post(
        reverse("volunteers:record-decide", args=[record.pk]), {"action": "verify"}
    )
    assert response.status_code == 404


def test_a_volunteer_records_service_outside_a_shift(client, volunteer):
    client.force_login(volunteer)
    url = reverse("volunteers:record-create")
    day = timezone.localdate() - datetime.timedelta(days=2)
    response = client.post(
        url, {"date": day.isoformat(), "hours": "2", "description": "陪老人看病"}
    )
    assert response.status_code == 302
    record = ServiceRecord.objects.get(volunteer=volunteer)
    assert (record.status, record.claimed_hours, record.centre) == (
        "pending",
        2,
        volunteer.volunteer_profile.centre,
    )
    assert services.verified_hours(volunteer) == 0


def test_a_future_date_or_too_many_hours_is_refused_keeping_what_was_typed(client, volunteer):
    client.force_login(volunteer)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("volunteers:record-create"),
        {"date": future, "hours": "30", "description": "陪老人看病"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "陪老人看病" in page and 'value="30"' in page
    assert not ServiceRecord.objects.exists()


def test_the_export_has_the_years_verified_hours_per_volunteer(
    client, volunteer, centre_staff, wenhua, places
):
    import io

    from openpyxl import load_workbook

    other = make_volunteer(places["gjxc"], "v2", "钱志远", centre=wenhua)
    year = timezone.localdate().year
    verified(volunteer, 3, centre=wenhua)
    verified(volunteer, 4, centre=wenhua)
    verified(volunteer, 9, status="pending", centre=wenhua)
    verified(other, 2, centre=wenhua)
    verified(other, 50, centre=wenhua, date=datetime.date(year - 1, 6, 1))
    client.force_login(centre_staff)
    response = client.get(reverse("volunteers:hours-export") + f"?year={year}")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert [(r[0], r[3]) for r in rows[1:]] == [("凌建梅", 7), ("钱志远", 2)]


def test_the_ranking_orders_by_the_years_hours_and_shows_the_cumulative_tier(
    client, centre_staff, wenhua, places
):
    year = timezone.localdate().year
    veteran = make_volunteer(places["gjxc"], "veteran", "陈长根", centre=wenhua)
    keen = make_volunteer(places["gjxc"], "keen", "赵晓燕", centre=wenhua)
    verified(veteran, 20, centre=wenhua)
    for day in range(1, 31):
        verified(veteran, 10, centre=wenhua, date=datetime.date(year - 2, 3, day))  # 300 h before
    verified(keen, 24, centre=wenhua)
    verified(keen, 24, status="pending", centre=wenhua)
    client.force_login(centre_staff)
    page = client.get(reverse("volunteers:recognition-list") + f"?year={year}").content.decode()
    assert page.index("赵晓燕") < page.index("陈长根")
    assert "二星志愿者" in page  # 320 h in all, though only 20 this year
    response = client.post(
        reverse("volunteers:recognition-list"),
        {"volunteer": keen.pk, "year": year, "title": "年度优秀志愿者"},
    )
    assert response.status_code == 302
    award = keen.volunteer_recognitions.get()
    assert (award.year, award.hours) == (year, Decimal(24))
