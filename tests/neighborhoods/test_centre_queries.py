"""Query budgets: the centre pages cost the same with 3× the centres, projects and talents."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from neighborhoods.models import Award, TeamMember, WalkingDistance

from .centre_factories import (
    AdvisorFactory,
    CentreFactory,
    ProjectFactory,
    RatingFactory,
    TalentFactory,
)

pytestmark = pytest.mark.django_db

LIST_BUDGET = 10
DETAIL_BUDGET = 16  # 15 for the centre's own records, 1 for its upcoming activities
PROJECTS_BUDGET = 8
TALENTS_BUDGET = 6
COVERAGE_BUDGET = 8


def add_centres(places, count, *, around=None):
    """`count` centres, each rated twice, serving a neighbourhood, with projects and walks;
    and as many projects, talents and advisors around `around` (the centre of the page)."""
    for i in range(count):
        centre = CentreFactory(subdistrict=places["gjxc"].subdistrict)
        centre.neighbourhoods.add(places["gjxc"], places["dhg"])
        RatingFactory(centre=centre, year=2022, stars=3)
        RatingFactory(centre=centre, year=2023, stars=1 + i % 5)
        project = ProjectFactory(centre=centre, is_service=i % 2 == 0)
        Award.objects.create(project=project, title="十佳睦邻项目", year=2023)
        TeamMember.objects.create(project=project, name="居民", kind="resident")
        WalkingDistance.objects.create(neighbourhood=places["gjxc"], centre=centre, minutes=5 + i)
        TalentFactory(centre=centre)
    if around is not None:
        for i in range(count):
            project = ProjectFactory(centre=around, is_service=i % 2 == 0)
            Award.objects.create(project=project, title="十佳睦邻项目", year=2023)
            TalentFactory(centre=around)
            AdvisorFactory().projects.add(project)
            AdvisorFactory().neighbourhoods.add(places["gjxc"])
            around.contracts.create(organisation=around.organisation, start="2021-01-01")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def measure(client, places, url, budget, django_assert_max_num_queries, around=None):
    add_centres(places, 4, around=around)
    few = count_queries(client, url)
    add_centres(places, 8, around=around)
    with django_assert_max_num_queries(budget):
        many = count_queries(client, url)
    assert few == many


@pytest.mark.parametrize("persona", [None, "resident", "admin"])
def test_it_lists_centres_within_a_fixed_query_budget(
    request, client, places, django_assert_max_num_queries, persona
):
    """/centres/: session and roles, the rating year, the subdistrict choices, count, one
    page (rating and service count annotated, organisation joined, neighbourhoods
    prefetched). Measured with 4 and 12 centres: the same number of queries."""
    if persona:
        client.force_login(request.getfixturevalue(persona))
    url = reverse("neighborhoods:centre-list")
    measure(client, places, url, LIST_BUDGET, django_assert_max_num_queries)


@pytest.mark.parametrize("persona", [None, "admin"])
def test_it_shows_a_centre_within_a_fixed_query_budget(
    request, client, places, centre, django_assert_max_num_queries, persona
):
    """/centres/<id>/: the centre with its organisation and neighbourhoods, ratings,
    contracts, this year's projects and the awarded ones (awards prefetched), talents,
    advisors, and its upcoming activities with their sign-up counts (one query). Measured
    with 4 and 12 of each around the centre: the same number."""
    if persona:
        client.force_login(request.getfixturevalue(persona))
    url = reverse("neighborhoods:centre-detail", args=[centre.pk])
    measure(client, places, url, DETAIL_BUDGET, django_assert_max_num_queries, around=centre)


def test_it_lists_projects_within_a_fixed_query_budget(
    client, places, django_assert_max_num_queries
):
    """/centres/projects/: year, centre and round choices, count, one page, its awards."""
    url = reverse("neighborhoods:project-list") + "?kind=all"
    measure(client, places, url, PROJECTS_BUDGET, django_assert_max_num_queries)


def test_it_lists_talents_within_a_fixed_query_budget(
    client, places, django_assert_max_num_queries
):
    """/centres/talents/: year and centre choices, count, one page with its centres."""
    url = reverse("neighborhoods:talent-list")
    measure(client, places, url, TALENTS_BUDGET, django_assert_max_num_queries)


def test_it_draws_the_1510_picture_within_a_fixed_query_budget(
    client, places, admin, django_assert_max_num_queries
):
    """/centres/coverage/: session and role, then three queries: centres with their service
    counts, neighbourhoods, walks (matched in Python)."""
    client.force_login(admin)
    url = reverse("neighborhoods:centre-coverage")
    measure(client, places, url, COVERAGE_BUDGET, django_assert_max_num_queries)
