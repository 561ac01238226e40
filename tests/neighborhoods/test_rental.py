"""Rehab-aid rental through HTTP: eligibility, the steps of a loan and its timeline, the
waiting list, overdue loans blocking, renewals, bad input, /me/ and /staff/, a need answered
by a loan, and the access record of the staff's pages."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from neighborhoods import models as nb
from neighborhoods.rental import services
from portal.exceptions import Refused
from portal.models import AccessLog
from portal.templatetags.words import day
from tests import factories as f

from .rental_fixtures import add_units, approved_loan, elder, lent_loan

Basis = nb.Loan.Basis


def loan_url(loan, step=""):
    name = f"neighborhoods:loan-{step}" if step else "neighborhoods:loan-detail"
    return reverse(name, args=[loan.pk])


# --- The eligibility rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "basis", "refused", "from_register"),
    [
        (60, Basis.AGE, False, True),  # 60 today: eligible, the register shows it
        (59, Basis.AGE, True, False),  # 59: the register says no
        (None, Basis.AGE, False, False),  # no date of birth: staff see the ID card
        (45, Basis.DISCHARGED, False, False),  # a doctor's note: always seen by staff
        (45, Basis.DISABILITY, False, False),  # no 残疾 tag: staff see the card
    ],
)
def test_it_checks_eligibility_against_the_register(
    places, wheelchair, years, basis, refused, from_register
):
    resident = f.ResidentFactory(
        household=f.HouseholdFactory(building=f.BuildingFactory(neighbourhood=places["gjxc"])),
        birth_date=f.born_years_ago(years) if years is not None else None,
    )
    rule = services.eligibility(resident=resident, item=wheelchair, basis=basis)
    assert (rule.refusal is not None) == refused
    assert rule.from_register == from_register


def test_it_takes_the_disability_card_from_the_register_tag(places, wheelchair):
    resident = elder(places, "钱明", years=40)
    resident.tags.add(nb.ResidentTag.objects.get_or_create(name="残疾", sensitive=True)[0])
    rule = services.eligibility(resident=resident, item=wheelchair, basis=Basis.DISABILITY)
    assert rule == services.Eligibility(None, True)


def test_it_refuses_a_basis_the_item_does_not_take(places, wheelchair):
    wheelchair.for_elderly = False
    wheelchair.save()
    rule = services.eligibility(resident=elder(places, "孙平"), item=wheelchair, basis=Basis.AGE)
    assert "不按这一条件出借" in rule.refusal or "not lent on that basis" in rule.refusal


# --- A resident asks; staff approve, lend, take back ------------------------------------------


def test_it_runs_a_loan_from_request_to_return_with_every_step_in_the_timeline(
    client, resident, huyun, wheelchair, gjxc_point
):
    (unit,) = add_units(gjxc_point, wheelchair, 1)
    client.force_login(resident)
    response = client.post(
        reverse("neighborhoods:aid-request", args=[wheelchair.pk]),
        {"point": gjxc_point.pk, "basis": Basis.DISCHARGED, "note": "刚出院"},
    )
    loan = nb.Loan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("neighborhoods:my-loan-detail", args=[loan.pk])
    assert loan.status == nb.Loan.Status.REQUESTED and not loan.basis_from_register

    client.force_login(huyun)
    # Without having seen the doctor's note, the approval is refused and nothing changes.
    client.post(loan_url(loan, "approve"), {})
    loan.refresh_from_db()
    assert loan.status == nb.Loan.Status.REQUESTED
    client.post(loan_url(loan, "approve"), {"confirmed": "on"})
    loan.refresh_from_db()
    assert loan.status == nb.Loan.Status.APPROVED and loan.basis_confirmed_by == huyun

    due = timezone.localdate() + datetime.timedelta(days=20)
    client.post(loan_url(loan, "lend"), {"unit": unit.pk, "due_date": due.isoformat()})
    loan.refresh_from_db()
    unit.refresh_from_db()
    assert (loan.status, loan.unit, loan.due_date) == (nb.Loan.Status.LENT, unit, due)
    assert unit.status == nb.AidUnit.Status.LENT

    client.force_login(resident)
    me = client.get(reverse("portal:me")).content.decode()
    assert "轮椅" in me and day(due) in me

    client.force_login(huyun)
    client.post(loan_url(loan, "return"), {"condition": "fair", "note": "扶手有划痕"})
    loan.refresh_from_db()
    unit.refresh_from_db()
    assert loan.status == nb.Loan.Status.RETURNED and loan.return_condition == "fair"
    assert (unit.status, unit.condition) == (nb.AidUnit.Status.AVAILABLE, "fair")
    kinds = list(loan.events.values_list("kind", flat=True))
    assert kinds == ["requested", "approved", "lent", "returned"]
    told = set(loan.notices.values_list("kind", flat=True))
    assert told == {nb.LoanNotice.Kind.APPROVED, nb.LoanNotice.Kind.LENT}


def test_it_keeps_what_the_resident_typed_when_the_register_says_no(
    client, resident, wheelchair, gjxc_point
):
    add_units(gjxc_point, wheelchair, 1)
    client.force_login(resident)  # 李梅 is 45
    response = client.post(
        reverse("neighborhoods:aid-request", args=[wheelchair.pk]),
        {"point": gjxc_point.pk, "basis": Basis.AGE, "note": "给婆婆借"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "给婆婆借" in page and ("未满60岁" in page or "under 60" in page)
    assert not nb.Loan.objects.exists()


def test_it_takes_a_double_request_once(client, resident, wheelchair, gjxc_point):
    add_units(gjxc_point, wheelchair, 1)
    url = reverse("neighborhoods:aid-request", args=[wheelchair.pk])
    client.force_login(resident)
    client.post(url, {"point": gjxc_point.pk, "basis": Basis.DISCHARGED})
    response = client.post(url, {"point": gjxc_point.pk, "basis": Basis.DISCHARGED, "note": "x"})
    assert response.status_code == 400
    assert nb.Loan.objects.count() == 1


def test_it_lets_the_resident_cancel_a_request(client, resident, wheelchair, gjxc_point):
    add_units(gjxc_point, wheelchair, 1)
    loan = services.loan_request(
        item=wheelchair,
        point=gjxc_point,
        resident=resident.resident_record,
        by=resident,
        basis=Basis.DISCHARGED,
    )
    client.force_login(resident)
    client.post(reverse("neighborhoods:my-loan-cancel", args=[loan.pk]))
    loan.refresh_from_db()
    assert loan.status == nb.Loan.Status.CANCELLED


def test_it_rejects_with_a_reason_the_person_is_told(client, huyun, places, wheelchair, gjxc_point):
    add_units(gjxc_point, wheelchair, 1)
    loan = services.loan_request(
        item=wheelchair, point=gjxc_point, resident=elder(places, "周阿婆"), by=huyun, basis="age"
    )
    client.force_login(huyun)
    empty = client.post(loan_url(loan, "reject"), {"reason": ""})
    assert empty.status_code == 400
    client.post(loan_url(loan, "reject"), {"reason": "请先归还上次借的助行器"})
    loan.refresh_from_db()
    assert loan.status == nb.Loan.Status.REJECTED and loan.reason == "请先归还上次借的助行器"
    assert loan.notices.get().kind == nb.LoanNotice.Kind.REJECTED


def test_it_answers_a_past_due_date_with_a_form_error(
    client, huyun, places, wheelchair, gjxc_point
):
    add_units(gjxc_point, wheelchair, 1)
    loan = approved_loan(wheelchair, gjxc_point, elder(places, "吴阿姨"), huyun)
    client.force_login(huyun)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(loan_url(loan, "lend"), {"due_date": yesterday.isoformat()})
    assert response.status_code == 400
    assert "应还日期必须在今天之后" in response.content.decode()
    loan.refresh_from_db()
    assert loan.status == nb.Loan.Status.APPROVED


# --- The waiting list, overdue loans, renewals ---------------------------------------------------


def test_it_serves_the_waiting_list_in_order_when_a_unit_comes_back(
    huyun, places, wheelchair, gjxc_point
):
    add_units(gjxc_point, wheelchair, 1)
    out = lent_loan(wheelchair, gjxc_point, elder(places, "甲", room="11"), huyun)
    first = approved_loan(wheelchair, gjxc_point, elder(places, "乙", room="12"), huyun)
    second = approved_loan(wheelchair, gjxc_point, elder(places, "丙", room="13"), huyun)
    assert first.status == second.status == nb.Loan.Status.WAITING

    _, served = services.loan_return(loan=out, by=huyun, condition="good")
    first.refresh_from_db()
    second.refresh_from_db()
    assert served == [first]
    assert (first.status, second.status) == (nb.Loan.Status.APPROVED, nb.Loan.Status.WAITING)
    assert first.notices.filter(kind=nb.LoanNotice.Kind.TURN).exists()
    assert first.events.filter(kind=nb.LoanEvent.Kind.TURN).exists()


def test_it_blocks_a_new_loan_while_one_is_overdue(huyun, places, wheelchair, gjxc_point):
    walker = nb.AidItem.objects.create(kind="walker", name="助行器")
    add_units(gjxc_point, wheelchair, 1)
    add_units(gjxc_point, walker, 1, prefix="ZXQ")
    person = elder(places, "马大爷")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=40)):
        lent_loan(wheelchair, gjxc_point, person, huyun)
    assert nb.Loan.objects.overdue().count() == 1
    with pytest.raises(Refused, match="逾期|overdue"):
        services.loan_request(item=walker, point=gjxc_point, resident=person, by=huyun, basis="age")


def test_it_renews_up_to_the_limit_and_not_while_others_wait(huyun, places, wheelchair, gjxc_point):
    add_units(gjxc_point, wheelchair, 1)
    loan = lent_loan(wheelchair, gjxc_point, elder(places, "甲", room="21"), huyun)
    due = loan.due_date
    loan = services.loan_renew(loan=loan, by=huyun)
    assert loan.due_date == due + datetime.timedelta(days=30) and loan.renewals == 1
    approved_loan(wheelchair, gjxc_point, elder(places, "乙", room="22"), huyun)  # waits
    with pytest.raises(Refused):
        services.loan_renew(loan=loan, by=huyun)


def test_it_stops_renewing_after_the_most_allowed(huyun, places, wheelchair, gjxc_point):
    add_units(gjxc_point, wheelchair, 1)
    loan = lent_loan(wheelchair, gjxc_point, elder(places, "甲", room="31"), huyun)
    for _ in range(nb.MAX_RENEWALS):
        loan = services.loan_renew(loan=loan, by=huyun)
    with pytest.raises(Refused):
        services.loan_renew(loan=loan, by=huyun)


def test_it_sends_each_due_reminder_once(huyun, places, wheelchair, gjxc_point):
    add_units(gjxc_point, wheelchair, 1)
    soon = timezone.localdate() + datetime.timedelta(days=2)
    loan = lent_loan(wheelchair, gjxc_point, elder(places, "甲", room="41"), huyun, due_date=soon)
    assert [services.reminder_send(loan) for loan in services.reminders_due()] == [True]
    assert list(services.reminders_due()) == []
    assert loan.notices.filter(kind=nb.LoanNotice.Kind.DUE).count() == 1


# --- Stock --------------------------------------------------------------------------------------


def test_it_adds_stock_at_a_centre_and_tells_a_taken_code(
    client, centre_staff, fuxin, wheelchair, centre_point
):
    add_units(centre_point, wheelchair, 1)
    taken = nb.AidUnit.objects.get().code
    client.force_login(centre_staff)
    url = reverse("neighborhoods:centre-aid-stock", args=[fuxin.pk])
    response = client.post(url, {"item": wheelchair.pk, "code": taken, "condition": "good"})
    assert response.status_code == 400 and taken in response.content.decode()
    response = client.post(url, {"item": wheelchair.pk, "code": "FX-LY-09", "condition": "new"})
    assert response.status_code == 302
    assert centre_point.units.filter(code="FX-LY-09").exists()


def test_a_unit_back_from_repair_serves_the_waiting_list(
    client, huyun, places, wheelchair, gjxc_point
):
    (unit,) = add_units(gjxc_point, wheelchair, 1)
    unit.status = nb.AidUnit.Status.REPAIR
    unit.save()
    waiting = approved_loan(wheelchair, gjxc_point, elder(places, "甲", room="51"), huyun)
    assert waiting.status == nb.Loan.Status.WAITING
    client.force_login(huyun)
    client.post(
        reverse("neighborhoods:aid-unit-update", args=[unit.pk]),
        {"status": "available", "condition": "good", "note": ""},
    )
    waiting.refresh_from_db()
    assert waiting.status == nb.Loan.Status.APPROVED


# --- /staff/, needs, the access record --------------------------------------------------------


def test_staff_see_loans_due_this_week_on_their_workspace(
    client, huyun, yangying, places, wheelchair, gjxc_point
):
    add_units(gjxc_point, wheelchair, 2)
    week = timezone.localdate() + datetime.timedelta(days=5)
    later = timezone.localdate() + datetime.timedelta(days=25)
    lent_loan(wheelchair, gjxc_point, elder(places, "本周还", room="61"), huyun, due_date=week)
    lent_loan(wheelchair, gjxc_point, elder(places, "月底还", room="62"), huyun, due_date=later)
    client.force_login(huyun)
    page = client.get(reverse("neighborhoods:staff-home")).content.decode()
    assert "本周还" in page and "月底还" not in page
    client.force_login(yangying)  # another neighbourhood: not theirs
    assert "本周还" not in client.get(reverse("neighborhoods:staff-home")).content.decode()


def test_a_need_is_answered_by_a_loan_linked_both_ways(
    client, huyun, gjxc_household, wheelchair, gjxc_point
):
    add_units(gjxc_point, wheelchair, 1)
    need = nb.Need.objects.create(
        household=gjxc_household,
        category="health",
        description="需要借一台轮椅，出院后行动不便。",
        raised_via=nb.Need.Via.VISIT,
    )
    client.force_login(huyun)
    form = client.get(reverse("neighborhoods:loan-create") + f"?need={need.pk}")
    assert "周秀英" in form.content.decode()  # the household's eldest is chosen
    response = client.post(
        reverse("neighborhoods:loan-create") + f"?need={need.pk}",
        {
            "item": wheelchair.pk,
            "point": gjxc_point.pk,
            "basis": Basis.DISCHARGED,
            "resident": gjxc_household.residents.get(name="周秀英").pk,
            "need": need.pk,
        },
    )
    loan = nb.Loan.objects.get()
    assert response.status_code == 302 and loan.need == need and loan.requested_by == huyun
    assert list(need.loans.all()) == [loan]
    page = client.get(reverse("neighborhoods:need-detail", args=[need.pk])).content.decode()
    assert reverse("neighborhoods:loan-detail", args=[loan.pk]) in page


def test_it_records_who_saw_a_loan(client, huyun, places, wheelchair, gjxc_point):
    add_units(gjxc_point, wheelchair, 1)
    loan = approved_loan(wheelchair, gjxc_point, elder(places, "甲", room="71"), huyun)
    client.force_login(huyun)
    assert client.get(loan_url(loan)).status_code == 200
    log = AccessLog.objects.get(action=AccessLog.Action.LOAN)
    assert (log.user, log.household_id) == (huyun, loan.resident.household_id)


def test_a_centre_staff_member_may_not_act_on_another_points_loan(
    client, centre_staff, huyun, places, wheelchair, gjxc_point
):
    add_units(gjxc_point, wheelchair, 1)
    loan = approved_loan(wheelchair, gjxc_point, elder(places, "甲", room="81"), huyun)
    client.force_login(centre_staff)
    assert client.post(loan_url(loan, "lend"), {}).status_code == 404
    loan.refresh_from_db()
    assert loan.status == nb.Loan.Status.APPROVED


def test_the_daily_job_reminds_once_and_run_jobs_schedules_it(
    huyun, places, wheelchair, gjxc_point
):
    from io import StringIO

    from django.core.management import call_command

    from portal.management.commands.run_jobs import DAILY

    add_units(gjxc_point, wheelchair, 1)
    soon = timezone.localdate() + datetime.timedelta(days=1)
    loan = lent_loan(wheelchair, gjxc_point, elder(places, "甲", room="91"), huyun, due_date=soon)
    out = StringIO()
    call_command("send_loan_reminders", stdout=out)
    call_command("send_loan_reminders", stdout=out)
    assert "1 loan reminders sent" in out.getvalue() and "0 loan reminders sent" in out.getvalue()
    assert loan.notices.filter(kind=nb.LoanNotice.Kind.DUE).count() == 1
    assert "send_loan_reminders" in dict(DAILY)
