"""The full demo (`seed_demo`, built afresh) gives 公交新村 the report's 84.25 % ± 0.1."""

from io import StringIO

import pytest
from django.core.management import call_command

from neighborhoods.models import Neighbourhood
from portal.dashboard import services

pytestmark = pytest.mark.django_db


def test_the_full_demo_has_the_reports_figures():
    call_command("seed_demo", stdout=StringIO(), password="seed-demo-pw-1")
    gjxc = Neighbourhood.objects.get(name="公交新村居民区")
    rate = services.registration_rates("neighbourhood")[gjxc.pk]
    assert abs(rate.percent - 84.25) <= 0.1, (rate.linked, rate.counted)
    index = services.interaction_index()
    assert (index[gjxc.pk].index, index[gjxc.pk].rank) == (100, 1)
    _per_subdistrict, district = services.workforce()
    assert district.count == 2210
    assert abs(district.average_age - 44) <= 0.5
    assert abs(100 * district.college / district.count - 89) <= 1
    assert abs(100 * district.certified / district.count - 24) <= 1
