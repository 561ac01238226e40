"""seed_demo's volunteers: 凌建梅's year at 文化佳园, volunteers in every star tier, the 2023
recognitions and the tea party's shifts, work waiting for staff, the ten honoured workers,
and the recruitment notice linking to a real opportunity."""

import datetime

import pytest
from django.urls import resolve
from django.utils import timezone

from neighborhoods.models import WatchAssignment, WorkerHonour
from notices.models import Notice
from volunteers.hours.services import tier_standing, verified_hours
from volunteers.models import Opportunity, Recognition, ServiceRecord, Shift, VolunteerProfile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]


def test_ling_jianmei_has_a_year_of_verified_shifts_at_wenhua():
    profile = VolunteerProfile.objects.select_related("user", "centre").get(
        user__username="volunteer"
    )
    assert (profile.status, profile.centre.name) == ("approved", "文化佳园睦邻中心")
    shifts = ServiceRecord.objects.verified().filter(volunteer=profile.user, signup__isnull=False)
    assert (
        shifts.filter(date__gte=timezone.localdate() - datetime.timedelta(days=365)).count() >= 40
    )
    assert tier_standing(verified_hours(profile.user))[0].name == "二星志愿者"
    assert Recognition.objects.filter(volunteer=profile.user, year=2023).exists()
    assert WatchAssignment.objects.filter(volunteer=profile.user).count() == 2


def test_there_are_volunteers_in_every_tier_and_below():
    tiers = set()
    for profile in VolunteerProfile.objects.approved().select_related("user"):
        tier = tier_standing(verified_hours(profile.user))[0]
        tiers.add(tier.stars if tier else 0)
    assert tiers == {0, 1, 2, 3, 4, 5}
    assert VolunteerProfile.objects.approved().count() >= 30
    assert VolunteerProfile.objects.approved().values("neighbourhood").distinct().count() >= 5


def test_work_waits_for_staff_and_2023_was_recognised_at_the_tea_party():
    assert VolunteerProfile.objects.pending().count() >= 3
    assert ServiceRecord.objects.pending().count() >= 5
    assert Recognition.objects.filter(year=2023, title="2023年度优秀志愿者").count() >= 8
    assert Shift.objects.filter(date=datetime.date(2024, 1, 28)).count() == 2


def test_the_ten_honoured_workers_of_2023():
    honours = WorkerHonour.objects.filter(year=2023, title="杨浦区“最美居民区社区工作者”")
    names = {h.worker.user.get_full_name() for h in honours.select_related("worker__user")}
    assert len(names) == 10 and {"胡云", "杨莹"} <= names
    assert all(h.citation for h in honours)


def test_the_recruitment_notice_links_to_its_opportunity():
    notice = Notice.objects.get(title="独居老人“日看窗帘夜看灯”志愿者招募")
    opportunity = Opportunity.objects.get(title="独居老人“日看窗帘夜看灯”楼组巡查")
    url = opportunity.get_absolute_url()
    assert f'href="{url}"' in notice.body
    assert resolve(url).url_name == "opportunity-detail"
    assert opportunity.shifts.filter(date__gte=timezone.localdate()).exists()
