"""Residents report a difficulty from /me/ (小事快办) and follow their household's needs."""

from pathlib import Path

import pytest

from neighborhoods.models import Need, NeedAction
from tests import factories as f
from tests.images import image_upload

from .visit_factories import NeedFactory


def test_it_sends_anonymous_visitors_to_sign_in(client, places):
    for url in ["/me/needs/", "/me/needs/new/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_sends_an_unlinked_account_to_link_first(login, stranger):
    response = login(stranger).get("/me/needs/new/")
    assert response.status_code == 302
    assert response["Location"] == "/me/"


def test_it_answers_405_to_a_delete(login, resident):
    assert login(resident).delete("/me/needs/").status_code == 405


def test_it_links_to_the_report_from_me(login, resident):
    page = login(resident).get("/me/").content.decode()
    assert "/me/needs/new/" in page


def test_it_lets_a_resident_report_a_difficulty_with_a_photo(
    login, resident, huyun, gjxc_household
):
    data = {
        "category": "housing",
        "urgency": "normal",
        "description": "楼道灯坏了",
        "photo": image_upload(),
    }
    response = login(resident).post("/me/needs/new/", data)
    assert response.status_code == 302
    need = Need.objects.get()
    assert (need.household, need.raised_via, need.raised_by) == (
        gjxc_household,
        "resident",
        resident,
    )
    assert need.owner == huyun
    assert need.photo.name.startswith("needs/")


def test_it_strips_exif_from_the_photo(login, resident):
    from PIL import Image

    upload = image_upload()
    assert b"SecretPhone" in upload.read()
    upload.seek(0)
    data = {"category": "housing", "urgency": "normal", "description": "x", "photo": upload}
    login(resident).post("/me/needs/new/", data)
    need = Need.objects.get()
    raw = need.photo.read()
    assert b"SecretPhone" not in raw
    need.photo.seek(0)
    assert not Image.open(need.photo).getexif()


def test_it_rejects_a_file_that_is_not_an_image(login, resident):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff not really a jpeg", "image/jpeg")
    data = {"category": "housing", "urgency": "normal", "description": "楼道灯坏了", "photo": fake}
    response = login(resident).post("/me/needs/new/", data)
    assert response.status_code == 400
    assert "楼道灯坏了" in response.content.decode()
    assert not Need.objects.exists()


def test_it_rejects_a_photo_over_5_mb(login, resident):
    import os

    big = image_upload(fmt="PNG", size=(1600, 1600), exif=False)
    # Incompressible pixels make a PNG well over 5 MB.
    import io

    from PIL import Image

    image = Image.frombytes("RGB", (1600, 1200), os.urandom(1600 * 1200 * 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    assert out.tell() > 5 * 1024 * 1024
    big.file = io.BytesIO(out.getvalue())
    big.size = out.tell()
    data = {"category": "housing", "urgency": "normal", "description": "x", "photo": big}
    response = login(resident).post("/me/needs/new/", data)
    assert response.status_code == 400
    assert not Need.objects.exists()


def test_it_shows_the_households_needs_without_internal_notes(
    login, resident, huyun, gjxc_household
):
    need = NeedFactory(household=gjxc_household, description="水管漏水")
    need.actions.create(actor=huyun, kind=NeedAction.Kind.RAISED)
    need.actions.create(actor=huyun, kind=NeedAction.Kind.NOTE, note="内部：这户有纠纷")
    need.status, need.resolution = "resolved", "已联系物业修好"
    need.save()
    need.actions.create(actor=huyun, kind=NeedAction.Kind.RESOLVED, note="已联系物业修好")
    page = login(resident).get("/me/needs/").content.decode()
    assert "水管漏水" in page and "已联系物业修好" in page
    assert "内部：这户有纠纷" not in page


def test_it_shows_where_a_need_was_referred_but_not_the_staff_note(
    login, resident, huyun, gjxc_household
):
    """The referral's note is written for colleagues (the form says "seen by staff only");
    the resident sees the body their request went to."""
    need = NeedFactory(household=gjxc_household, description="低保申请")
    need.actions.create(actor=huyun, kind=NeedAction.Kind.RAISED)
    response = login(huyun).post(
        f"/staff/needs/{need.pk}/refer/",
        {
            "body": "subdistrict",
            "referred_to": "街道社区事务受理服务中心",
            "note": "内部：儿子有收入未申报",
        },
    )
    assert response.status_code == 302
    page = login(resident).get("/me/needs/").content.decode()
    assert "街道社区事务受理服务中心" in page
    assert "儿子有收入未申报" not in page


def test_it_shows_no_other_households_needs(login, resident, dhg_household, gjxc_household):
    NeedFactory(household=dhg_household, description="别人家的事")
    other_here = f.HouseholdFactory(building=gjxc_household.building)
    NeedFactory(household=other_here, description="邻居家的事")
    page = login(resident).get("/me/needs/").content.decode()
    assert "别人家的事" not in page and "邻居家的事" not in page


def test_it_serves_a_photo_only_to_the_own_household(
    login, resident, dhg_household, gjxc_household
):
    mine = NeedFactory(household=gjxc_household)
    mine.photo.save("a.jpg", image_upload())
    theirs = NeedFactory(household=dhg_household)
    theirs.photo.save("b.jpg", image_upload())
    client = login(resident)
    assert client.get(f"/me/needs/{mine.pk}/photo/").status_code == 200
    assert client.get(f"/me/needs/{theirs.pk}/photo/").status_code == 404


@pytest.mark.parametrize("url", ["/staff/needs/", "/staff/visits/new/"])
def test_it_keeps_residents_out_of_staff_pages(login, resident, url):
    assert login(resident).get(url).status_code == 403


def test_it_keeps_need_photos_outside_the_public_media_folder(login, resident):
    """Photos of people's homes live in PRIVATE_MEDIA_ROOT: no proxy serving MEDIA_ROOT can
    publish them, whatever its configuration."""
    from django.conf import settings

    data = {"category": "housing", "urgency": "normal", "description": "x", "photo": image_upload()}
    login(resident).post("/me/needs/new/", data)
    path = Path(Need.objects.get().photo.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_it_refuses_an_overlong_description_and_keeps_it(login, resident):
    text = "楼" * 4001
    data = {"category": "housing", "urgency": "normal", "description": text}
    response = login(resident).post("/me/needs/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["description"]
    assert text in response.content.decode()
    assert not Need.objects.exists()


def test_it_keeps_my_needs_within_a_query_budget(
    login, resident, huyun, gjxc_household, django_assert_max_num_queries
):
    """/me/needs/ costs the same with 3 and 9 needs, each with its timeline: the public
    actions are prefetched, not fetched per need (7 queries, measured)."""

    def add(count):
        for n in range(count):
            need = NeedFactory(household=gjxc_household, description=f"困难{n}")
            need.actions.create(actor=huyun, kind=NeedAction.Kind.RAISED)
            need.actions.create(actor=huyun, kind=NeedAction.Kind.TAKEN)

    client = login(resident)
    add(3)
    with django_assert_max_num_queries(7) as small:
        client.get("/me/needs/")
    add(6)
    with django_assert_max_num_queries(7) as large:
        page = client.get("/me/needs/").content.decode()
    assert page.count("困难") >= 9
    assert len(small.captured_queries) == len(large.captured_queries)


def test_it_asks_separate_consent_for_a_health_difficulty(login, resident):
    """PIPL art. 29 (finding 8): health data only with the resident's separate consent."""
    data = {"category": "health", "urgency": "normal", "description": "腿脚不便，需要上门量血压"}
    response = login(resident).post("/me/needs/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    page = response.content.decode()
    assert "please tick the box to agree first" in page
    assert "需要上门量血压" in page
    assert not Need.objects.exists()
    response = login(resident).post("/me/needs/new/", {**data, "sensitive_consent": "on"})
    assert response.status_code == 302
    assert Need.objects.get().sensitive_consent_at is not None


def test_it_does_not_ask_consent_for_other_difficulties(login, resident):
    data = {"category": "housing", "urgency": "normal", "description": "楼道灯坏了"}
    assert login(resident).post("/me/needs/new/", data).status_code == 302
    assert Need.objects.get().sensitive_consent_at is None
