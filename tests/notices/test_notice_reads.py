"""Read receipts: a resident confirms with "已读" (a POST; opening the notice writes nothing),
is counted once even when pressing it twice at once; staff see how many residents read it
and which households of their zone have not."""

import pytest
from django.test import Client
from django.urls import reverse

from notices.board.services import notice_mark_read
from notices.models import NoticeRead
from tests import factories as f
from tests.concurrency import run_concurrently
from tests.notices.notice_fixtures import make_notice


def read_url(notice):
    return reverse("notices:notice-read", args=[notice.pk])


def mark_read(client, notice):
    response = client.post(read_url(notice))
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    return response


@pytest.mark.django_db
def test_it_writes_nothing_when_a_notice_is_opened(login, resident, gjxc_notice):
    """Finding 7: a GET wrote a receipt (link previews and prefetching count as reads)."""
    client = login(resident)
    page = client.get(gjxc_notice.get_absolute_url()).content.decode()
    assert read_url(gjxc_notice) in page
    assert not NoticeRead.objects.exists()


@pytest.mark.django_db
def test_it_counts_a_resident_once(login, resident, gjxc_notice):
    client = login(resident)
    for _ in range(3):
        mark_read(client, gjxc_notice)
    assert NoticeRead.objects.filter(notice=gjxc_notice, user=resident).count() == 1
    page = client.get(gjxc_notice.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content
    assert "You have marked this notice as read" in page.decode()


@pytest.mark.django_db
def test_it_guards_the_read_button(client, login, resident, gjxc_notice, dhg_private):
    response = client.post(read_url(gjxc_notice))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(resident).get(read_url(gjxc_notice)).status_code == 405
    assert login(resident).post(read_url(dhg_private)).status_code == 404
    assert not NoticeRead.objects.exists()


@pytest.mark.django_db
def test_it_does_not_count_visitors_staff_or_unlinked_accounts(
    client, login, huyun, stranger, gjxc_notice
):
    client.post(read_url(gjxc_notice))
    mark_read(login(huyun), gjxc_notice)
    mark_read(login(stranger), gjxc_notice)
    assert not NoticeRead.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_counts_concurrent_reads_once(places, resident, gjxc_notice):
    """Eight presses at the same moment, each on its own connection: one receipt."""
    clients = [Client() for _ in range(8)]
    for client in clients:
        client.force_login(resident)
    outcome = run_concurrently(lambda i: clients[i].post(read_url(gjxc_notice)), 8)
    assert outcome.errors == []
    assert [response.status_code for response in outcome.values] == [302] * 8
    assert NoticeRead.objects.filter(notice=gjxc_notice, user=resident).count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_survives_the_race_in_the_service_itself(places, resident, gjxc_notice):
    def mark(_):
        notice_mark_read(notice=gjxc_notice, user=type(resident).objects.get(pk=resident.pk))

    assert run_concurrently(mark, 6).errors == []
    assert NoticeRead.objects.count() == 1


@pytest.mark.django_db
def test_it_shows_staff_how_many_have_read_and_who_has_not(login, places, huyun, resident):
    notice = make_notice(places["gjxc"])
    zone_building = places["gjxc"].buildings.get(number="1号")
    reader = f.linked_resident(places["gjxc"], "reader", room="401", name="王芳")
    not_yet = f.HouseholdFactory(building=zone_building, room="502")
    f.ResidentFactory(household=not_yet, name="孙阿婆", birth_date=f.born_years_ago(85))
    other_zone = f.HouseholdFactory(
        building=f.BuildingFactory(neighbourhood=places["gjxc"], number="9号"), room="101"
    )
    f.ResidentFactory(household=other_zone, name="别片居民")
    mark_read(login(reader), notice)

    response = login(huyun).get(reverse("notices:notice-reads", args=[notice.pk]))
    assert response.status_code == 200
    assert (response.context["read"], response.context["accounts"]) == (1, 2)
    unread = {str(h) for h in response.context["page"].object_list}
    # 1号 302 (resident, not read) and 1号 502 are in huyun's zone; 1号 401 has read it;
    # 9号 is outside huyun's zone.
    assert unread == {"1号 302室", "1号 502室"}
    assert "孙阿婆" in response.content.decode()


@pytest.mark.django_db
def test_it_limits_a_district_notices_reads_to_my_neighbourhood(
    login, places, yangying, resident, other_resident
):
    notice = make_notice(places["district"], title="全区通知")
    mark_read(login(resident), notice)
    mark_read(login(other_resident), notice)
    response = login(yangying).get(reverse("notices:notice-reads", args=[notice.pk]))
    assert (response.context["read"], response.context["accounts"]) == (1, 1)


@pytest.mark.django_db
def test_it_does_not_count_a_household_as_read_by_someone_who_moved_out(
    login, places, huyun, resident
):
    """The flat still needs telling when the only reader has moved away."""
    notice = make_notice(places["gjxc"])
    mark_read(login(resident), notice)
    resident.resident.move_out()
    response = login(huyun).get(reverse("notices:notice-reads", args=[notice.pk]))
    unread = {str(h) for h in response.context["page"].object_list}
    assert "1号 302室" in unread


@pytest.mark.django_db
def test_a_district_admin_follows_a_district_notice_up_one_neighbourhood_at_a_time(
    login, places, admin, resident, other_resident
):
    """The district's 500,000 households unread, sorted and counted took half a second:
    an admin chooses one of the notice's neighbourhoods (the first by default)."""
    notice = make_notice(places["district"], title="全区通知")
    mark_read(login(resident), notice)
    client = login(admin)
    counts = {}
    for key in ("gjxc", "dhg"):
        response = client.get(read_url_for(notice), {"neighbourhood": places[key].pk})
        assert response.status_code == 200
        assert f'<option value="{places[key].pk}" selected>' in response.content.decode()
        counts[key] = (response.context["read"], response.context["accounts"])
    assert counts == {"gjxc": (1, 1), "dhg": (0, 1)}
    default = client.get(read_url_for(notice))
    chosen = default.context["neighbourhood_form"].initial["neighbourhood"]
    assert chosen in (places["gjxc"], places["dhg"])


@pytest.mark.django_db
def test_a_neighbourhoods_notice_needs_no_choice(login, places, admin):
    notice = make_notice(places["gjxc"])
    response = login(admin).get(read_url_for(notice))
    assert response.status_code == 200 and response.context["neighbourhood_form"] is None


def read_url_for(notice):
    return reverse("notices:notice-reads", args=[notice.pk])
