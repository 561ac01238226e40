"""Applying to volunteer, and staff approving or declining with a reason."""

import pytest
from django.urls import reverse

from volunteers.models import VolunteerNotice, VolunteerProfile

pytestmark = pytest.mark.django_db


def apply(client, places, **extra):
    data = {
        "skill_list": ["watch", "elderly"],
        "skills": "退休前是护士",
        "availability": "工作日上午",
        "place": f"n{places['gjxc'].pk}",
        "consent_to_contact": "on",
        **extra,
    }
    return client.post(reverse("volunteers:application-create"), data)


def test_a_resident_applies_and_waits(client, resident, places):
    client.force_login(resident)
    assert apply(client, places).status_code == 302
    profile = VolunteerProfile.objects.get(user=resident)
    assert (profile.status, profile.neighbourhood, profile.skill_list) == (
        "pending",
        places["gjxc"],
        ["watch", "elderly"],
    )
    resident.refresh_from_db()
    assert not type(resident).objects.get(pk=resident.pk).is_volunteer


def test_a_bad_application_keeps_what_was_typed(client, resident, places):
    client.force_login(resident)
    response = apply(client, places, consent_to_contact="", place="n999999")
    assert response.status_code == 400
    page = response.content.decode()
    assert "退休前是护士" in page and "工作日上午" in page
    assert not VolunteerProfile.objects.exists()


def test_the_committee_approves_and_the_resident_becomes_a_volunteer(
    client, resident, places, huyun
):
    client.force_login(resident)
    apply(client, places)
    profile = VolunteerProfile.objects.get(user=resident)
    client.force_login(huyun)
    assert "退休前是护士" in client.get(reverse("volunteers:application-list")).content.decode()
    url = reverse("volunteers:application-decide", args=[profile.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assert type(resident).objects.get(pk=resident.pk).is_volunteer
    assert VolunteerNotice.objects.get(user=resident).kind == "application_decided"


def test_declining_needs_a_reason_which_the_resident_is_told(client, resident, places, huyun):
    client.force_login(resident)
    apply(client, places)
    profile = VolunteerProfile.objects.get(user=resident)
    client.force_login(huyun)
    url = reverse("volunteers:application-decide", args=[profile.pk])
    assert client.post(url, {"decision": "decline"}).status_code == 400
    client.post(url, {"decision": "decline", "reason": "本岗位已招满"})
    profile.refresh_from_db()
    assert (profile.status, profile.decision_reason) == ("declined", "本岗位已招满")
    assert "本岗位已招满" in VolunteerNotice.objects.get(user=resident).text
    # Declined: they may apply again (with other words: the same post twice within seconds
    # is taken as one tap, portal/idempotency.py).
    client.force_login(resident)
    assert apply(client, places, availability="周末全天").status_code == 302
    profile.refresh_from_db()
    assert profile.status == "pending"


def test_staff_of_another_neighbourhood_cannot_decide(client, resident, places, yangying):
    client.force_login(resident)
    apply(client, places)
    profile = VolunteerProfile.objects.get(user=resident)
    client.force_login(yangying)
    url = reverse("volunteers:application-decide", args=[profile.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
