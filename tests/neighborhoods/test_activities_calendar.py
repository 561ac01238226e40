"""Calendar files: one activity's .ics and the feeds of a centre and a neighbourhood."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from neighborhoods.activities import services

from .activity_fixtures import ActivityFactory, in_days

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_it_gives_an_activity_in_shanghai_time_with_a_stable_uid(client, activity, settings):
    settings.SITE_URL = "https://portal.example.gov.cn"
    url = reverse("neighborhoods:activity-calendar", args=[activity.pk])
    calendar = parse(client.get(url))
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"activity-{activity.pk}@portal.example.gov.cn"
    start = event.decoded("DTSTART")
    assert start == activity.starts_at and start.tzinfo.key == "Asia/Shanghai"
    assert start.astimezone(SHANGHAI).hour == 14
    assert event.decoded("DTEND") == activity.ends_at
    assert str(event["SUMMARY"]) == activity.title and str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("SEQUENCE") == 0
    assert "DTEND;TZID=Asia/Shanghai:" in client.get(url).content.decode()


def test_it_moves_sequence_and_last_modified_on_change_and_marks_cancellation(
    client, activity, centre_staff
):
    url = reverse("neighborhoods:activity-calendar", args=[activity.pk])
    before = parse(client.get(url)).walk("VEVENT")[0]
    services.activity_update(activity=activity, by=centre_staff, place="三楼会议室")
    after = parse(client.get(url)).walk("VEVENT")[0]
    assert str(after["UID"]) == str(before["UID"])
    assert after.decoded("SEQUENCE") == 1 and str(after["LOCATION"]) == "三楼会议室"
    assert after.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")
    services.activity_cancel(activity=activity, by=centre_staff)
    cancelled = parse(client.get(url)).walk("VEVENT")[0]
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled.decoded("SEQUENCE") == 2


def test_it_gives_subscribable_feeds_of_a_centre_and_a_neighbourhood(
    client, fuxin, activity, gjxc_activity, places
):
    old = ActivityFactory(centre=fuxin, title="很久以前", starts_at=in_days(-90))
    recent = ActivityFactory(centre=fuxin, title="上周", starts_at=in_days(-7))
    feed = events(parse(client.get(reverse("neighborhoods:centre-calendar", args=[fuxin.pk]))))
    titles = {str(e["SUMMARY"]) for e in feed.values()}
    assert titles == {activity.title, recent.title}
    assert old.title not in titles
    url = reverse("neighborhoods:neighbourhood-calendar", args=[places["gjxc"].pk])
    feed = events(parse(client.get(url)))
    assert {str(e["SUMMARY"]) for e in feed.values()} == {gjxc_activity.title}
    assert client.get(reverse("neighborhoods:centre-calendar", args=[999999])).status_code == 404
    assert client.post(reverse("neighborhoods:centre-calendar", args=[fuxin.pk])).status_code == 405


def test_it_keeps_times_right_across_midnight_utc(client, fuxin):
    # 07:00 in Shanghai is 23:00 UTC the day before: the file must say 07:00 local.
    early = datetime.datetime(2024, 1, 28, 7, 0, tzinfo=SHANGHAI)
    activity = ActivityFactory(centre=fuxin, starts_at=early)
    body = client.get(reverse("neighborhoods:activity-calendar", args=[activity.pk])).content
    assert b"DTSTART;TZID=Asia/Shanghai:20240128T070000" in body
