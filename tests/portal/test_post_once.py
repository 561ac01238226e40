"""A double-tapped form is saved once and answered as the first tap (portal/idempotency.py).

The concurrent tests post from 12 threads at the same moment, each on its own database
connection, sharing one signed-in session (the taps of one phone).
"""

import os

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from neighborhoods.models import Need, Visit
from notices.models import Suggestion, Support
from portal import idempotency
from tests.concurrency import clients_of, run_concurrently
from tests.images import image_upload
from tests.notices.topic_fixtures import make_topic, png_upload

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TAPS = 12


def private_files():
    root = settings.PRIVATE_MEDIA_ROOT
    return {os.path.join(d, n) for d, _, names in os.walk(root) for n in names}


def need_data(**extra):
    return {"category": "housing", "urgency": "normal", "description": "楼道灯坏了", **extra}


def visit_data(household):
    return {
        "household": household.pk,
        "when": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "kind": "care",
        "met": "周秀英本人",
        "notes": "精神不错",
        "needs-TOTAL_FORMS": "1",
        "needs-INITIAL_FORMS": "0",
        "needs-0-category": "health",
        "needs-0-urgency": "normal",
        "needs-0-description": "需要助餐",
    }


def assert_all_answered_alike(outcome, location=None):
    assert outcome.errors == []
    answers = {(r.status_code, r["Location"]) for r in outcome.values}
    assert len(answers) == 1, answers
    status, where = answers.pop()
    assert status == 302
    if location is not None:
        assert where == location


# --- one after the other ------------------------------------------------------------------


@pytest.mark.django_db
def test_it_answers_a_repeated_need_report_as_the_first_and_saves_one(login, resident):
    client = login(resident)
    first = client.post("/me/needs/new/", need_data(), **EN)
    second = client.post("/me/needs/new/", need_data(), **EN)
    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"] == "/me/needs/"
    assert Need.objects.count() == 1
    assert "You sent this a moment ago; it was saved once." in [
        str(m) for m in get_messages(second.wsgi_request)
    ]


@pytest.mark.django_db
def test_it_takes_a_different_report_at_once(login, resident):
    client = login(resident)
    client.post("/me/needs/new/", need_data())
    client.post("/me/needs/new/", need_data(description="电梯又停了"))
    assert Need.objects.count() == 2


@pytest.mark.django_db
def test_it_takes_the_same_report_again_after_the_window(login, resident):
    client = login(resident)
    client.post("/me/needs/new/", need_data())
    cache.clear()  # what WINDOW seconds do
    client.post("/me/needs/new/", need_data())
    assert Need.objects.count() == 2


@pytest.mark.django_db
def test_it_does_not_hold_back_a_post_after_a_form_error(login, resident):
    client = login(resident)
    assert client.post("/me/needs/new/", need_data(description="")).status_code == 400
    assert client.post("/me/needs/new/", need_data(description="")).status_code == 400
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_it_answers_409_while_the_first_post_is_still_running(resident, monkeypatch):
    """A first post that takes longer than WAIT: the repeat is told to wait, not run twice."""
    monkeypatch.setattr(idempotency, "WAIT", 0.1)
    calls = []
    view = idempotency.post_once(lambda request: calls.append(1) or HttpResponse("ok"))
    request = RequestFactory().post("/me/needs/new/", {"description": "x"})
    request.user = resident
    cache.add(idempotency.post_key(request), idempotency.RUNNING, 10)
    response = view(request)
    assert response.status_code == 409
    assert calls == []


# --- at the same moment ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_saves_one_resident_need_report_with_photo_for_twelve_taps(resident):
    before = private_files()
    clients = clients_of(resident, TAPS)
    photo = image_upload().read()

    def tap(i):
        upload = SimpleUploadedFile("photo.jpg", photo, content_type="image/jpeg")
        return clients[i].post("/me/needs/new/", need_data(photo=upload))

    outcome = run_concurrently(tap, TAPS)
    assert_all_answered_alike(outcome, "/me/needs/")
    assert Need.objects.count() == 1
    assert len(private_files() - before) == 1  # one photo, no copies left behind


@pytest.mark.django_db(transaction=True)
def test_it_saves_one_staff_need_report_for_twelve_taps(huyun, gjxc_household):
    clients = clients_of(huyun, TAPS)
    url = f"/staff/needs/new/?household={gjxc_household.pk}"
    data = need_data(household=gjxc_household.pk)
    outcome = run_concurrently(lambda i: clients[i].post(url, data), TAPS)
    assert_all_answered_alike(outcome)
    assert Need.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_saves_one_visit_for_twelve_taps(huyun, gjxc_household):
    clients = clients_of(huyun, TAPS)
    url = f"/staff/visits/new/?household={gjxc_household.pk}"
    data = visit_data(gjxc_household)
    outcome = run_concurrently(lambda i: clients[i].post(url, data), TAPS)
    assert_all_answered_alike(outcome, f"/staff/households/{gjxc_household.pk}/")
    assert Visit.objects.count() == 1
    assert Need.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_saves_one_suggestion_for_twelve_taps(places, huyun, resident):
    topic = make_topic(places["gjxc"], huyun)
    clients = clients_of(resident, TAPS)
    data = {"text": "多种一些月季，再放几张长椅。"}

    def tap(i):
        return clients[i].post(f"/topics/{topic.pk}/suggest/", {**data, "photo": png_upload()})

    outcome = run_concurrently(tap, TAPS)
    assert_all_answered_alike(outcome)
    assert Suggestion.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_counts_twelve_support_taps_once(places, huyun, resident):
    topic = make_topic(places["gjxc"], huyun)
    suggestion = Suggestion.objects.create(topic=topic, author=huyun, text="多种一些月季。")
    clients = clients_of(resident, TAPS)
    url = f"/topics/suggestions/{suggestion.pk}/support/"
    outcome = run_concurrently(lambda i: clients[i].post(url), TAPS)
    assert_all_answered_alike(outcome)
    assert Support.objects.count() == 1
