"""The consent vote's rule (PRC Civil Code art. 278, 改建、重建) at its exact boundaries.

At least 2/3 of the floor area AND at least 2/3 of the households take part; of those taking
part at least 3/4 by floor area AND 3/4 by households agree. "以上" includes the figure
itself. The floor areas below are chosen so that the figure by area and the one by
headcount disagree: each threshold must be checked on its own.
"""

from decimal import Decimal

import pytest
from django.utils import translation

from neighborhoods.models import Ballot
from neighborhoods.votes.services import tally_from

AGREE, DISAGREE, ABSTAIN = Ballot.Choice.AGREE, Ballot.Choice.DISAGREE, Ballot.Choice.ABSTAIN


@pytest.fixture(autouse=True)
def _in_english():
    """The plain words are read in English here (and in Chinese in one test below)."""
    with translation.override("en"):
        yield


def tally(areas, choices):
    """areas: floor areas of households 1..n; choices: {household number: choice}."""
    roll = {n: Decimal(str(area)) for n, area in enumerate(areas, start=1)}
    return tally_from(roll, choices)


def met(t):
    return {figure.key: figure.met for figure in t.figures}


def test_it_passes_with_every_figure_exactly_at_its_threshold():
    """6 households, 4 take part (2/3); 100 of 150 m² take part (2/3); 3 of the 4 agree
    (3/4); 75 of the 100 m² agree (3/4): "以上" includes the figure, so it passes."""
    t = tally([25, 25, 25, 25, 25, 25], {1: AGREE, 2: AGREE, 3: AGREE, 4: DISAGREE})
    assert met(t) == dict.fromkeys(met(t), True)
    assert t.passed


def test_it_fails_a_hundredth_of_a_square_metre_below_three_quarters_by_area():
    t = tally([25, 25, 24.99, 25.01, 25, 25], {1: AGREE, 2: AGREE, 3: AGREE, 4: DISAGREE})
    assert met(t) == {
        "participation_households": True,
        "participation_area": True,
        "agreement_households": True,
        "agreement_area": False,
    }
    assert not t.passed
    assert t.agreement_area.needed == ("Of the floor area that took part, 0.01 m² more must agree.")


def test_it_fails_when_two_thirds_of_households_but_not_of_the_area_take_part():
    """Households 2 and 3 take part: 2 of 3 households (2/3, met), 100 of 200 m² (1/2)."""
    t = tally([100, 50, 50], {2: AGREE, 3: AGREE})
    assert met(t)["participation_households"] is True
    assert met(t)["participation_area"] is False
    assert not t.passed
    # 2/3 of 200 m² is 133.33… m²; 100 took part: 33.34 m² (rounded up) more.
    assert t.participation_area.needed == "33.34 m² more must take part."


def test_it_fails_when_two_thirds_of_the_area_but_not_of_households_take_part():
    """The owner of the large flat alone: 200 of 300 m² (2/3 exactly, met), 1 of 4 households."""
    t = tally([200, 50, 25, 25], {1: AGREE})
    assert met(t)["participation_area"] is True
    assert met(t)["participation_households"] is False
    assert t.participation_households.needed == "2 more households must take part."
    assert not t.passed


def test_it_counts_two_thirds_of_the_area_exactly_and_not_a_hundredth_less():
    exactly = tally([66.67, 33.33], {1: DISAGREE})  # 66.67 ≥ 66.666…
    below = tally([66.66, 33.34], {1: DISAGREE})
    assert exactly.participation_area.met
    assert not below.participation_area.met


def test_it_fails_when_three_quarters_of_households_but_not_of_the_area_agree():
    """3 of 4 take-part households agree (3/4, met) but hold 30 of 120 m² (1/4)."""
    t = tally([10, 10, 10, 90], {1: AGREE, 2: AGREE, 3: AGREE, 4: DISAGREE})
    assert met(t)["agreement_households"] is True
    assert met(t)["agreement_area"] is False
    assert not t.passed


def test_it_fails_when_three_quarters_of_the_area_but_not_of_households_agree():
    """The large flat agrees: 90 of 120 m² (3/4 exactly, met), 1 of 4 households (1/4)."""
    t = tally([10, 10, 10, 90], {1: DISAGREE, 2: DISAGREE, 3: DISAGREE, 4: AGREE})
    assert met(t)["agreement_area"] is True
    assert met(t)["agreement_households"] is False
    assert t.agreement_households.needed == (
        "Of the 4 households that took part, 2 more must agree."
    )
    assert not t.passed


@pytest.mark.parametrize(
    ("voted", "expected"),
    [(3, False), (4, True)],  # of 6 households: 3 is 1/2, 4 is 2/3 (met, inclusive)
)
def test_it_counts_two_thirds_of_households_inclusively(voted, expected):
    t = tally([10] * 6, dict.fromkeys(range(1, voted + 1), AGREE))
    assert t.participation_households.met is expected


@pytest.mark.parametrize(("agree", "expected"), [(5, False), (6, True)])
def test_it_counts_three_quarters_of_households_inclusively(agree, expected):
    """8 take part: 6 agreeing is 3/4 exactly (met), 5 is not."""
    choices = {n: AGREE if n <= agree else DISAGREE for n in range(1, 9)}
    t = tally([10] * 9, choices)
    assert t.agreement_households.met is expected


def test_it_counts_an_abstention_as_taking_part_but_not_as_agreeing():
    t = tally([10, 10, 10, 10], {1: AGREE, 2: AGREE, 3: AGREE, 4: ABSTAIN})
    assert t.voted == 4 and t.agree == 3 and t.abstain == 1
    assert t.participation_households.met and t.agreement_households.met  # 3/4 exactly
    t = tally([10, 10, 10, 10], {1: AGREE, 2: AGREE, 3: ABSTAIN, 4: ABSTAIN})
    assert not t.agreement_households.met


def test_it_says_what_is_missing_when_no_one_has_voted():
    t = tally([50, 60], {})
    assert not t.passed
    assert t.participation_households.needed == "2 more households must take part."
    assert t.participation_area.needed == "73.34 m² more must take part."
    assert t.agreement_households.needed == "No household has voted yet."


def test_it_says_what_is_missing_in_chinese():
    with translation.override("zh-hans"):
        t = tally([40, 40, 40, 40, 40, 40], {1: AGREE})
        assert t.participation_households.needed == "还需 3 户参与表决。"
        assert t.participation_area.needed == "还需 120.00 平方米参与表决。"


def test_it_ignores_ballots_of_households_not_on_the_roll():
    t = tally([10, 10, 10], {1: AGREE, 2: AGREE, 99: DISAGREE})
    assert t.voted == 2 and t.disagree == 0


def test_it_shows_shares_rounded_down_so_a_figure_short_of_its_threshold_never_reads_as_met():
    """2 of 3 is 66.66…%: shown 66.6%; 199.99 of 300 m² is 66.663…%: also 66.6%, and unmet."""
    t = tally([199.99, 50, 50.01], {1: AGREE})
    assert t.participation_area.percent == Decimal("66.6")
    assert not t.participation_area.met
