"""Rental steps reach the borrower as messages too, in their language."""

import pytest

from neighborhoods.rental import services as rental
from portal.messaging.testing import run_worker
from portal.models import Message

from .rental_fixtures import add_units

pytestmark = pytest.mark.django_db


def test_a_rejected_loan_reaches_the_borrower_in_chinese_and_not_the_staff(
    resident, huyun, wheelchair, gjxc_point
):
    add_units(gjxc_point, wheelchair, 1)
    loan = rental.loan_request(
        item=wheelchair,
        point=gjxc_point,
        resident=resident.resident,
        by=resident,
        basis="discharged",
    )
    rental.loan_reject(loan=loan, by=huyun, reason="请先归还上次借的助行器")
    run_worker()
    message = Message.objects.get(kind="loan_rejected")
    assert message.recipient == resident
    assert message.subject == "您的申请未通过"
    assert "轮椅" in message.body and "请先归还上次借的助行器" in message.body
    assert "not approved" not in message.body
    assert not Message.objects.filter(recipient=huyun).exists()


def test_a_staff_request_on_someone_s_behalf_tells_only_the_borrower(
    resident, huyun, wheelchair, gjxc_point
):
    add_units(gjxc_point, wheelchair, 1)
    loan = rental.loan_request(
        item=wheelchair, point=gjxc_point, resident=resident.resident, by=huyun, basis="discharged"
    )
    rental.loan_reject(loan=loan, by=huyun, reason="名额已满")
    assert list(Message.objects.values_list("recipient__username", flat=True)) == ["resident"]
