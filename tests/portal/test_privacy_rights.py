"""PIPL: 下载我的数据 (/me/data/) and 注销账号 (/me/close/) (finding 8)."""

import json

import pytest
from django.core.files.base import ContentFile

from neighborhoods.models import Need, Resident, Visit
from notices.models import GuideQuestion, Suggestion
from portal.models import User
from tests import factories as f
from tests.images import image_bytes
from tests.neighborhoods.visit_factories import NeedFactory
from tests.notices.topic_fixtures import guide, topic  # noqa: F401

PASSWORD = "pw-for-tests-1"  # tests.factories.UserFactory's

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def record(resident, huyun, gjxc_household, guide):  # noqa: F811
    gjxc_household.notes = "儿子在外地，内部备注"
    gjxc_household.save(update_fields=["notes"])
    Visit.objects.create(
        household=gjxc_household, staff=huyun, kind="routine", notes="走访内部记录：血压偏高"
    )
    need = NeedFactory(household=gjxc_household, raised_by=resident, raised_via="resident")
    need.actions.create(kind="note", actor=huyun, note="内部：需联系社区医院")
    GuideQuestion.objects.create(guide=guide, asker=resident, text="加装电梯需要多少户同意？")
    return need


def download(client):
    response = client.post("/me/data/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert response["Cache-Control"] == "private, no-store"
    return response.content.decode(), json.loads(response.content)


def test_it_explains_the_download_and_sends_it_on_post(login, resident, record):
    page = login(resident).get("/me/data/", **EN).content.decode()
    assert "Download the file" in page
    text, data = download(login(resident))
    assert data["account"]["username"] == "resident"
    assert data["account"]["mobile"] == "13900001111"
    household = data["household"]
    names = {member["name"] for member in household["members"]}
    assert {"李梅", "周秀英"} <= names
    others = [m for m in household["members"] if not m["me"] and m["phone"]]
    assert others and all("*" in m["phone"] for m in others)  # other members masked
    assert household["needs"][0]["description"] == "厨房水管漏水"
    assert household["visits"] and "notes" not in household["visits"][0]
    assert data["questions_on_guides"][0]["question"] == "加装电梯需要多少户同意？"


def test_it_leaves_staff_internal_notes_out(login, resident, record):
    text, _data = download(login(resident))
    assert "内部备注" not in text  # household.notes
    assert "走访内部记录" not in text  # visit notes
    assert "需联系社区医院" not in text  # internal note on a need


def test_it_works_for_an_account_not_linked_to_a_household(login, stranger):
    _text, data = download(login(stranger))
    assert data["household"] is None


def test_it_sends_anonymous_visitors_to_sign_in(client):
    for url in ["/me/data/", "/me/close/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_shows_only_my_own_data(login, resident, record, dhg_household):
    other = f.UserFactory(username="other-dhg", phone="13700002222")
    f.ResidentFactory(household=dhg_household, name="王小二", user=other)
    text, _data = download(login(other))
    assert "李梅" not in text and "13900001111" not in text


def test_it_links_both_from_me(login, resident):
    page = login(resident).get("/me/").content.decode()
    assert "/me/data/" in page and "/me/close/" in page


# --- Closing the account ----------------------------------------------------------------


def test_it_says_what_stays_and_why(login, resident):
    page = login(resident).get("/me/close/", **EN).content.decode()
    assert "committee keeps, and why" in page
    assert "Cybersecurity Law" in page


def test_it_refuses_a_wrong_password_and_changes_nothing(login, resident):
    response = login(resident).post("/me/close/", {"password": "nope", "understood": "on"}, **EN)
    assert response.status_code == 400
    assert "That is not your password" in response.content.decode()
    assert User.objects.filter(pk=resident.pk).exists()


def test_it_needs_the_box_ticked(login, resident):
    response = login(resident).post("/me/close/", {"password": PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=resident.pk).exists()


def test_it_closes_the_account_and_keeps_the_register(
    client,
    login,
    resident,
    record,
    topic,  # noqa: F811
    gjxc_household,
    django_capture_on_commit_callbacks,
):
    suggestion = Suggestion.objects.create(topic=topic, author=resident, text="多种些花草树木")
    suggestion.photo.save("s.png", ContentFile(image_bytes("PNG")), save=False)
    suggestion.thumbnail.save("s-thumb.jpg", ContentFile(image_bytes("JPEG")), save=False)
    suggestion.save()
    storage, photo = suggestion.photo.storage, suggestion.photo.name
    resident_pk = resident.resident.pk
    login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/me/close/", {"password": PASSWORD, "understood": "on"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert not User.objects.filter(username="resident").exists()
    assert "_auth_user_id" not in client.session
    # What the account alone held is gone, its photo file too.
    assert not Suggestion.objects.exists() and not GuideQuestion.objects.exists()
    assert not storage.exists(photo)
    # The register and the case record stay, no longer naming the account.
    kept = Resident.objects.get(pk=resident_pk)
    assert kept.user is None and kept.household == gjxc_household
    need = Need.objects.get(pk=record.pk)
    assert need.raised_by is None
    assert need.actions.filter(kind="note").exists()


def test_it_refuses_to_close_a_staff_account(login, huyun):
    response = login(huyun).post("/me/close/", {"password": PASSWORD, "understood": "on"}, **EN)
    assert response.status_code == 403
    assert "closed by the district admin" in response.content.decode()
    assert User.objects.filter(pk=huyun.pk).exists()


def test_it_limits_password_guesses_on_the_close_page(login, resident):
    client = login(resident)
    for _ in range(5):
        assert client.post("/me/close/", {"password": "x", "understood": "on"}).status_code == 400
    response = client.post("/me/close/", {"password": PASSWORD, "understood": "on"})
    assert response.status_code == 429
    assert User.objects.filter(pk=resident.pk).exists()


def test_closing_keeps_the_family_grant_and_the_loan_the_account_made(
    client, login, resident, gjxc_household, places
):
    """The household's family grant and the point's loan record outlive the account that
    made them (granted_by / requested_by become empty), so closing never fails on them."""
    from neighborhoods.family.services import family_grant_add
    from neighborhoods.models import AidItem, AidPoint, AidUnit, FamilyGrant, Loan
    from neighborhoods.rental.services import loan_request

    son = f.UserFactory(username="son", first_name="周强")
    grant = family_grant_add(
        household=gjxc_household, member=son, by=resident, via=FamilyGrant.Via.RESIDENT
    )
    item = AidItem.objects.create(kind="wheelchair", name="轮椅")
    point = AidPoint.objects.create(neighbourhood=places["gjxc"])
    AidUnit.objects.create(item=item, point=point, code="GJXC-LY-09")
    loan = loan_request(
        item=item, point=point, resident=resident.resident, by=resident, basis=Loan.Basis.DISCHARGED
    )
    login(resident)
    response = client.post("/me/close/", {"password": PASSWORD, "understood": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(username="resident").exists()
    grant.refresh_from_db()
    loan.refresh_from_db()
    assert grant.granted_by is None and grant.member == son
    assert loan.requested_by is None
