"""Family grants under real concurrent transactions: two people adding the same family
member at once make one grant; two revoking it at once revoke it once."""

import pytest

from neighborhoods.family.services import family_grant_add, family_grant_revoke
from neighborhoods.models import FamilyGrant
from portal.exceptions import Refused
from tests import conftest as personas
from tests import factories as f
from tests.concurrency import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    places = personas.build_places()
    huyun = personas.build_huyun(places)
    household = personas.build_gjxc_household(places)
    resident = personas.build_resident(household)
    son = f.UserFactory(username="zhouqiang", phone="13700001234")
    return {"huyun": huyun, "household": household, "resident": resident, "son": son}


def test_two_adds_at_once_make_one_grant(world):
    def add(i):
        try:
            return family_grant_add(
                household=world["household"],
                member=world["son"],
                by=world["resident"] if i % 2 else world["huyun"],
                via=FamilyGrant.Via.RESIDENT if i % 2 else FamilyGrant.Via.STAFF,
                consent="" if i % 2 else "周阿婆当面同意",
            )
        except Refused as refusal:
            return refusal

    outcome = run_concurrently(add, 4)
    assert outcome.errors == []
    assert FamilyGrant.objects.active().filter(member=world["son"]).count() == 1
    grants = [v for v in outcome.values if isinstance(v, FamilyGrant)]
    assert grants  # at least one add went through; the others updated it or were told


def test_two_revokes_at_once_revoke_once(world):
    grant = family_grant_add(
        household=world["household"],
        member=world["son"],
        by=world["resident"],
        via=FamilyGrant.Via.RESIDENT,
    )
    by = [world["resident"], world["huyun"]]

    def revoke(i):
        try:
            return family_grant_revoke(grant=grant, by=by[i])
        except Refused as refusal:
            return refusal

    outcome = run_concurrently(revoke, 2)
    assert outcome.errors == []
    assert sum(isinstance(v, Refused) for v in outcome.values) == 1
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by in by
