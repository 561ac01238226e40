"""District admins set ratings in Django admin, inline on the centre, one per year."""

import pytest
from django.urls import reverse

from neighborhoods.models import StarRating

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    ["centre", "socialorganisation", "operatingcontract", "starrating", "walkingdistance",
     "project", "projectround", "award", "talent", "advisor"],
)  # fmt: skip
def test_it_lists_every_part_in_admin(login, admin, centre, name):
    url = reverse(f"admin:neighborhoods_{name}_changelist")
    assert login(admin).get(url, {"q": "文化"}).status_code == 200


def test_it_filters_centres_by_their_latest_stars(login, admin, centre):
    url = reverse("admin:neighborhoods_centre_changelist")
    assert "文化佳园睦邻中心" in login(admin).get(url, {"stars": "5"}).content.decode()
    assert "文化佳园睦邻中心" not in login(admin).get(url, {"stars": "4"}).content.decode()


def inline_post(centre, rows):
    data = {
        "name": centre.name,
        "subdistrict": centre.subdistrict.pk,
        "organisation": centre.organisation.pk,
        "ratings-TOTAL_FORMS": str(len(rows)),
        "ratings-INITIAL_FORMS": "2",
        "contracts-TOTAL_FORMS": "0",
        "contracts-INITIAL_FORMS": "0",
        "walking_distances-TOTAL_FORMS": "0",
        "walking_distances-INITIAL_FORMS": "0",
        "staff-TOTAL_FORMS": "0",
        "staff-INITIAL_FORMS": "0",
    }
    for i, row in enumerate(rows):
        data.update({f"ratings-{i}-{key}": value for key, value in row.items()})
        data[f"ratings-{i}-centre"] = centre.pk
    return data


def test_it_adds_a_years_rating_inline_and_keeps_the_old_ones(login, admin, centre):
    old = list(centre.ratings.order_by("-year"))
    rows = [{"id": r.pk, "year": r.year, "stars": r.stars} for r in old]
    rows.append({"year": 2024, "stars": 5})
    url = reverse("admin:neighborhoods_centre_change", args=[centre.pk])
    response = login(admin).post(url, inline_post(centre, rows))
    assert response.status_code == 302
    assert list(centre.ratings.values_list("year", flat=True).order_by("year")) == [
        2022, 2023, 2024,
    ]  # fmt: skip


@pytest.mark.parametrize(("year", "stars"), [(2023, 4), (2024, 6), (2024, 0)])
def test_it_refuses_a_second_rating_for_a_year_or_stars_out_of_range(
    login, admin, centre, year, stars
):
    old = list(centre.ratings.order_by("-year"))
    rows = [{"id": r.pk, "year": r.year, "stars": r.stars} for r in old]
    rows.append({"year": year, "stars": stars})
    url = reverse("admin:neighborhoods_centre_change", args=[centre.pk])
    response = login(admin).post(url, inline_post(centre, rows))
    assert response.status_code == 200  # the form again, with its error
    assert StarRating.objects.filter(centre=centre).count() == 2
