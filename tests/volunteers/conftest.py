import pytest

from .fixtures import centre_staff, opportunity, shift, volunteer, wenhua  # noqa: F401

TIERS = [(1, "一星志愿者", 100), (2, "二星志愿者", 300), (3, "三星志愿者", 600),
         (4, "四星志愿者", 1000), (5, "五星志愿者", 1500)]  # fmt: skip


@pytest.fixture(autouse=True)
def star_tiers(request):
    """The tiers of migration 0003: a transactional test elsewhere flushes the tables, and
    with them rows that migrations wrote, so they are made sure of here."""
    if not request.node.get_closest_marker("django_db"):
        return
    from volunteers.models import StarTier

    for stars, name, hours in TIERS:
        StarTier.objects.get_or_create(stars=stars, defaults={"name": name, "min_hours": hours})
