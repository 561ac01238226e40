"""Bad input gets a page or is ignored, never a 500: `next` of the text-size switch, NUL."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "target", ["abc", "//evil.example/", "javascript:alert(1)", "", "https://evil.example/x"]
)
def test_the_text_size_switch_goes_home_for_a_bad_next(client, target):
    response = client.post("/me/text-size/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_text_size_switch_goes_back_to_a_page_of_this_site(client):
    response = client.post("/me/text-size/", {"next": "/topics/?all=1"})
    assert response["Location"] == "/topics/?all=1"


def test_the_visit_search_ignores_a_nul(login, huyun, gjxc_household):
    response = login(huyun).get("/staff/visits/new/", {"q": "302\x00"})
    assert response.status_code == 200
    assert [h.pk for h in response.context["found"]] == [gjxc_household.pk]


def test_the_household_search_ignores_a_nul(login, huyun, gjxc_household):
    response = login(huyun).get("/staff/households/", {"q": "\x00周秀英"})
    assert response.status_code == 200
    assert "周秀英" in response.content.decode()


def test_a_nul_in_a_posted_field_is_a_form_error(login, resident):
    response = login(resident).post(
        "/me/needs/new/", {"category": "housing", "urgency": "normal", "description": "灯\x00坏"}
    )
    assert response.status_code == 400
    assert not response.context["form"].is_valid()
