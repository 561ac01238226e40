"""Every URL of the foundation for every role: who gets the page, who is sent away, who gets
nothing. Also the methods each view declares (others get 405)."""

import pytest
from django.urls import get_resolver

from neighborhoods.models import LinkRequest

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "stranger", "huyun", "yangying", "admin"]
LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin-login"

# (method, url, expected status for anonymous, resident, stranger, huyun, yangying, admin)
# {household} is a 公交新村 household, {link} a pending request of 公交新村.
TABLE = [
    ("get", "/", [200, 200, 200, 200, 200, 200]),
    ("get", "/me/", [LOGIN, 200, 200, 200, 200, 200]),
    ("post", "/me/link/", [LOGIN, 400, 400, 400, 400, 400]),  # empty form: 400 with errors
    ("post", "/me/text-size/", [302, 302, 302, 302, 302, 302]),
    ("get", "/staff/", [LOGIN, 403, 403, 200, 200, 200]),
    ("get", "/staff/households/", [LOGIN, 403, 403, 200, 200, 200]),
    ("get", "/staff/households/{household}/", [LOGIN, 403, 403, 200, 404, 200]),
    ("get", "/staff/households/999999/", [LOGIN, 403, 403, 404, 404, 404]),
    ("get", "/staff/links/", [LOGIN, 403, 403, 200, 200, 200]),
    ("get", "/staff/links/{link}/", [LOGIN, 403, 403, 200, 404, 200]),
    ("get", "/dashboard/", [LOGIN, 403, 403, 200, 200, 200]),
    ("get", "/dashboard/help/", [LOGIN, 403, 403, 200, 200, 200]),
    ("get", "/dashboard/neighbourhoods/{gjxc}/", [LOGIN, 403, 403, 200, 404, 200]),
    ("get", "/healthz", [200, 200, 200, 200, 200, 200]),
    ("get", "/admin/", [ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200]),
]

# Methods a view does not accept: 405 whoever asks.
WRONG_METHODS = [
    ("get", "/me/link/"),
    ("get", "/me/text-size/"),
    ("post", "/staff/"),
    ("post", "/staff/households/"),
    ("post", "/staff/households/{household}/"),
    ("delete", "/staff/households/{household}/"),
    ("post", "/staff/links/"),
    ("put", "/staff/links/{link}/"),
    ("delete", "/staff/links/{link}/"),
    ("post", "/dashboard/"),
    ("post", "/dashboard/neighbourhoods/{gjxc}/"),
    ("post", "/healthz"),
]

CASES = [
    pytest.param(method, url, role, expected[i], id=f"{method} {url} as {role}")
    for method, url, expected in TABLE
    for i, role in enumerate(ROLES)
]


@pytest.fixture
def objects(gjxc_household, dhg_household, stranger):
    link = LinkRequest.objects.create(
        user=stranger,
        neighbourhood=gjxc_household.building.neighbourhood,
        building="1号",
        room="302",
        name="周秀英",
    )
    return {
        "household": gjxc_household.pk,
        "link": link.pk,
        "gjxc": gjxc_household.building.neighbourhood_id,
    }


@pytest.fixture
def as_role(request, client):
    def _as(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return _as


@pytest.mark.parametrize(("method", "url", "role", "expected"), CASES)
def test_it_answers_each_role_as_the_table_says(as_role, objects, method, url, role, expected):
    client = as_role(role)
    path = url.format(**objects)
    response = getattr(client, method)(path)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(f"/accounts/login/?next={path}")
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    else:
        assert response.status_code == expected, response.content.decode()[:500]


@pytest.mark.parametrize("role", ["anonymous", "huyun", "admin"])
@pytest.mark.parametrize(("method", "url"), WRONG_METHODS)
def test_it_refuses_methods_a_view_does_not_declare(as_role, objects, method, url, role):
    response = getattr(as_role(role), method)(url.format(**objects))
    assert response.status_code == 405


def url_names(namespace):
    _, resolver = get_resolver().namespace_dict[namespace]
    return {key for key in resolver.reverse_dict if isinstance(key, str)}


def test_it_covers_every_foundation_url_in_the_table():
    """A new URL of the portal (or a change to the register pages) must get a row above.

    Other apps add their own pages to `neighborhoods`; their tests cover those.
    """
    assert url_names("portal") == {
        "home",
        "me",
        "name-change",
        "inbox",
        "inbox-message",
        "inbox-read",
        "inbox-read-all",
        "inbox-settings",
        "link-request-new",
        "text-size",
        "my-data",  # residents' rights: tests/portal/test_privacy_rights.py, the role table
        "account-close",
        "dashboard",
        "dashboard-help",
        "dashboard-neighbourhood",
    }
    assert {
        "staff-home",
        "household-list",
        "household-detail",
        "link-request-list",
        "link-request-decide",
    } <= url_names("neighborhoods")
