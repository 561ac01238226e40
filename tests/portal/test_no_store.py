"""`Cache-Control: no-store` on personal-data responses (finding 7: 57 of 70 lacked it)."""

from neighborhoods.models import Need
from tests.images import image_upload


def test_it_marks_every_signed_in_page_no_store(login, resident):
    for url in ["/", "/me/", "/me/needs/", "/notices/"]:
        response = login(resident).get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "Cookie" in response["Vary"], url


def test_it_marks_staff_pages_of_personal_data_no_store(login, huyun, gjxc_household):
    for url in [
        "/staff/",
        "/staff/households/",
        f"/staff/households/{gjxc_household.pk}/",
        "/staff/needs/",
        "/staff/watch/",
    ]:
        response = login(huyun).get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_it_marks_a_needs_photo_no_store_though_files_may_be_cached(login, resident, huyun):
    data = {"category": "housing", "urgency": "normal", "description": "楼道灯坏了"}
    login(resident).post("/me/needs/new/", {**data, "photo": image_upload()})
    need = Need.objects.get()
    response = login(huyun).get(f"/staff/needs/{need.pk}/photo/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    response = login(resident).get(f"/me/needs/{need.pk}/photo/")
    assert response.status_code == 200
    assert "max-age" not in response["Cache-Control"]


def test_it_lets_public_pages_be_cached_by_the_rules_they_have(client, places):
    response = client.get("/notices/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
