"""Factories for the test suite: one per model, with realistic defaults."""

import datetime

import factory
from django.utils import timezone

from neighborhoods import models as nb
from neighborhoods.models import birth_date_for_age
from portal.models import User


def born_years_ago(years, days=0):
    return birth_date_for_age(years, timezone.localdate()) - datetime.timedelta(days=days)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"居民{n}")
    password = factory.django.Password("pw-for-tests-1")

    @factory.post_generation
    def email_verified(user, create, extracted, **kwargs):
        """`UserFactory(email=…, email_verified=True)`: the address proved by its link, as
        allauth records it (only such an address is used to reach the person)."""
        if create and extracted and user.email:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.District
        django_get_or_create = ["name"]

    name = "杨浦区"


class SubdistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.Subdistrict
        django_get_or_create = ["district", "name"]

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"街道{n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.Neighbourhood
        django_get_or_create = ["subdistrict", "name"]

    subdistrict = factory.SubFactory(SubdistrictFactory)
    name = factory.Sequence(lambda n: f"居民区{n}")


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.CommunityWorker

    user = factory.SubFactory(UserFactory)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    position = "社区工作者"
    birth_year = 1985
    education = nb.CommunityWorker.Education.BACHELOR
    start_year = 2018


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.Zone

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    name = factory.Sequence(lambda n: f"第{n}片区")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.Building

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    number = factory.Sequence(lambda n: f"{n + 1}号")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.Household

    building = factory.SubFactory(BuildingFactory)
    room = factory.Sequence(lambda n: f"{100 + n}")


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = nb.Resident

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"张{n}")
    birth_date = factory.LazyFunction(lambda: born_years_ago(40))
    phone = factory.Sequence(lambda n: f"138{n:08d}")


def prove_email(user, email):
    """Give `user` the email address `email`, verified (only such an address is written to)."""
    from allauth.account.models import EmailAddress

    user.email = email
    user.save(update_fields=["email"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def linked_resident(neighbourhood, username, room="101", name="赵强", email="", **resident):
    """An account linked (上云) to a resident of a new flat in `neighbourhood`; its email,
    if given, proved (verified)."""
    building = neighbourhood.buildings.first() or BuildingFactory(neighbourhood=neighbourhood)
    household = HouseholdFactory(building=building, room=room)
    user = UserFactory(username=username, first_name=name, email=email, email_verified=True)
    ResidentFactory(household=household, name=name, user=user, **resident)
    return user
