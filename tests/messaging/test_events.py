"""Each resident-visible event reaches the inbox and the channels the person has."""

import datetime
import zoneinfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail

from neighborhoods.activities import services as activities
from neighborhoods.care.services import need_raise, need_refer, need_resolve, need_take
from neighborhoods.models import LinkRequest, Need
from neighborhoods.watch.services import watch_mark
from notices.board.services import follow_categories_set, notice_create
from notices.hall.services import topic_close
from notices.messages import tell_due_notice_followers
from notices.models import GuideQuestion, Suggestion, Support
from portal.messaging.gateways import outbox
from portal.messaging.testing import run_worker
from portal.models import Message, MessagePreference
from tests import factories as f
from tests.neighborhoods.activity_fixtures import ActivityFactory, fuxin  # noqa: F401
from tests.neighborhoods.watch_helpers import enrol
from tests.notices.topic_fixtures import guide, neighbour, suggestion, topic  # noqa: F401

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAYTIME = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _clean_outbox():
    outbox.clear()
    with time_machine.travel(DAYTIME, tick=False):
        yield
    outbox.clear()


def kinds_of(user):
    return list(Message.objects.filter(recipient=user).values_list("kind", flat=True))


def phone_only(username, phone):
    return f.UserFactory(username=username, phone=phone, phone_verified=True)


def test_link_approved_and_rejected(places, huyun, gjxc_household):
    applicant = phone_only("applicant", "13800138020")
    other = f.UserFactory(username="other", email="other@example.com", email_verified=True)
    approved = LinkRequest.objects.create(
        user=applicant, neighbourhood=places["gjxc"], building="1号", room="302", name="周秀英"
    )
    approved.approve(by=huyun, resident=gjxc_household.residents.get(name="周秀英"))
    rejected = LinkRequest.objects.create(
        user=other, neighbourhood=places["gjxc"], building="9号", room="1", name="某某"
    )
    rejected.reject(by=huyun, reason="登记表中没有这位居民")
    run_worker()
    assert kinds_of(applicant) == ["link_approved"]
    assert kinds_of(other) == ["link_rejected"]
    assert "登记表中没有这位居民" in Message.objects.get(recipient=other).body
    assert [i.to for i in outbox.for_channel("sms")] == ["13800138020"]
    assert [m.to for m in mail.outbox] == [["other@example.com"]]


def test_question_answered(guide, resident, huyun):  # noqa: F811
    resident.phone = "13800138021"
    resident.phone_verified = True  # only proved numbers are texted
    resident.save()
    question = GuideQuestion.objects.create(guide=guide, asker=resident, text="要带户口本吗？")
    question.record_answer(by=huyun, answer="要带。")
    question.record_answer(by=huyun, answer="要带原件。")  # an edited answer: told once
    run_worker()
    assert kinds_of(resident) == ["question_answered"]
    assert Message.objects.get(recipient=resident).url == f"/services/guides/{guide.pk}/"
    assert len(outbox.for_channel("sms")) == 1


def test_need_status_changes_reach_the_household(gjxc_household, huyun, resident):
    resident.phone = "13800138022"
    resident.phone_verified = True  # only proved numbers are texted
    resident.save()
    need = need_raise(
        household=gjxc_household,
        by=resident,
        via=Need.Via.RESIDENT,
        category=Need.Category.HOUSING,
        description="厨房水管漏水",
    )
    need_take(need=need, by=huyun)
    need_resolve(need=need, by=huyun, resolution="已请物业修好。")
    other = need_raise(
        household=gjxc_household,
        by=huyun,
        via=Need.Via.STAFF,
        category=Need.Category.DISPUTE,
        description="邻里噪音",
    )
    need_refer(need=other, by=huyun, body=Need.Body.PROPERTY)
    run_worker()
    subjects = list(
        Message.objects.filter(recipient=resident).order_by("pk").values_list("subject", "body")
    )
    assert len(subjects) == 3
    assert "已请物业修好。" in subjects[1][1]
    assert "物业" in subjects[2][1]
    assert len(outbox.for_channel("sms")) == 3


def test_topic_outcome_reaches_every_participant_whatever_channel(
    huyun,
    topic,  # noqa: F811
    suggestion,  # noqa: F811
    neighbour,  # noqa: F811
):
    supporter = phone_only("supporter", "13800138023")
    Support.objects.create(suggestion=suggestion, user=supporter)
    nothing = f.UserFactory(username="nochannel")
    Suggestion.objects.create(topic=topic, author=nothing, text="加装路灯")
    topic_close(topic=topic, by=huyun, outcome="九月动工。")
    run_worker()
    for person in (neighbour, supporter, nothing):
        assert kinds_of(person) == ["topic_outcome"]
    assert [i.to for i in outbox.for_channel("sms")] == ["13800138023"]
    assert [m.to for m in mail.outbox] == [["wangfang@example.com"]]
    assert "九月动工。" in mail.outbox[0].body


def test_activity_promoted_reminded_and_cancelled(fuxin, places):  # noqa: F811
    activity = ActivityFactory(
        centre=fuxin, capacity=1, starts_at=DAYTIME + datetime.timedelta(days=1)
    )
    first = f.linked_resident(places["gjxc"], "first", "501", "甲")
    second = f.linked_resident(places["gjxc"], "second", "502", "乙")
    second.phone = "13800138024"
    second.phone_verified = True  # only proved numbers are texted
    second.save()
    one = activities.signup_create(activity=activity, user=first)
    activities.signup_create(activity=activity, user=second)
    activities.signup_cancel(signup=one, by=first)
    activities.activity_cancel(activity=activity, by=activity.created_by)
    run_worker()
    assert sorted(kinds_of(second)) == ["activity_cancelled", "activity_promoted"]
    assert len(outbox.for_channel("sms")) == 2
    assert activity.title in outbox.for_channel("sms")[0].text


def test_notice_published_to_followers_in_its_area(places, huyun, resident, yangying):
    resident.email = "limei@example.com"
    resident.save()
    EmailAddress.objects.create(user=resident, email=resident.email, verified=True, primary=True)
    follow_categories_set(user=resident, categories=["water"])
    elsewhere = f.linked_resident(places["dhg"], "elsewhere", "101", "外区", "x@example.com")
    follow_categories_set(user=elsewhere, categories=["water"])
    fields = {"title": "停水通知", "body": "周六停水。", "category": "water"}
    notice = notice_create(author=huyun, scope=places["gjxc"], fields=fields)
    notice_create(author=huyun, scope=places["gjxc"], fields={**fields, "category": "culture"})
    later = notice_create(
        author=huyun,
        scope=places["gjxc"],
        fields={**fields, "title": "再次停水", "publish_at": DAYTIME + datetime.timedelta(hours=2)},
    )
    assert kinds_of(resident) == ["notice_published"]  # the scheduled one not yet
    assert kinds_of(elsewhere) == []
    with time_machine.travel(DAYTIME + datetime.timedelta(hours=3), tick=False):
        assert tell_due_notice_followers() == 1
        assert tell_due_notice_followers() == 0
        run_worker()
    urls = list(Message.objects.filter(recipient=resident).values_list("url", flat=True))
    assert sorted(urls) == sorted([notice.get_absolute_url(), later.get_absolute_url()])
    assert len(mail.outbox) == 2
    assert outbox.for_channel("sms") == []  # not texted: inbox, WeChat and email only


def test_watch_alert_reaches_the_zone_worker_whatever_their_choices(gjxc_household, huyun):
    huyun.phone = "13800138025"
    huyun.phone_verified = True  # only proved numbers are texted
    huyun.save()
    MessagePreference.objects.create(user=huyun, kind="watch_alert_opened", sms=False)
    enrolment = enrol(gjxc_household)
    watch_mark(enrolment=enrolment, kind="day", status="not_seen", by=huyun)
    run_worker()
    (message,) = Message.objects.filter(recipient=huyun, kind="watch_alert_opened")
    assert message.urgent and message.staff_alert
    assert message.url.startswith("/staff/watch/alerts/")
    # A staff alert cannot be switched off (and is urgent: no quiet hours for it).
    assert [i.to for i in outbox.for_channel("sms")] == ["13800138025"]
