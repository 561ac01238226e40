"""Residents' posts and uploads have per-account limits (finding 7: none before)."""

import pytest

from neighborhoods.models import Need
from notices.models import GuideQuestion, Suggestion
from portal.ratelimits import LIMITS
from tests.images import image_upload
from tests.notices.topic_fixtures import guide, topic  # noqa: F401

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def ask(client, guide, text, **extra):  # noqa: F811
    return client.post(f"/services/guides/{guide.pk}/ask/", {"text": text}, **extra)


def test_it_limits_the_needs_a_resident_reports_in_an_hour(login, resident):
    client = login(resident)
    limit = LIMITS["need"][0]
    for n in range(limit):
        data = {"category": "housing", "urgency": "normal", "description": f"楼道灯坏了{n}"}
        assert client.post("/me/needs/new/", data).status_code == 302
    data = {"category": "housing", "urgency": "normal", "description": "又一件事"}
    response = client.post("/me/needs/new/", data, **EN)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Please wait a while" in page
    assert "又一件事" in page  # nothing typed is lost
    assert Need.objects.count() == limit


def test_it_limits_suggestions(login, resident, topic):  # noqa: F811
    client = login(resident)
    limit = LIMITS["suggestion"][0]
    for n in range(limit):
        response = client.post(f"/topics/{topic.pk}/suggest/", {"text": f"花园里多种些花草树木{n}"})
        assert response.status_code == 302
    response = client.post(f"/topics/{topic.pk}/suggest/", {"text": "花园里再放几张长椅"}, **EN)
    assert response.status_code == 429
    assert "花园里再放几张长椅" in response.content.decode()
    assert Suggestion.objects.count() == limit


def test_it_limits_questions_on_guides(login, resident, guide):  # noqa: F811
    client = login(resident)
    limit = LIMITS["question"][0]
    for n in range(limit):
        response = ask(client, guide, f"加装电梯需要多少户同意？第{n}问")
        assert response.status_code == 302
    response = ask(client, guide, "加装电梯的费用怎么分摊呢？", **EN)
    assert response.status_code == 429
    assert "加装电梯的费用怎么分摊呢？" in response.content.decode()
    assert GuideQuestion.objects.count() == limit


def test_it_keeps_one_accounts_limit_to_that_account(login, resident, stranger, guide):  # noqa: F811
    client = login(resident)
    for n in range(LIMITS["question"][0] + 1):
        ask(client, guide, f"加装电梯需要多少户同意？第{n}问")
    other = ask(login(stranger), guide, "加装电梯要等多久才能开工？")
    assert other.status_code == 302


def test_it_limits_uploaded_files_per_account(login, resident, settings, monkeypatch):
    """Counted before any view decodes a photo; the answer is a 429 page, not a 500."""
    monkeypatch.setitem(LIMITS, "upload", (2, 3600))
    monkeypatch.setitem(LIMITS, "need", (100, 3600))
    client = login(resident)
    for n in range(2):
        data = {
            "category": "housing",
            "urgency": "normal",
            "description": f"照片{n}",
            "photo": image_upload(),
        }
        assert client.post("/me/needs/new/", data).status_code == 302
    data = {"category": "housing", "urgency": "normal", "description": "三"}
    data["photo"] = image_upload()
    response = client.post("/me/needs/new/", data, **EN)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Too many uploads" in response.content.decode()
    assert Need.objects.count() == 2
    # A post without files is not an upload.
    data.pop("photo")
    assert client.post("/me/needs/new/", data).status_code == 302


@pytest.mark.parametrize("action", sorted(LIMITS))
def test_every_limit_is_generous_for_a_person(action):
    count, period = LIMITS[action]
    assert count >= 5 and period <= 3600
