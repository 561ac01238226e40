"""Calendar files (.ics, RFC 5545) of activities, made with the icalendar library.

Times are given in Asia/Shanghai with a VTIMEZONE, so a phone abroad still shows the time
the activity happens at home. Each activity keeps one UID (activity-<id>@<host>) for
ever; its SEQUENCE grows and LAST-MODIFIED moves on each change, so calendar apps that
subscribed to a feed replace the event instead of adding a second one, and a cancelled
activity stays in the feed with STATUS:CANCELLED so that it disappears from their calendars.
"""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from ..models import Activity

TZ = ZoneInfo(settings.TIME_ZONE)
# A feed also carries the recent past, so an activity cancelled last week updates too.
FEED_PAST_DAYS = 30


def site_host():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def activity_uid(activity):
    return f"activity-{activity.pk}@{site_host()}"


def _event(activity):
    url = settings.SITE_URL.rstrip("/") + activity.get_absolute_url()
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("summary", activity.title)
    event.add("dtstart", activity.starts_at.astimezone(TZ))
    event.add("dtend", activity.ends_at.astimezone(TZ))
    event.add("dtstamp", activity.updated.astimezone(datetime.UTC))
    event.add("last-modified", activity.updated.astimezone(datetime.UTC))
    event.add("created", activity.created.astimezone(datetime.UTC))
    event.add("sequence", activity.sequence)
    event.add("location", activity.place)
    event.add("url", url)
    event.add("description", f"{activity.host}\n\n{activity.description}\n\n{url}")
    event.add("status", "CANCELLED" if activity.is_cancelled else "CONFIRMED")
    return event


def calendar_for(activities, name):
    calendar = Calendar()
    calendar.add("prodid", "-//睦邻社区云//activities//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for activity in activities:
        calendar.add_component(_event(activity))
    calendar.add_missing_timezones()
    return calendar


def feed_activities(**host):
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    return Activity.objects.filter(ends_at__gte=since, **host).select_related(
        "centre", "neighbourhood"
    )


def ics_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
