"""Fixtures for rehab-aid rental: a wheelchair in the catalogue, the 公交新村 committee's point
(kept by huyun) and a centre's point (kept by `centre`), and helpers to make loans."""

import pytest

from neighborhoods import models as nb
from neighborhoods.rental import services
from tests import factories as f


@pytest.fixture
def wheelchair(db):
    return nb.AidItem.objects.create(kind="wheelchair", name="轮椅", deposit=200, loan_days=30)


@pytest.fixture
def gjxc_point(places):
    return nb.AidPoint.objects.create(neighbourhood=places["gjxc"])


@pytest.fixture
def centre_point(fuxin):
    return nb.AidPoint.objects.create(centre=fuxin)


def add_units(point, item, n, prefix="LY"):
    return [
        nb.AidUnit.objects.create(point=point, item=item, code=f"{prefix}-{point.pk}-{i:02d}")
        for i in range(1, n + 1)
    ]


def elder(places, name, years=75, username=None, room=None):
    """A present resident of 公交新村 aged `years` (with an account when `username`)."""
    if username:
        user = f.linked_resident(
            places["gjxc"], username, room=room or username[-3:], name=name,
            birth_date=f.born_years_ago(years),
        )  # fmt: skip
        return user.resident_record
    building = places["gjxc"].buildings.first() or f.BuildingFactory(neighbourhood=places["gjxc"])
    household = f.HouseholdFactory(building=building, room=room or f"{abs(hash(name)) % 900}")
    return f.ResidentFactory(household=household, name=name, birth_date=f.born_years_ago(years))


def approved_loan(item, point, resident, staff):
    loan = services.loan_request(
        item=item, point=point, resident=resident, by=staff, basis=nb.Loan.Basis.AGE
    )
    return services.loan_approve(loan=loan, by=staff)


def lent_loan(item, point, resident, staff, **lend):
    loan = approved_loan(item, point, resident, staff)
    return services.loan_lend(loan=loan, by=staff, **lend)
