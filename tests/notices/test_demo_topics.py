import io

import pytest
from django.core.management import call_command

from neighborhoods.models import Resident


@pytest.mark.django_db
def test_it_gives_demo_accounts_only_to_adults():
    """The discussion hall's demo participants are linked to residents aged 18 or more."""
    call_command("seed_demo", small=True, password="pw-for-tests-1", stdout=io.StringIO())
    participants = Resident.objects.filter(user__username__startswith="gjxc_resident")
    assert participants.exists()
    assert min(resident.age for resident in participants) >= 18
