"""Family members (家属): who may add and see what, revocation at once, and the family told
of a daily-watch alert within one worker cycle."""

import pytest
import time_machine
from django.utils import timezone

from neighborhoods.family.services import family_grant_add
from neighborhoods.models import FamilyGrant, WatchAlert, WatchAlertStep
from neighborhoods.watch.services import watch_alert_close, watch_alert_step_add, watch_mark
from portal.messaging.gateways import outbox
from portal.messaging.testing import run_worker
from portal.models import Delivery, Message
from tests import factories as f
from tests.neighborhoods.watch_helpers import LONG_AGO, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_outbox():
    outbox.clear()
    yield
    outbox.clear()


@pytest.fixture
def son(db):
    """周秀英's son, who lives in 浦东: an account of his own, linked to no household."""
    return f.UserFactory(
        username="zhouqiang", first_name="周强", phone="13700001234", phone_verified=True
    )


def _grant(household, member, by, **kinds):
    """A grant made a while ago (alerts are opened at 09:30 today, the grant shows those
    opened since it was made)."""
    grant = family_grant_add(
        household=household, member=member, by=by, via=FamilyGrant.Via.RESIDENT, **kinds
    )
    return _backdate(grant)


def _backdate(grant):
    FamilyGrant.objects.filter(pk=grant.pk).update(created=LONG_AGO)
    grant.created = LONG_AGO
    return grant


def _mark_not_seen(enrolment, by):
    """Mark the day check "not seen" at 09:30 (the day check opens at 06:00)."""
    with time_machine.travel(timezone.localtime().replace(hour=9, minute=30), tick=False):
        watch_mark(enrolment=enrolment, kind="day", status="not_seen", by=by)
    return WatchAlert.objects.get(watch_check__enrolment=enrolment)


# --- Adding and removing --------------------------------------------------------------------


def test_it_lets_a_resident_add_a_family_member_by_phone(login, resident, son, gjxc_household):
    response = login(resident).post(
        "/me/family/",
        {"account": "13700001234", "relation": "儿子", "watch_alerts": "on"},
    )
    assert response.status_code == 302
    grant = FamilyGrant.objects.get()
    assert (grant.household, grant.member, grant.via) == (gjxc_household, son, "resident")
    assert (grant.watch_alerts, grant.building_notices, grant.activity_reminders) == (
        True,
        False,
        False,
    )
    assert grant.granted_by == resident


def test_it_says_when_no_account_has_the_number_and_keeps_what_was_typed(login, resident):
    response = login(resident).post(
        "/me/family/", {"account": "13711112222", "relation": "女儿", "watch_alerts": "on"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请他们先注册" in page and "女儿" in page and "13711112222" in page
    assert not FamilyGrant.objects.exists()


def test_it_asks_for_at_least_one_kind_of_message(login, resident, son):
    response = login(resident).post("/me/family/", {"account": son.username})
    assert response.status_code == 400
    assert "至少选择一种" in response.content.decode()
    assert not FamilyGrant.objects.exists()


def test_it_refuses_to_add_someone_who_lives_in_the_household(login, resident, gjxc_household):
    wife = f.UserFactory(username="wife")
    f.ResidentFactory(household=gjxc_household, name="周红", user=wife)
    response = login(resident).post("/me/family/", {"account": "wife", "watch_alerts": "on"})
    assert response.status_code == 400
    assert not FamilyGrant.objects.exists()


def test_adding_again_updates_the_one_grant(login, resident, son):
    client = login(resident)
    client.post("/me/family/", {"account": son.username, "watch_alerts": "on"})
    client.post("/me/family/", {"account": son.username, "building_notices": "on"})
    grant = FamilyGrant.objects.get()
    assert (grant.watch_alerts, grant.building_notices) == (False, True)


def test_staff_add_a_family_member_only_with_the_elders_consent(login, huyun, son, gjxc_household):
    client = login(huyun)
    url = f"/staff/households/{gjxc_household.pk}/family/"
    response = client.post(url, {"account": son.phone, "watch_alerts": "on", "consent": " "})
    assert response.status_code == 400
    assert son.phone in response.content.decode()
    assert not FamilyGrant.objects.exists()
    response = client.post(
        url, {"account": son.phone, "watch_alerts": "on", "consent": "周阿婆当面同意"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/households/{gjxc_household.pk}/#family"
    grant = FamilyGrant.objects.get()
    assert (grant.via, grant.consent, grant.granted_by) == ("staff", "周阿婆当面同意", huyun)
    page = client.get(f"/staff/households/{gjxc_household.pk}/").content.decode()
    assert "周强" in page and "周阿婆当面同意" in page and "137****1234" in page


def test_staff_of_another_neighbourhood_cannot_add_or_remove(
    login, yangying, resident, son, gjxc_household
):
    grant = _grant(gjxc_household, son, resident)
    client = login(yangying)
    data = {"account": son.phone, "watch_alerts": "on", "consent": "同意"}
    assert client.post(f"/staff/households/{gjxc_household.pk}/family/", data).status_code == 404
    revoke = f"/staff/households/{gjxc_household.pk}/family/{grant.pk}/revoke/"
    assert client.post(revoke).status_code == 404
    grant.refresh_from_db()
    assert grant.is_active


# --- What a family member sees ----------------------------------------------------------------


def test_a_family_member_sees_only_the_households_granted(
    login, resident, son, huyun, gjxc_household, dhg_household, yangying
):
    mine = enrol(gjxc_household)
    theirs = enrol(dhg_household)
    _grant(gjxc_household, son, resident)
    # Another family's grant, of another household: never shown to the son.
    stranger_son = f.UserFactory(username="wangson")
    _backdate(
        family_grant_add(
            household=dhg_household,
            member=stranger_son,
            by=yangying,
            via=FamilyGrant.Via.STAFF,
            consent="王建国同意",
        )
    )
    _mark_not_seen(mine, huyun)
    _mark_not_seen(theirs, yangying)
    page = login(son).get("/me/family/").content.decode()
    assert str(gjxc_household) in page
    assert str(dhg_household) not in page and "5号" not in page
    assert page.count("未见") == 1  # one alert: his mother's, not the other household's


def test_a_family_member_sees_only_the_kinds_granted(login, resident, son, huyun, gjxc_household):
    _mark_not_seen(enrol(gjxc_household), huyun)
    _grant(gjxc_household, son, resident, watch_alerts=False)
    page = login(son).get("/me/family/").content.decode()
    assert str(gjxc_household) in page
    assert 'class="list watch-family-alerts"' not in page


def test_a_family_member_does_not_see_alerts_from_before_the_grant(
    login, resident, son, huyun, gjxc_household
):
    alert = _mark_not_seen(enrol(gjxc_household), huyun)
    grant = _grant(gjxc_household, son, resident)
    FamilyGrant.objects.filter(pk=grant.pk).update(created=alert.opened_at.replace(year=2100))
    page = login(son).get("/me/family/").content.decode()
    assert 'class="list watch-family-alerts"' in page and "未见" not in page


def test_a_revoked_grant_stops_at_once(login, resident, son, huyun, gjxc_household):
    enrolment = enrol(gjxc_household)
    grant = _grant(gjxc_household, son, resident)
    response = login(resident).post(f"/me/family/{grant.pk}/revoke/")
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == resident
    page = login(son).get("/me/family/").content.decode()
    assert str(gjxc_household) not in page
    _mark_not_seen(enrolment, huyun)  # the next alert: he is not told
    assert not Message.objects.filter(recipient=son).exists()


def test_a_family_member_may_stop_following_but_not_remove_others(
    login, resident, son, gjxc_household
):
    grant = _grant(gjxc_household, son, resident)
    other = _grant(gjxc_household, f.UserFactory(username="daughter"), resident)
    client = login(son)
    assert client.post(f"/me/family/{other.pk}/revoke/").status_code == 404
    assert client.post(f"/me/family/{grant.pk}/revoke/").status_code == 302
    grant.refresh_from_db()
    other.refresh_from_db()
    assert not grant.is_active and other.is_active


def test_removing_twice_says_so(login, resident, son, gjxc_household):
    grant = _grant(gjxc_household, son, resident)
    client = login(resident)
    client.post(f"/me/family/{grant.pk}/revoke/")
    assert client.post(f"/me/family/{grant.pk}/revoke/").status_code == 404


# --- Told of a daily-watch alert ----------------------------------------------------------------


def test_the_family_is_told_of_a_watch_alert_within_one_worker_cycle(
    login, resident, son, huyun, gjxc_household
):
    enrolment = enrol(gjxc_household)
    _grant(gjxc_household, son, resident)
    alert = _mark_not_seen(enrolment, huyun)

    message = Message.objects.get(recipient=son, kind="family_watch_alert_opened")
    assert str(gjxc_household) in message.subject and message.urgent
    assert message.url == "/me/family/"
    run_worker()  # one cycle of the queue's worker
    [sms] = outbox.for_channel("sms")
    assert sms.to == son.phone and "未见" in sms.text
    assert Delivery.objects.get(message=message).status == "sent"

    # The alert page says who in the family was told, when and how.
    page = login(huyun).get(f"/staff/watch/alerts/{alert.pk}/").content.decode()
    assert "周强" in page and "137****1234" in page and 'class="list family-told"' in page

    watch_alert_step_add(alert=alert, kind=WatchAlertStep.Kind.PHONED, by=huyun, note="接通")
    watch_alert_close(alert=alert, by=huyun, outcome=WatchAlert.Outcome.PHONED_FINE, note="内部")
    closed = Message.objects.get(recipient=son, kind="family_watch_alert_closed")
    assert "电话联系：平安" in closed.body and "内部" not in closed.body
    run_worker()
    assert len(outbox.for_channel("sms")) == 2
    page = login(son).get("/me/family/").content.decode()
    assert "电话联系：平安" in page


def test_a_missed_check_tells_the_family_too(resident, son, gjxc_household):
    from neighborhoods.watch.services import watch_open_missed

    _grant(gjxc_household, son, resident)
    enrol(gjxc_household)
    watch_open_missed()
    assert Message.objects.filter(recipient=son, kind="family_watch_alert_opened").exists()


def test_a_family_member_who_did_not_choose_watch_alerts_is_not_told(
    resident, son, huyun, gjxc_household
):
    _grant(gjxc_household, son, resident, watch_alerts=False)
    _mark_not_seen(enrol(gjxc_household), huyun)
    assert not Message.objects.filter(recipient=son).exists()


def test_the_same_opening_is_told_once(resident, son, huyun, gjxc_household):
    enrolment = enrol(gjxc_household)
    _grant(gjxc_household, son, resident)
    _mark_not_seen(enrolment, huyun)
    _mark_not_seen(enrolment, huyun)  # marked "not seen" again while the alert is open
    assert Message.objects.filter(recipient=son, kind="family_watch_alert_opened").count() == 1


# --- Query budgets ----------------------------------------------------------------------------


def test_it_keeps_the_family_page_within_a_query_budget(
    login, resident, son, huyun, gjxc_household, places, django_assert_max_num_queries
):
    """/me/family/ costs the same with one followed household and with three, each with
    alerts: grants, alerts and sign-ups are each one query (9 measured; the session, the
    user, their resident record, the idempotency check and the page's own)."""
    _grant(gjxc_household, son, resident)
    _mark_not_seen(enrol(gjxc_household), huyun)
    client = login(son)
    with django_assert_max_num_queries(10) as small:
        client.get("/me/family/")
    building = gjxc_household.building
    for room in ("401", "402"):
        household = f.HouseholdFactory(building=building, room=room)
        _backdate(
            family_grant_add(household=household, member=son, by=huyun, via="staff", consent="同意")
        )
        _mark_not_seen(enrol(household), huyun)
    with django_assert_max_num_queries(10) as large:
        page = client.get("/me/family/").content.decode()
    assert page.count("未见") == 3
    assert len(small.captured_queries) == len(large.captured_queries)


def test_it_keeps_the_alert_page_within_a_query_budget(
    login, resident, son, huyun, gjxc_household, django_assert_max_num_queries
):
    """The alert page's "family told" costs two queries, whatever the number told."""
    enrolment = enrol(gjxc_household)
    _grant(gjxc_household, son, resident)
    alert = _mark_not_seen(enrolment, huyun)
    client = login(huyun)
    url = f"/staff/watch/alerts/{alert.pk}/"
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for n in range(3):
        member = f.UserFactory(username=f"kin{n}", phone=f"1370000900{n}")
        _grant(gjxc_household, member, resident)
    Message.objects.filter(kind="family_watch_alert_opened").delete()
    WatchAlert.objects.filter(pk=alert.pk).update(closed_at=None)
    from neighborhoods.family.services import family_tell_alert_opened

    family_tell_alert_opened(alert, at=timezone.now())
    assert Message.objects.filter(kind="family_watch_alert_opened").count() == 4
    with django_assert_max_num_queries(30) as large:
        page = client.get(url).content.decode()
    assert page.count("告知了警报") == 4
    assert len(small.captured_queries) == len(large.captured_queries)


# --- Activity reminders and building notices --------------------------------------------------


def test_an_activity_reminder_reaches_the_family_who_chose_it(
    resident, son, huyun, gjxc_household, gjxc_activity
):
    """周阿婆 has no phone: staff signed her up; her son hears the reminder instead."""
    from neighborhoods.activities.services import signup_create, tell_reminder

    _grant(gjxc_household, son, resident, watch_alerts=False)
    elder = gjxc_household.residents.get(name="周秀英")
    signup = signup_create(activity=gjxc_activity, resident=elder, made_by=huyun)
    tell_reminder(signup)
    message = Message.objects.get(recipient=son, kind="activity_reminder")
    assert gjxc_activity.title in message.subject


def test_an_activity_reminder_does_not_reach_family_who_did_not_choose_it(
    resident, son, huyun, gjxc_household, gjxc_activity
):
    from neighborhoods.activities.services import signup_create, tell_reminder

    _grant(gjxc_household, son, resident, activity_reminders=False)
    elder = gjxc_household.residents.get(name="周秀英")
    tell_reminder(signup_create(activity=gjxc_activity, resident=elder, made_by=huyun))
    assert not Message.objects.filter(recipient=son).exists()


def test_a_neighbourhood_notice_reaches_the_family_who_chose_building_notices(
    resident, son, huyun, gjxc_household, places
):
    from notices.board.services import notice_create

    _grant(gjxc_household, son, resident, watch_alerts=False)
    other = f.UserFactory(username="otherkin")
    _grant(gjxc_household, other, resident, building_notices=False)
    fields = {"title": "二号楼水箱清洗通知", "body": "本周六对二号楼水箱进行清洗。"}
    notice_create(author=huyun, scope=places["gjxc"], fields=fields)
    message = Message.objects.get(recipient=son, kind="family_notice_published")
    assert "二号楼水箱清洗通知" in message.subject
    assert not Message.objects.filter(recipient=other).exists()
