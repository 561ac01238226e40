"""The small demo (`seed_demo --small`) reproduces the report's figures on /dashboard/.

At a tenth of the size 公交新村 has about 126 residents aged 14+, so its 上云率 can only be
the nearest whole resident to 84.25 % (106 of 126 = 84.13 %); the full demo is within
0.1 of it (test_dashboard_demo_full.py). The workforce is the district's, not scaled.
"""

import pytest
from django.urls import reverse

from neighborhoods.models import Neighbourhood
from portal.dashboard import services
from portal.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]


def gjxc():
    return Neighbourhood.objects.get(name="公交新村居民区")


def test_gongjiao_xincun_has_the_reports_registration_rate():
    rate = services.registration_rates("neighbourhood")[gjxc().pk]
    assert abs(rate.linked - 0.8425 * rate.counted) <= 0.5, (rate.linked, rate.counted)
    assert abs(rate.percent - 84.25) < 0.5


def test_gongjiao_xincun_is_first_and_the_others_spread_below():
    rates = services.registration_rates("neighbourhood")
    index = services.interaction_index()
    mine = gjxc().pk
    assert index[mine].index == 100 and index[mine].rank == 1
    others = [i.index for key, i in index.items() if key != mine]
    assert len(others) == 7 and max(others) < 100 and min(others) > 0
    assert all(r.percent < rates[mine].percent for key, r in rates.items() if key != mine)


def test_the_workforce_is_the_reports():
    _per_subdistrict, district = services.workforce()
    assert district.count == 2210
    assert abs(district.average_age - 44) <= 0.5
    assert abs(100 * district.college / district.count - 89) <= 1
    assert abs(100 * district.certified / district.count - 24) <= 1


def test_the_generated_accounts_cannot_sign_in(client):
    user = User.objects.get(username="gjxc-0001")
    assert user.resident_record.household.building.neighbourhood == gjxc()
    assert not user.has_usable_password()
    # As many as 上云率 still needs after the other demos linked theirs (volunteers, family).
    assert User.objects.filter(username__startswith="gjxc-").count() > 50


def test_the_dashboard_shows_it(client):
    client.force_login(User.objects.get(username="admin"))
    text = client.get(reverse("portal:dashboard")).text
    assert "2210" in text and "最美居民区社区工作者" in text and "胡云" in text
    client.force_login(User.objects.get(username="huyun"))
    response = client.get(reverse("portal:dashboard"))
    assert response.context["row"].interaction.index == 100
