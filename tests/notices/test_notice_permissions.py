"""Every notices URL for every role: anonymous, resident, resident of another neighbourhood,
committee staff of the neighbourhood and of another one, district admin."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(name, notice=None):
    return reverse(f"notices:{name}", args=[notice.pk] if notice else [])


@pytest.fixture
def as_(request, client, places):
    """as_("resident") → a client signed in as that persona (None: anonymous)."""

    def _as(persona):
        if persona is not None:
            client.force_login(request.getfixturevalue(persona))
        return client

    return _as


PUBLIC_PAGES = ["notice-detail", "notice-poster"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
@pytest.mark.parametrize(
    "persona", [None, "resident", "other_resident", "stranger", "huyun", "yangying", "admin"]
)
def test_it_shows_a_public_notice_to_everyone(as_, gjxc_notice, name, persona):
    response = as_(persona).get(url(name, gjxc_notice))
    assert response.status_code == 200
    assert "二号楼水箱清洗通知" in response.content.decode()


@pytest.mark.parametrize("name", PUBLIC_PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("stranger", 404),
        ("other_resident", 404),
        ("yangying", 404),
        ("resident", 200),
        ("huyun", 200),
        ("admin", 200),
    ],
)
def test_it_shows_residents_only_notices_to_the_scope_only(
    as_, gjxc_private, name, persona, status
):
    response = as_(persona).get(url(name, gjxc_private))
    assert response.status_code == status
    if status == 200:
        assert "居民代表会议" in response.content.decode()


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_it_asks_a_visitor_to_sign_in_for_a_residents_only_notice(client, gjxc_private, name):
    """A resident scanning the QR code of a residents-only poster in the lobby, not yet signed
    in, is sent to sign in (and back), not told that the notice does not exist."""
    response = client.get(url(name, gjxc_private))
    assert response.status_code == 302
    login = reverse("account_login")
    assert response["Location"] == f"{login}?next={url(name, gjxc_private)}"
    assert "居民代表会议".encode() not in response.content


@pytest.mark.parametrize("when", ["scheduled", "expired"])
def test_it_keeps_an_unpublished_residents_only_notice_a_404_for_visitors(
    client, gjxc_private, when
):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    if when == "scheduled":
        gjxc_private.publish_at = now + timedelta(days=1)
    else:
        gjxc_private.publish_at, gjxc_private.expires_at = now - timedelta(2), now - timedelta(1)
    gjxc_private.save()
    assert client.get(url("notice-detail", gjxc_private)).status_code == 404


@pytest.mark.parametrize("name", ["notice-create"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_publishers_to_sign_in(client, places, name, method):
    response = getattr(client, method)(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["notice-edit", "notice-reads"])
def test_it_sends_anonymous_staff_pages_to_sign_in(client, gjxc_notice, name):
    response = client.get(url(name, gjxc_notice))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["resident", "stranger", "other_resident"])
@pytest.mark.parametrize("name", ["notice-edit", "notice-reads"])
def test_it_forbids_staff_pages_to_residents(as_, gjxc_notice, persona, name):
    assert as_(persona).get(url(name, gjxc_notice)).status_code == 403


@pytest.mark.parametrize("persona", ["resident", "stranger"])
def test_it_forbids_publishing_to_residents(as_, persona):
    assert as_(persona).get(url("notice-create")).status_code == 403
    assert as_(persona).post(url("notice-create"), {"title": "x"}).status_code == 403


@pytest.mark.parametrize("name", ["notice-edit", "notice-reads"])
def test_it_hides_another_neighbourhoods_notice_from_its_staff(as_, gjxc_notice, name):
    assert as_("yangying").get(url(name, gjxc_notice)).status_code == 404


@pytest.mark.parametrize("persona", ["huyun", "admin"])
@pytest.mark.parametrize("name", ["notice-edit", "notice-reads"])
def test_it_opens_staff_pages_to_the_scope_and_admins(as_, gjxc_notice, persona, name):
    assert as_(persona).get(url(name, gjxc_notice)).status_code == 200


def test_it_lets_only_admins_edit_a_district_notice(as_, places):
    from tests.notices.notice_fixtures import make_notice

    notice = make_notice(places["district"], title="区级通知")
    assert as_("huyun").get(url("notice-edit", notice)).status_code == 404
    as_("admin")
    assert as_("admin").get(url("notice-edit", notice)).status_code == 200


@pytest.mark.parametrize(
    ("name", "with_pk"),
    [
        ("notice-list", False),
        ("notice-feed", False),
        ("notice-detail", True),
        ("notice-poster", True),
        ("notice-reads", True),
    ],
)
def test_it_refuses_posts_to_read_only_pages(as_, gjxc_notice, name, with_pk):
    response = as_("admin").post(url(name, gjxc_notice if with_pk else None))
    assert response.status_code == 405


@pytest.mark.parametrize("name", ["notice-create", "notice-edit"])
def test_it_refuses_other_methods_on_forms(as_, gjxc_notice, name):
    target = url(name, gjxc_notice if name == "notice-edit" else None)
    assert as_("huyun").delete(target).status_code == 405


def test_it_lists_for_every_role(as_, gjxc_notice):
    for persona in [None, "resident", "huyun", "admin"]:
        response = as_(persona).get(url("notice-list"))
        assert response.status_code == 200
        assert "二号楼水箱清洗通知" in response.content.decode()
