"""Referrals that come back: a need handed to 物业 or the 12345 hotline is followed until
their reply, then resolved or re-opened; the resident sees each step in plain words."""

import datetime

import pytest
from django.utils import timezone

from neighborhoods.models import Need, NeedAction
from portal.models import Message
from portal.templatetags.words import day

from .visit_factories import NeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(gjxc_household, huyun, resident):
    need = NeedFactory(
        household=gjxc_household, owner=huyun, raised_by=resident, description="楼道灯坏了"
    )
    need.actions.create(actor=resident, kind=NeedAction.Kind.RAISED)
    return need


def _refer(client, need, **data):
    promised = timezone.localdate() + datetime.timedelta(days=5)
    fields = {
        "body": "hotline_12345",
        "reference": "SH20261201-0042",
        "promised": promised.isoformat(),
        "note": "内部：第三次报修",
        **data,
    }
    return client.post(f"/staff/needs/{need.pk}/refer/", fields)


def test_it_records_the_referral_and_tells_the_resident_in_plain_words(
    login, huyun, resident, need
):
    response = _refer(login(huyun), need)
    assert response.status_code == 302
    need.refresh_from_db()
    promised = timezone.localdate() + datetime.timedelta(days=5)
    assert need.status == "referred" and need.referral_body == "hotline_12345"
    assert need.referral_reference == "SH20261201-0042"
    assert need.referral_promised == promised
    assert need.referred_to == "12345 市民服务热线"  # the body's name when no office is given

    page = login(resident).get("/me/needs/").content.decode()
    assert "已转交 12345 市民服务热线" in page and "SH20261201-0042" in page
    assert f"对方承诺 {day(promised)} 前答复" in page
    assert f"对方承诺 {day(promised)} 前答复" in Message.objects.get(recipient=resident).body
    assert "第三次报修" not in page

    message = Message.objects.get(recipient=resident, kind="need_status_changed")
    assert "SH20261201-0042" in message.body and "第三次报修" not in message.body
    assert message.url == "/me/needs/"


def test_it_follows_the_loop_reply_then_resolve(login, huyun, resident, need):
    client = login(huyun)
    _refer(client, need)
    response = client.post(f"/staff/needs/{need.pk}/reply/", {"reply": "物业已于周三更换灯泡"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "referred" and need.referral_reply == "物业已于周三更换灯泡"
    assert need.referral_replied_at is not None
    # A second reply is refused: the loop moves on to resolve or re-open.
    client.post(f"/staff/needs/{need.pk}/reply/", {"reply": "又一次"})
    assert need.actions.filter(kind="reply").count() == 1

    response = client.post(f"/staff/needs/{need.pk}/resolve/", {"resolution": "灯已修好"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "resolved" and need.closed is not None

    page = login(resident).get("/me/needs/").content.decode()
    assert "物业已于周三更换灯泡" in page and "已解决：" in page and "灯已修好" in page
    kinds = list(NeedAction.objects.filter(need=need).values_list("kind", flat=True))
    assert kinds == ["raised", "referred", "reply", "resolved"]
    told = Message.objects.filter(recipient=resident, kind="need_status_changed")
    assert told.count() == 3  # referred, their reply, resolved


def test_it_reopens_a_referral_that_did_not_solve_it(login, huyun, resident, need):
    client = login(huyun)
    _refer(client, need)
    response = client.post(f"/staff/needs/{need.pk}/reopen/", {"note": "物业未上门"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.status, need.closed) == ("in_progress", None)
    page = login(resident).get("/me/needs/").content.decode()
    assert "居委会已重新接手" in page and "物业未上门" in page
    # Open again: it can be referred a second time, each referral shown as it was.
    _refer(login(huyun), need, body="property", reference="WY-7")
    page = login(resident).get("/me/needs/").content.decode()
    assert "SH20261201-0042" in page and "WY-7" in page


def test_it_asks_for_a_reopen_reason_and_keeps_the_need_referred(login, huyun, need):
    client = login(huyun)
    _refer(client, need)
    response = client.post(f"/staff/needs/{need.pk}/reopen/", {"note": ""})
    assert response.status_code == 400
    need.refresh_from_db()
    assert need.status == "referred"


def test_it_refuses_a_reply_to_a_need_that_was_not_referred(login, huyun, need):
    response = login(huyun).post(f"/staff/needs/{need.pk}/reply/", {"reply": "答复"}, follow=True)
    assert response.status_code == 200
    assert "没有在等待转交单位的答复" in response.content.decode()
    assert not need.actions.filter(kind="reply").exists()


def test_it_refuses_a_promised_date_in_the_past_and_keeps_what_was_typed(login, huyun, need):
    response = _refer(login(huyun), need, promised="2020-01-01")
    assert response.status_code == 400
    page = response.content.decode()
    assert "承诺答复日期不能早于今天" in page and "SH20261201-0042" in page
    need.refresh_from_db()
    assert need.status == "open"


def test_it_asks_which_body_for_other(login, huyun, need):
    response = _refer(login(huyun), need, body="other", referred_to="")
    assert response.status_code == 400
    assert "请填写转交的单位" in response.content.decode()


def test_staff_of_another_neighbourhood_cannot_act_on_the_referral(login, huyun, yangying, need):
    _refer(login(huyun), need)
    client = login(yangying)
    assert client.post(f"/staff/needs/{need.pk}/reply/", {"reply": "x"}).status_code == 404
    assert client.post(f"/staff/needs/{need.pk}/reopen/", {"note": "x"}).status_code == 404


def test_overdue_referrals_show_on_the_staff_home_until_they_answer(login, huyun, need):
    client = login(huyun)
    _refer(client, need)
    Need.objects.filter(pk=need.pk).update(
        referral_promised=timezone.localdate() - datetime.timedelta(days=1)
    )
    page = client.get("/staff/").content.decode()
    assert 'class="list overdue-referrals"' in page and "SH20261201-0042" in page
    assert f"/staff/needs/{need.pk}/" in page
    client.post(f"/staff/needs/{need.pk}/reply/", {"reply": "已派人处理"})
    page = client.get("/staff/").content.decode()
    assert 'class="list overdue-referrals"' not in page


def test_overdue_referrals_of_another_neighbourhood_are_not_shown(login, huyun, yangying, need):
    _refer(login(huyun), need)
    Need.objects.filter(pk=need.pk).update(
        referral_promised=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert "overdue-referrals" not in login(yangying).get("/staff/").content.decode()


@pytest.mark.parametrize("n", [2, 8])
def test_it_keeps_the_staff_home_within_a_query_budget_with_overdue_referrals(
    login, huyun, gjxc_household, n, django_assert_max_num_queries
):
    """The overdue referrals are one query, whatever their number (the staff home's budget
    of tests/neighborhoods/test_coverage.py)."""
    past = timezone.localdate() - datetime.timedelta(days=3)
    for i in range(n):
        NeedFactory(
            household=gjxc_household,
            status="referred",
            referred_to="物业",
            referral_body="property",
            referral_reference=f"WY-{i}",
            referral_promised=past,
        )
    client = login(huyun)
    client.get("/staff/")
    # 20 + the guides' waiting questions (count, oldest three), loans due back this week, my honours
    with django_assert_max_num_queries(24):
        page = client.get("/staff/").content.decode()
    assert page.count("WY-") == n
