"""The certificate: printable for its volunteer, and a public check that shows only the
name, the tier, the year and that it is genuine."""

import pytest
from django.urls import reverse
from django.utils import timezone

from volunteers.models import Certificate
from volunteers.recognitions.services import certificate_issue

from .fixtures import verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(volunteer, wenhua):
    volunteer.phone = "13761520938"
    volunteer.save(update_fields=["phone"])
    for _ in range(40):
        verified(volunteer, "3.5", centre=wenhua)  # 140 h: 一星志愿者
    return certificate_issue(volunteer=volunteer, year=timezone.localdate().year)


def test_the_public_check_shows_only_name_tier_year_and_genuineness(client, certificate, volunteer):
    page = client.get(
        reverse("volunteers:certificate-check", args=[certificate.code])
    ).content.decode()
    assert "凌建梅" in page and str(certificate.year) in page and "一星志愿者" in page
    assert "真实有效" in page or "genuine" in page
    resident = volunteer.resident_record
    for private in [
        "140",
        "13761520938",
        "1520938",
        resident.household.room,
        "公交新村",
        "文化佳园",
    ]:
        assert private not in page, private


def test_an_unknown_or_withdrawn_code_is_not_genuine(client, certificate):
    assert client.get(reverse("volunteers:certificate-check", args=["nope"])).status_code == 404
    Certificate.objects.filter(pk=certificate.pk).update(revoked=True)
    response = client.get(reverse("volunteers:certificate-check", args=[certificate.code]))
    assert response.status_code == 404
    assert "凌建梅" not in response.content.decode()


def test_the_printed_certificate_has_the_hours_tier_issuer_and_a_qr_code(
    client, certificate, volunteer
):
    client.force_login(volunteer)
    page = client.get(
        reverse("volunteers:certificate-print", args=[certificate.code])
    ).content.decode()
    assert (
        "凌建梅" in page and "140" in page and "一星志愿者" in page and "文化佳园睦邻中心" in page
    )
    assert "<svg" in page and certificate.get_absolute_url() in page


def test_the_certificate_is_made_once(client, volunteer, certificate):
    client.force_login(volunteer)
    response = client.post(reverse("volunteers:certificate-issue"), {"year": certificate.year})
    assert response.url == reverse("volunteers:certificate-print", args=[certificate.code])
    assert Certificate.objects.count() == 1


def test_someone_else_cannot_print_it(client, certificate, resident):
    client.force_login(resident)
    assert (
        client.get(reverse("volunteers:certificate-print", args=[certificate.code])).status_code
        == 404
    )
