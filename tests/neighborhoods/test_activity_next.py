"""After cancelling a sign-up the resident goes back where `next` says, if it is our page."""

import pytest
from django.urls import reverse

from neighborhoods.activities.services import signup_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", ["abc", "//evil.example/", "javascript:alert(1)", "/x\x00y"])
def test_it_ignores_a_next_that_is_not_a_page_of_this_site(login, resident, activity, bad):
    signup_create(activity=activity, user=resident)
    url = reverse("neighborhoods:activity-cancel", args=[activity.pk])
    response = login(resident).post(url, {"next": bad})
    assert response.status_code == 302
    assert response.url == activity.get_absolute_url()


def test_it_follows_a_next_on_this_site(login, resident, activity):
    signup_create(activity=activity, user=resident)
    url = reverse("neighborhoods:activity-cancel", args=[activity.pk])
    response = login(resident).post(url, {"next": "/me/"})
    assert response.status_code == 302
    assert response.url == "/me/"
