"""Query budgets: the notices list and the home page cost the same with 3× the notices."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notices.models import Notice, NoticeImage, NoticeRead
from tests import factories as f
from tests.images import image_bytes
from tests.notices.notice_fixtures import make_notice

pytestmark = pytest.mark.django_db

LIST_BUDGET = 12
HOME_BUDGET = 16
# The read list is a list page plus the access record of the households it shows (the row,
# one bulk insert of its households: portal/audit.py).
READS_BUDGET = LIST_BUDGET + 2


def add_notices(places, count, reader=None):
    scopes = [places["gjxc"], places["gjxc"].subdistrict, places["district"], places["dhg"]]
    for i in range(count):
        notice = make_notice(
            scopes[i % len(scopes)], title=f"通知{i}", pinned=i % 5 == 0,
            audience=Notice.Audience.RESIDENTS if i % 3 == 0 else Notice.Audience.PUBLIC,
        )  # fmt: skip
        if i % 2 == 0:
            image = NoticeImage(notice=notice)
            image.image.save(f"n{i}.jpg", ContentFile(image_bytes()), save=False)
            image.thumbnail.save(f"n{i}-t.jpg", ContentFile(image_bytes()), save=False)
            image.save()
        if reader is not None:
            NoticeRead.objects.create(notice=notice, user=reader)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", [None, "resident", "huyun", "admin"])
def test_it_lists_notices_within_a_fixed_query_budget(
    request, client, places, django_assert_max_num_queries, persona
):
    """/notices/: session and roles, the filter form, count, one page, its images (prefetched).

    Measured with 6 and 18 notices (each with scopes, images and receipts): the same number of
    queries, within LIST_BUDGET, for a visitor, a resident, committee staff and an admin.
    """
    if persona:
        client.force_login(request.getfixturevalue(persona))
    url = reverse("notices:notice-list")
    add_notices(places, 6)
    few = count_queries(client, url)
    add_notices(places, 12)
    with django_assert_max_num_queries(LIST_BUDGET):
        many = count_queries(client, url)
    assert few == many


@pytest.mark.parametrize("persona", [None, "resident", "huyun"])
def test_it_shows_home_notices_within_a_fixed_query_budget(
    request, client, places, django_assert_max_num_queries, persona
):
    """/: the whole home page (notices card and the other cards) with 6 and 18 notices."""
    if persona:
        client.force_login(request.getfixturevalue(persona))
    url = reverse("portal:home")
    add_notices(places, 6)
    few = count_queries(client, url)
    add_notices(places, 12)
    with django_assert_max_num_queries(HOME_BUDGET):
        many = count_queries(client, url)
    assert few == many


def test_it_shows_my_pinned_and_latest_notices_on_the_home_page(login, places, resident):
    make_notice(places["gjxc"], title="置顶的水箱通知", pinned=True)
    make_notice(places["district"], title="全区的新消息")
    make_notice(places["dhg"], title="别处的通知")
    response = login(resident).get(reverse("portal:home"))
    home = response.context["home_notices"]
    assert [n.title for n in home["pinned"]] == ["置顶的水箱通知"]
    assert [n.title for n in home["latest"]] == ["全区的新消息"]
    page = response.content.decode()
    assert "置顶的水箱通知" in page and "别处的通知" not in page


def test_it_lists_unread_households_within_a_fixed_query_budget(
    login, places, huyun, django_assert_max_num_queries
):
    """/notices/<id>/reads/: counts, the zone's unread households and their residents
    (prefetched), and the access record of the households shown (2), with 5 and 15
    households in huyun's zone: the same number of queries, within READS_BUDGET."""

    notice = make_notice(places["gjxc"])
    building = places["gjxc"].buildings.get(number="1号")
    client = login(huyun)
    url = reverse("notices:notice-reads", args=[notice.pk])

    def add_households(start, count):
        for room in range(start, start + count):
            household = f.HouseholdFactory(building=building, room=str(room))
            f.ResidentFactory(household=household, name=f"居民{room}")

    add_households(100, 5)
    few = count_queries(client, url)
    add_households(200, 10)
    with django_assert_max_num_queries(READS_BUDGET):
        many = count_queries(client, url)
    assert few == many
