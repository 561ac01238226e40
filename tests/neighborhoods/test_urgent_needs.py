"""Urgent needs (紧急): the form says to call 120 / 110 or the committee before sending; an
urgent report messages the zone's worker and the directors at once (a staff alert)."""

import pytest

from portal.messaging.gateways import outbox
from portal.messaging.testing import run_worker
from portal.models import Message, MessagePreference
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_outbox():
    outbox.clear()
    yield
    outbox.clear()


@pytest.fixture
def committee_phone(places):
    places["gjxc"].phone = "021-65430000"
    places["gjxc"].save(update_fields=["phone"])
    return "021-65430000"


def _report(client, urgency="urgent", description="家里老人摔倒了"):
    return client.post(
        "/me/needs/new/",
        {
            "category": "health",
            "urgency": urgency,
            "description": description,
            "sensitive_consent": "on",  # a health difficulty: the separate consent (PIPL)
        },
    )


def test_the_form_says_to_call_120_110_or_the_committee_before_sending(
    login, resident, committee_phone
):
    page = login(resident).get("/me/needs/new/").content.decode()
    assert "紧急情况请立即拨打 120 / 110，或居委会电话 021-65430000" in page
    assert 'href="tel:120"' in page and 'href="tel:021-65430000"' in page
    # Before the form's fields: read before anything is sent.
    assert page.index('id="urgent-notice"') < page.index('name="description"')


def test_the_form_still_says_120_110_without_a_committee_phone(login, resident):
    page = login(resident).get("/me/needs/new/").content.decode()
    assert "紧急情况请立即拨打 120 / 110。" in page


def test_an_urgent_report_messages_the_zone_worker_and_the_directors_at_once(
    login, resident, huyun, yangying, places
):
    huyun.phone, huyun.phone_verified = "13600000001", True  # only proved numbers are texted
    huyun.save(update_fields=["phone", "phone_verified"])
    # A director of 公交新村 without the zone is told too; a plain worker elsewhere is not.
    secretary = f.UserFactory(username="secretary", phone="13600000002", phone_verified=True)
    f.WorkerFactory(user=secretary, neighbourhood=places["gjxc"], position="党总支书记")
    colleague = f.UserFactory(username="colleague")
    f.WorkerFactory(user=colleague, neighbourhood=places["gjxc"], position="社区工作者")
    # Staff alerts cannot be switched off: a preference against SMS does not stop it.
    MessagePreference.objects.create(user=huyun, kind="need_urgent", sms=False)

    response = _report(login(resident))
    assert response.status_code == 302
    told = Message.objects.filter(kind="need_urgent")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["huyun", "secretary"]
    message = told.get(recipient=huyun)
    assert message.urgent and message.staff_alert
    assert "家里老人摔倒了" in message.body and "1号 302室" in message.subject
    assert message.url.startswith("/staff/needs/")
    run_worker()
    assert sorted(item.to for item in outbox.for_channel("sms")) == ["13600000001", "13600000002"]


def test_a_normal_report_messages_no_one(login, resident, huyun):
    _report(login(resident), urgency="normal", description="楼道灯坏了")
    assert not Message.objects.filter(kind="need_urgent").exists()


def test_a_double_tapped_urgent_report_messages_once(login, resident, huyun):
    client = login(resident)
    _report(client)
    _report(client)
    assert Message.objects.filter(kind="need_urgent", recipient=huyun).count() == 1
