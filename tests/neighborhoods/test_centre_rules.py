"""The database keeps the centres' rules: one rating per year, 1–5 stars, positive walks,
a project run by exactly one centre or neighbourhood, consent with a date."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from neighborhoods.models import Project, StarRating, Talent, WalkingDistance

from .centre_factories import ProjectFactory, RatingFactory

pytestmark = pytest.mark.django_db


def test_it_allows_one_rating_per_centre_and_year(centre):
    with pytest.raises(IntegrityError), transaction.atomic():
        StarRating.objects.create(centre=centre, year=2023, stars=3)
    RatingFactory(centre=centre, year=2024, stars=3)  # another year is history, not a clash


def test_it_explains_a_second_rating_in_a_form_check(centre):
    rating = StarRating(centre=centre, year=2023, stars=3)
    with pytest.raises(ValidationError, match="已有星级评定"):
        rating.full_clean()


@pytest.mark.parametrize("stars", [0, 6])
def test_it_keeps_stars_between_one_and_five(centre, stars):
    with pytest.raises(IntegrityError), transaction.atomic():
        StarRating.objects.create(centre=centre, year=2025, stars=stars)
    with pytest.raises(ValidationError):
        StarRating(centre=centre, year=2025, stars=stars).full_clean()


def test_it_keeps_walking_minutes_positive_and_unique(places, centre):
    with pytest.raises(IntegrityError), transaction.atomic():
        WalkingDistance.objects.create(neighbourhood=places["gjxc"], centre=centre, minutes=0)
    WalkingDistance.objects.create(neighbourhood=places["gjxc"], centre=centre, minutes=9)
    with pytest.raises(IntegrityError), transaction.atomic():
        WalkingDistance.objects.create(neighbourhood=places["gjxc"], centre=centre, minutes=12)


def test_it_runs_a_project_by_a_centre_or_a_neighbourhood_never_both(places, centre):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(title="两头", year=2023, centre=centre, neighbourhood=places["gjxc"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(title="无主", year=2023)
    ProjectFactory(centre=None, neighbourhood=places["gjxc"])


def test_it_needs_the_date_of_a_talents_consent(centre):
    with pytest.raises(IntegrityError), transaction.atomic():
        Talent.objects.create(display_name="王阿姨", skill="剪纸", year=2023, consented=True)
