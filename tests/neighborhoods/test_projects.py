"""/centres/projects/ and /centres/projects/<id>/, and /centres/talents/ (睦邻达人)."""

import pytest
from django.urls import reverse

from neighborhoods.models import Award, ProjectRound, TeamMember

from .centre_factories import AdvisorFactory, CentreFactory, ProjectFactory, TalentFactory

pytestmark = pytest.mark.django_db

LIST = reverse("neighborhoods:project-list")
TALENTS = reverse("neighborhoods:talent-list")


def detail(project):
    return reverse("neighborhoods:project-detail", args=[project.pk])


@pytest.fixture
def garden(places):
    """红屋顶花园: 公交新村's project of 睦邻温度提升行动 2023, one of the ten best."""
    round_ = ProjectRound.objects.create(
        name="睦邻温度提升行动", year=2023, programme="睦邻蓬勃计划"
    )
    project = ProjectFactory(
        title="红屋顶花园", year=2023, round=round_, centre=None, neighbourhood=places["gjxc"]
    )
    Award.objects.create(project=project, title="十佳睦邻项目", year=2023)
    TeamMember.objects.create(project=project, name="胡云", kind="worker", role="项目负责人")
    TeamMember.objects.create(project=project, name="周阿婆", kind="resident")
    return project


@pytest.mark.parametrize("persona", [None, "resident", "huyun", "centre_staff", "admin"])
def test_it_lists_projects_with_their_awards_for_everyone(request, client, garden, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    html = client.get(LIST).content.decode()
    assert "红屋顶花园" in html and "2023年度十佳睦邻项目" in html


def test_it_shows_governance_projects_unless_services_are_asked_for(client, garden, centre):
    ProjectFactory(centre=centre, title="长者助餐", is_service=True)
    html = client.get(LIST).content.decode()
    assert "红屋顶花园" in html and "长者助餐" not in html
    html = client.get(LIST, {"kind": "service"}).content.decode()
    assert "长者助餐" in html and "红屋顶花园" not in html
    html = client.get(LIST, {"kind": "all"}).content.decode()
    assert "长者助餐" in html and "红屋顶花园" in html


def test_it_filters_projects_by_year_centre_round_and_award(client, garden, centre):
    ProjectFactory(centre=centre, title="睦邻市集", year=2024)
    assert "红屋顶花园" not in client.get(LIST, {"year": "2024"}).content.decode()
    html = client.get(LIST, {"centre": centre.pk}).content.decode()
    assert "睦邻市集" in html and "红屋顶花园" not in html
    html = client.get(LIST, {"round": garden.round.pk}).content.decode()
    assert "红屋顶花园" in html and "睦邻市集" not in html
    html = client.get(LIST, {"awarded": "on"}).content.decode()
    assert "红屋顶花园" in html and "睦邻市集" not in html


@pytest.mark.parametrize(
    "query", [{"year": "abc"}, {"year": "1999"}, {"centre": "x"}, {"round": "99999"}, {"kind": "?"}]
)
def test_it_answers_bad_project_filters_with_a_form_error(client, garden, query):
    response = client.get(LIST, query)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


def test_it_shows_a_project_with_its_team_awards_and_advisors(client, garden):
    advisor = AdvisorFactory(name="贺俊", field="project", affiliation="上海财经大学")
    advisor.projects.add(garden)
    response = client.get(detail(garden))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["胡云", "项目负责人", "周阿婆", "2023年度十佳睦邻项目", "贺俊", "项目支持",
                 "睦邻温度提升行动", "公交新村居民区"]:  # fmt: skip
        assert text in html


def test_it_answers_404_for_a_project_that_does_not_exist(client, places):
    assert client.get(reverse("neighborhoods:project-detail", args=[99999])).status_code == 404


def test_it_refuses_to_post_to_project_pages(client, garden):
    assert client.post(LIST).status_code == 405
    assert client.post(detail(garden)).status_code == 405
    assert client.post(TALENTS).status_code == 405


# --- 睦邻达人 ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [None, "resident", "huyun", "admin"])
def test_it_never_shows_a_talent_without_consent(request, client, centre, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    TalentFactory(centre=centre, display_name="凌阿姨", skill="维持秩序")
    TalentFactory(centre=centre, display_name="不愿公开", consented=False, consented_at=None)
    html = client.get(TALENTS).content.decode()
    assert "凌阿姨" in html and "维持秩序" in html
    assert "不愿公开" not in html
    html = client.get(TALENTS, {"centre": centre.pk}).content.decode()
    assert "不愿公开" not in html


def test_it_filters_talents_by_year_and_centre(client, places, centre):
    other = CentreFactory(subdistrict=places["dhg"].subdistrict)
    TalentFactory(centre=centre, display_name="王阿姨", year=2023)
    TalentFactory(centre=other, display_name="李师傅", year=2024)
    html = client.get(TALENTS, {"year": "2024"}).content.decode()
    assert "李师傅" in html and "王阿姨" not in html
    html = client.get(TALENTS, {"centre": centre.pk}).content.decode()
    assert "王阿姨" in html and "李师傅" not in html


@pytest.mark.parametrize("query", [{"year": "abc"}, {"centre": "-1"}])
def test_it_answers_bad_talent_filters_with_a_form_error(client, centre, query):
    TalentFactory(centre=centre)
    assert client.get(TALENTS, query).status_code == 400
