"""/centres/coverage/: the 1510 picture, for district admins only."""

import pytest
from django.urls import reverse

from neighborhoods.models import WalkingDistance

from .centre_factories import CentreFactory, ProjectFactory

pytestmark = pytest.mark.django_db

URL = reverse("neighborhoods:centre-coverage")


def test_it_sends_a_visitor_to_sign_in(client, places):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("persona", ["resident", "huyun", "centre_staff", "stranger"])
def test_it_refuses_everyone_but_district_admins(request, login, persona):
    assert login(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_it_refuses_other_methods(login, admin):
    assert login(admin).post(URL).status_code == 405


def test_it_shows_which_neighbourhoods_have_a_centre_within_15_minutes(
    login, admin, places, centre
):
    """公交新村 walks 9 minutes to a centre with 10 services (1510 met); 定海港路 walks 19."""
    far = CentreFactory(subdistrict=places["dhg"].subdistrict, name="定海路睦邻中心")
    WalkingDistance.objects.create(neighbourhood=places["gjxc"], centre=centre, minutes=9)
    WalkingDistance.objects.create(neighbourhood=places["dhg"], centre=far, minutes=19)
    for i in range(10):
        ProjectFactory(centre=centre, title=f"服务{i}", is_service=True)
    for i in range(3):
        ProjectFactory(centre=far, title=f"服务{i}", is_service=True)
    response = login(admin).get(URL)
    assert response.status_code == 200
    coverage = response.context["coverage"]
    rows = {row.neighbourhood.name: row for row in coverage.neighbourhoods}
    assert rows["公交新村居民区"].meets_1510
    assert not rows["定海港路居民区"].within_walk
    assert coverage.neighbourhoods[0].neighbourhood.name == "定海港路居民区"  # the gap first
    assert [c.name for c in coverage.short_centres] == ["定海路睦邻中心"]
    html = response.content.decode()
    assert "超过15分钟" in html and "3 / 10" in html


def test_it_tells_a_near_centre_with_too_few_services_apart(login, admin, places, centre):
    WalkingDistance.objects.create(neighbourhood=places["gjxc"], centre=centre, minutes=5)
    ProjectFactory(centre=centre, is_service=True)
    response = login(admin).get(URL)
    rows = {row.neighbourhood.name: row for row in response.context["coverage"].neighbourhoods}
    assert rows["公交新村居民区"].within_walk and not rows["公交新村居民区"].meets_1510
    assert "中心在附近，服务项目不足" in response.content.decode()


def test_it_counts_another_year_when_asked(login, admin, centre):
    ProjectFactory(centre=centre, is_service=True, year=2023)
    response = login(admin).get(URL, {"year": "2023"})
    assert response.context["coverage"].year == 2023
    assert response.context["coverage"].centres[0].service_projects == 1


@pytest.mark.parametrize("year", ["abc", "1800", "-1"])
def test_it_answers_a_bad_year_with_a_form_error(login, admin, centre, year):
    response = login(admin).get(URL, {"year": year})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_it_lists_no_neighbourhood_without_recorded_walks_as_covered(login, admin, places):
    coverage = login(admin).get(URL).context["coverage"]
    assert coverage.reached == 0
    assert "尚未录入步行距离" in login(admin).get(URL).content.decode()
