"""seed_demo's centres match the report: 47 centres, 29 organisations, 17 five-star in
2023, nearly 50 projects of 睦邻温度提升行动 2023 with the ten best, 46 睦邻达人."""

import random
from io import StringIO

import pytest
from django.utils import timezone

from neighborhoods.demo import centres as demo_centres
from neighborhoods.models import (
    Advisor,
    Award,
    Centre,
    Neighbourhood,
    Project,
    SocialOrganisation,
    StarRating,
    Talent,
)
from neighborhoods.models.centres import SERVICE_PROJECTS_MINIMUM, WALK_MINUTES_LIMIT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]


@pytest.fixture
def demo(demo_district):
    """The session's demo district (seed_demo --small), built once per worker."""
    return demo_district


def test_it_builds_the_districts_centres_and_organisations(demo):
    assert Centre.objects.count() == 47
    assert SocialOrganisation.objects.count() == 29
    assert SocialOrganisation.objects.filter(centres__isnull=True).count() == 0  # all run one
    assert not Centre.objects.filter(organisation__isnull=True).exists()
    assert not Centre.objects.filter(contracts__isnull=True).exists()


def test_it_rates_17_centres_five_stars_for_2023(demo):
    assert StarRating.objects.filter(year=2023, stars=5).count() == 17
    assert StarRating.objects.filter(year=2023).count() == 47
    assert StarRating.objects.filter(year=2022).count() == 47  # history kept
    for name in ["文化佳园睦邻中心", "阜新路社区睦邻中心", "长白228街坊"]:
        assert StarRating.objects.get(centre__name=name, year=2023).stars == 5


def test_it_runs_nearly_50_projects_in_2023_with_the_ten_best(demo):
    projects = Project.objects.filter(round__name="睦邻温度提升行动", year=2023)
    assert 45 <= projects.count() <= 50
    best = Award.objects.filter(title="十佳睦邻项目", year=2023)
    assert best.count() == 10
    titles = set(best.values_list("project__title", flat=True))
    assert {"睦邻市集", "健康共同体", "睦邻自治童趣社", "红屋顶花园"} <= titles
    assert Project.objects.filter(round__year=2024).exists()
    garden = Project.objects.get(title="红屋顶花园")
    assert garden.neighbourhood.name == "公交新村居民区" and garden.centre is None
    assert garden.team.exists()


def test_it_recruits_46_talents_in_2023_not_all_public(demo):
    assert Talent.objects.filter(year=2023).count() == 46
    public = Talent.objects.public().count()
    assert 40 <= public < 46


def test_it_names_advisors_in_each_field(demo):
    for field in Advisor.Field.values:
        assert Advisor.objects.filter(field=field).count() >= 3
    assert Advisor.objects.filter(projects__isnull=False).exists()


def test_it_leaves_gaps_in_the_1510_picture(demo):
    year = timezone.localdate().year
    centres = Centre.objects.with_service_project_count(year)
    short = [c for c in centres if c.service_projects < SERVICE_PROJECTS_MINIMUM]
    assert 0 < len(short) < 47
    neighbourhoods = Neighbourhood.objects.all()
    assert not neighbourhoods.filter(walking_distances__isnull=True).exists()
    near = neighbourhoods.filter(walking_distances__minutes__lte=WALK_MINUTES_LIMIT).distinct()
    assert 0 < near.count() < neighbourhoods.count()


def test_it_keeps_its_centres_when_run_again(demo):
    counts = (Centre.objects.count(), Project.objects.count(), Talent.objects.count())
    out = StringIO()
    demo_centres.build(stdout=out, rng=random.Random(1), today=timezone.localdate())
    assert "already there" in out.getvalue()
    assert counts == (Centre.objects.count(), Project.objects.count(), Talent.objects.count())
