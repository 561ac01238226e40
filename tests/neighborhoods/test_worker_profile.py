"""Community workers keep their own workforce record; the staff home shows their honours."""

import pytest
from django.urls import reverse

from neighborhoods.models import WorkerHonour

pytestmark = pytest.mark.django_db


def test_the_staff_home_shows_my_honours_only(client, huyun, yangying):
    WorkerHonour.objects.create(
        worker=huyun.worker,
        title="杨浦区“最美居民区社区工作者”",
        year=2023,
        citation="坚持日看窗帘夜看灯",
    )
    WorkerHonour.objects.create(worker=yangying.worker, title="社区青年先锋", year=2022)
    client.force_login(huyun)
    page = client.get(reverse("neighborhoods:staff-home")).content.decode()
    assert "最美居民区社区工作者" in page and "坚持日看窗帘夜看灯" in page
    assert "社区青年先锋" not in page


def test_a_worker_updates_their_own_profile_but_not_their_position(client, huyun):
    client.force_login(huyun)
    url = reverse("neighborhoods:worker-profile")
    data = {"birth_year": "1984", "education": "master", "social_work_certificate": "on",
            "start_year": "2018", "position": "党总支书记"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    huyun.worker.refresh_from_db()
    worker = huyun.worker
    assert (worker.education, worker.social_work_certificate, worker.start_year) == (
        "master",
        True,
        2018,
    )
    assert worker.position == "居委会主任"  # the position stays the admins'


def test_an_impossible_year_is_a_form_error_keeping_the_rest(client, huyun):
    client.force_login(huyun)
    response = client.post(
        reverse("neighborhoods:worker-profile"),
        {"birth_year": "1984", "education": "college", "start_year": "1990"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="1984"' in page and 'value="1990"' in page
