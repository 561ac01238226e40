import pytest

from neighborhoods.models import Resident

# The session's small demo district (tests/conftest.py), each test rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]


def test_it_gives_demo_accounts_only_to_adults():
    """The discussion hall's demo participants are linked to residents aged 18 or more."""
    participants = Resident.objects.filter(user__username__startswith="gjxc_resident")
    assert participants.exists()
    assert min(resident.age for resident in participants) >= 18
