"""The public centre pages: /centres/ with its filters and /centres/<id>/."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

from .centre_factories import (
    AdvisorFactory,
    CentreFactory,
    OrganisationFactory,
    ProjectFactory,
    RatingFactory,
    TalentFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("neighborhoods:centre-list")


def detail(centre):
    return reverse("neighborhoods:centre-detail", args=[centre.pk])


@pytest.mark.parametrize("persona", [None, "resident", "huyun", "centre_staff", "admin"])
def test_it_lists_centres_for_everyone(request, client, centre, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    html = client.get(LIST).content.decode()
    assert "文化佳园睦邻中心" in html
    assert "上海市杨浦区佳邻社会工作服务社" in html
    assert "5星" in html  # the 2023 rating, the latest year rated
    assert "公交新村居民区" in html  # neighbourhoods served


def test_it_filters_centres_by_subdistrict_and_stars(client, places, centre):
    other = CentreFactory(subdistrict=places["dhg"].subdistrict, name="定海路睦邻中心")
    RatingFactory(centre=other, year=2023, stars=3)
    html = client.get(LIST, {"subdistrict": places["dhg"].subdistrict.pk}).content.decode()
    assert "定海路睦邻中心" in html and "文化佳园睦邻中心" not in html
    html = client.get(LIST, {"stars": "5"}).content.decode()
    assert "文化佳园睦邻中心" in html and "定海路睦邻中心" not in html


@pytest.mark.parametrize(
    "query", [{"stars": "9"}, {"stars": "abc"}, {"subdistrict": "abc"}, {"subdistrict": "99999"}]
)
def test_it_answers_bad_filters_with_a_form_error(client, centre, query):
    response = client.get(LIST, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error"' in html
    assert "文化佳园睦邻中心" in html  # all centres shown, nothing lost


def test_it_refuses_other_methods(client, centre):
    assert client.post(LIST).status_code == 405
    assert client.post(detail(centre)).status_code == 405


@pytest.mark.parametrize("persona", [None, "resident", "huyun", "centre_staff", "admin"])
def test_it_shows_a_centre_page_to_everyone(request, client, centre, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(detail(centre))
    assert response.status_code == 200
    html = response.content.decode()
    assert "周一至周日 8:30–20:00" in html and "021-65000000" in html
    assert "社工机构" in html  # the organisation's kind


def test_it_answers_404_for_a_centre_that_does_not_exist(client, places):
    assert client.get(reverse("neighborhoods:centre-detail", args=[99999])).status_code == 404


def test_it_keeps_the_rating_history_on_the_centre_page(client, centre):
    html = client.get(detail(centre)).content.decode()
    assert html.index("2023") < html.index("2022")
    assert "4星" in html and "5星" in html


def test_it_counts_this_years_service_projects(client, centre):
    this_year = timezone.localdate().year
    for i in range(3):
        ProjectFactory(centre=centre, title=f"助餐{i}", is_service=True)
    ProjectFactory(centre=centre, title="去年的服务", is_service=True, year=this_year - 1)
    ProjectFactory(centre=centre, title="红屋顶花园", is_service=False)
    response = client.get(detail(centre))
    assert response.context["service_count"] == 3
    html = response.content.decode()
    assert "助餐0" in html and "红屋顶花园" in html and "去年的服务" not in html


def test_it_shows_the_operating_contracts(client, centre):
    earlier = OrganisationFactory(name="上海市杨浦区阳光社会工作服务社")
    centre.contracts.create(organisation=earlier, start="2018-01-01", end="2020-12-31")
    centre.contracts.create(organisation=centre.organisation, start="2021-01-01")
    html = client.get(detail(centre)).content.decode()
    assert "上海市杨浦区阳光社会工作服务社" in html and "2018年1月1日" in html and "长期" in html


def test_it_shows_advisors_of_the_centres_neighbourhoods_and_projects(client, places, centre):
    by_neighbourhood = AdvisorFactory(name="顾晓明")
    by_neighbourhood.neighbourhoods.add(places["gjxc"])
    by_project = AdvisorFactory(name="贺俊", field="project")
    by_project.projects.add(ProjectFactory(centre=centre))
    AdvisorFactory(name="无关顾问").neighbourhoods.add(places["dhg"])
    html = client.get(detail(centre)).content.decode()
    assert "顾晓明" in html and "贺俊" in html and "无关顾问" not in html
    assert html.count("顾晓明") == 1


def test_it_shows_only_consenting_talents_on_the_centre_page(client, centre):
    TalentFactory(centre=centre, display_name="凌阿姨")
    TalentFactory(centre=centre, display_name="不愿公开", consented=False, consented_at=None)
    html = client.get(detail(centre)).content.decode()
    assert "凌阿姨" in html and "不愿公开" not in html


def test_it_leaves_a_place_for_upcoming_activities(client, centre):
    response = client.get(detail(centre))
    names = [t.name for t in response.templates]
    assert "neighborhoods/includes/centre_upcoming.html" in names


def test_it_shows_the_centre_written_operator_without_an_organisation(client, places):
    centre = CentreFactory(
        subdistrict=places["gjxc"].subdistrict, organisation=None, operator="某社工服务社"
    )
    assert "某社工服务社" in client.get(detail(centre)).content.decode()


def test_it_links_the_centres_from_the_site_navigation(client, places):
    html = client.get("/").content.decode()
    nav = html[html.index('class="site-nav"') : html.index("</nav>")]
    assert f'href="{LIST}"' in nav
    f.UserFactory()  # nothing else needed
