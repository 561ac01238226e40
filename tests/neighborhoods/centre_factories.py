"""Factories and fixtures for centres, organisations, ratings, projects, talents, advisors."""

import factory
import pytest
from django.utils import timezone

from neighborhoods import models as nb
from tests import factories as f


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.SocialOrganisation

    name = factory.Sequence(lambda n: f"上海市杨浦区测试社会工作服务社{n}")
    kind = nb.SocialOrganisation.Kind.SOCIAL_WORK
    contact_person = "王敏"
    phone = "021-55123456"


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.Centre

    subdistrict = factory.SubFactory(f.SubdistrictFactory)
    name = factory.Sequence(lambda n: f"测试路{n}号睦邻中心")
    address = "测试路1号"
    hours = "周一至周日 8:30–20:00"
    phone = "021-65000000"
    organisation = factory.SubFactory(OrganisationFactory)
    operator = factory.LazyAttribute(lambda centre: centre.organisation.name)


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.StarRating

    centre = factory.SubFactory(CentreFactory)
    year = 2023
    stars = 4


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.Project

    title = factory.Sequence(lambda n: f"睦邻项目{n}")
    summary = "居民一起做的事。"
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    centre = factory.SubFactory(CentreFactory)
    is_service = False


class TalentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.Talent

    display_name = factory.Sequence(lambda n: f"达人{n}")
    skill = "剪纸"
    story = "剪纸剪了四十年。"
    year = 2023
    consented = True
    consented_at = factory.LazyFunction(timezone.now)


class AdvisorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.Advisor

    name = factory.Sequence(lambda n: f"顾问{n}")
    profession = nb.Advisor.Profession.ACADEMIC
    field = nb.Advisor.Field.GUIDANCE
    affiliation = "复旦大学"


@pytest.fixture
def centre(places):
    """文化佳园睦邻中心 in 公交新村's subdistrict, serving 公交新村, rated 2022 and 2023."""
    centre = CentreFactory(
        subdistrict=places["gjxc"].subdistrict,
        name="文化佳园睦邻中心",
        organisation=OrganisationFactory(name="上海市杨浦区佳邻社会工作服务社"),
    )
    centre.neighbourhoods.add(places["gjxc"])
    RatingFactory(centre=centre, year=2022, stars=4)
    RatingFactory(centre=centre, year=2023, stars=5)
    return centre


@pytest.fixture
def centre_member(centre):
    """Centre staff of 文化佳园睦邻中心 (activity_fixtures' centre_staff works at 阜新路)."""
    user = f.UserFactory(username="centre", first_name="陆佳琪")
    nb.CentreStaff.objects.create(centre=centre, user=user, position="项目社工")
    return user
