"""The places of a shift under real concurrency: threads on their own connections."""

import pytest

from portal.exceptions import Refused
from tests.concurrency import run_concurrently
from volunteers.shifts import services

from .fixtures import make_shift, make_volunteer

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 12
PLACES = 3


def test_it_never_confirms_more_than_needed_under_concurrent_sign_ups(places, wenhua, opportunity):
    shift = make_shift(opportunity, needed=PLACES)
    people = [make_volunteer(places["gjxc"], f"v{i}", f"志愿者{i}") for i in range(PEOPLE)]
    # Every second person taps twice at once: one row each, never two.
    taps = people + people[::2]

    def sign_up(i):
        try:
            return services.shift_signup(shift=shift, volunteer=taps[i]).status
        except Refused:
            return "refused"

    outcome = run_concurrently(sign_up, len(taps))
    assert outcome.errors == []
    assert outcome.values.count("confirmed") == PLACES
    assert outcome.values.count("waitlisted") == PEOPLE - PLACES
    assert outcome.values.count("refused") == len(people[::2])
    assert shift.signups.confirmed().count() == PLACES
    positions = list(shift.signups.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, PEOPLE + 1))


def test_concurrent_cancellations_promote_exactly_as_many_as_freed(places, wenhua, opportunity):
    shift = make_shift(opportunity, needed=PLACES)
    people = [make_volunteer(places["gjxc"], f"v{i}", f"志愿者{i}") for i in range(8)]
    signups = [services.shift_signup(shift=shift, volunteer=p) for p in people]
    confirmed = signups[:PLACES]

    def cancel(i):
        return services.shift_cancel(signup=confirmed[i], by=people[i])

    outcome = run_concurrently(cancel, PLACES)
    assert outcome.errors == []
    assert shift.signups.confirmed().count() == PLACES
    promoted = set(shift.signups.confirmed().values_list("volunteer", flat=True))
    assert promoted == {p.pk for p in people[PLACES : 2 * PLACES]}
