"""上云: a resident asks to be linked to their household; committee staff decide."""

import pytest

from neighborhoods.models import LinkRequest
from tests import factories as f

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def newcomer(gjxc_household):
    """A signed-up account whose person is in the register (周秀英's daughter) but not linked."""
    f.ResidentFactory(household=gjxc_household, name="王丽", birth_date=f.born_years_ago(52))
    return f.UserFactory(
        username="wangli", first_name="王丽", phone="13700007777", phone_verified=True
    )


def ask(client, places, **overrides):
    data = {"neighbourhood": places["gjxc"].pk, "building": "1号", "room": "302", "name": "王丽"}
    return client.post("/me/link/", {**data, **overrides}, **EN)


@pytest.fixture
def pending(newcomer, places):
    return LinkRequest.objects.create(
        user=newcomer, neighbourhood=places["gjxc"], building="1号", room="302", name="王丽"
    )


def test_it_records_a_link_request(login, newcomer, places):
    client = login(newcomer)
    response = ask(client, places, building=" 1号 ")
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    request = LinkRequest.objects.get()
    assert (request.user, request.neighbourhood) == (newcomer, places["gjxc"])
    assert (request.building, request.room, request.name) == ("1号", "302", "王丽")
    assert request.status == LinkRequest.Status.PENDING
    page = client.get("/me/", **EN).content.decode()
    assert "You asked to be linked to 公交新村居民区, building 1号, room 302" in page


def test_it_keeps_everything_typed_when_the_request_is_incomplete(login, newcomer, places):
    response = ask(login(newcomer), places, name="", room="302室")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error"' in html
    assert 'value="302室"' in html
    assert 'value="1号"' in html
    assert f'<option value="{places["gjxc"].pk}" selected>' in html
    assert not LinkRequest.objects.exists()


def test_it_refuses_an_unknown_neighbourhood(login, newcomer, places):
    response = ask(login(newcomer), places, neighbourhood=999999)
    assert response.status_code == 400
    assert not LinkRequest.objects.exists()


def test_it_refuses_a_second_pending_request(login, pending, newcomer, places):
    response = ask(login(newcomer), places, room="303")
    assert response.status_code == 302
    assert list(LinkRequest.objects.all()) == [pending]


def test_it_refuses_a_request_from_a_linked_resident(login, resident, places):
    response = ask(login(resident), places, name="李梅")
    assert response.status_code == 302
    assert not LinkRequest.objects.exists()


def test_it_sends_an_anonymous_visitor_to_sign_in(client, places):
    response = ask(client, places)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not LinkRequest.objects.exists()


def test_it_shows_the_request_in_the_queue_of_its_neighbourhoods_staff(login, huyun, pending):
    response = login(huyun).get("/staff/links/")
    assert response.status_code == 200
    assert list(response.context["link_requests"]) == [pending]
    assert "王丽" in response.content.decode()


def test_it_hides_the_request_from_staff_of_another_neighbourhood(login, yangying, pending):
    client = login(yangying)
    assert list(client.get("/staff/links/").context["link_requests"]) == []
    assert client.get(f"/staff/links/{pending.pk}/").status_code == 404
    response = client.post(
        f"/staff/links/{pending.pk}/", {"decision": "reject", "reason": "不认识"}
    )
    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == LinkRequest.Status.PENDING


def test_it_refuses_the_queue_to_a_resident(login, resident, pending):
    client = login(resident)
    assert client.get("/staff/links/").status_code == 403
    assert client.get(f"/staff/links/{pending.pk}/").status_code == 403


def test_it_offers_the_matching_resident(login, huyun, pending):
    response = login(huyun).get(f"/staff/links/{pending.pk}/")
    assert response.status_code == 200
    assert [r.name for r in response.context["form"].fields["resident"].queryset] == ["王丽"]


def test_it_links_the_account_when_staff_approve(login, huyun, pending, newcomer, gjxc_household):
    match = gjxc_household.residents.get(name="王丽")
    client = login(huyun)
    response = client.post(
        f"/staff/links/{pending.pk}/", {"decision": "approve", "resident": match.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/links/"
    pending.refresh_from_db()
    match.refresh_from_db()
    assert match.user == newcomer
    assert pending.status == LinkRequest.Status.APPROVED
    assert (pending.resident, pending.decided_by) == (match, huyun)
    assert pending.decided_at is not None
    assert list(client.get("/staff/links/").context["link_requests"]) == []

    page = login(newcomer).get("/me/", **EN)
    assert page.context["household"] == gjxc_household
    html = page.content.decode()
    assert "1号 302室" in html
    assert "周秀英" in html
    assert "Ask to be linked" not in html


def test_it_requires_a_resident_to_approve(login, huyun, pending):
    response = login(huyun).post(f"/staff/links/{pending.pk}/", {"decision": "approve"}, **EN)
    assert response.status_code == 400
    assert "Choose the resident this account belongs to." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == LinkRequest.Status.PENDING


def test_it_refuses_to_approve_with_a_resident_who_does_not_match(
    login, huyun, pending, gjxc_household
):
    other = gjxc_household.residents.get(name="周秀英")
    response = login(huyun).post(
        f"/staff/links/{pending.pk}/", {"decision": "approve", "resident": other.pk}
    )
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.user is None


def test_it_requires_a_reason_to_reject(login, huyun, pending):
    response = login(huyun).post(
        f"/staff/links/{pending.pk}/", {"decision": "reject", "reason": ""}, **EN
    )
    assert response.status_code == 400
    assert "Say why, so the resident knows what to correct." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == LinkRequest.Status.PENDING


def test_it_shows_the_reason_of_a_rejection_to_the_resident(
    login, huyun, pending, newcomer, places
):
    response = login(huyun).post(
        f"/staff/links/{pending.pk}/", {"decision": "reject", "reason": "房号不对，请核对"}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == LinkRequest.Status.REJECTED
    assert pending.decided_by == huyun

    client = login(newcomer)
    html = client.get("/me/", **EN).content.decode()
    assert "房号不对，请核对" in html
    assert "Ask to be linked" in html
    # ...and they may ask again.
    assert ask(client, places).status_code == 302
    assert LinkRequest.objects.filter(status=LinkRequest.Status.PENDING).count() == 1


def test_it_does_not_decide_a_request_twice(login, huyun, pending):
    client = login(huyun)
    client.post(f"/staff/links/{pending.pk}/", {"decision": "reject", "reason": "重复"})
    response = client.get(f"/staff/links/{pending.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/links/"


def test_it_lets_a_district_admin_decide_any_request(login, admin, pending, gjxc_household):
    match = gjxc_household.residents.get(name="王丽")
    response = login(admin).post(
        f"/staff/links/{pending.pk}/", {"decision": "approve", "resident": match.pk}
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.user == pending.user


def test_it_allows_only_one_pending_request_per_account_in_the_database(pending, places):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        LinkRequest.objects.create(
            user=pending.user, neighbourhood=places["gjxc"], building="2号", room="1", name="x"
        )


def make_requests(places, count, start):
    for n in range(start, start + count):
        user = f.UserFactory(username=f"asker{n}", first_name=f"居民{n}")
        LinkRequest.objects.create(
            user=user, neighbourhood=places["gjxc"], building="1号", room=f"{n}", name=f"居民{n}"
        )


def test_it_keeps_the_queue_within_its_query_budget(
    login, huyun, places, django_assert_max_num_queries
):
    """The queue costs the same with 5 and 15 waiting residents: requests come with their
    account and neighbourhood in one query (session, user, admin check, worker, list, and
    the alert job's heartbeat for the staff banner = 6)."""
    client = login(huyun)
    make_requests(places, 5, start=100)
    with django_assert_max_num_queries(6) as small:
        assert len(client.get("/staff/links/").context["link_requests"]) == 5
    make_requests(places, 10, start=200)
    with django_assert_max_num_queries(6) as large:
        assert len(client.get("/staff/links/").context["link_requests"]) == 15
    assert len(small.captured_queries) == len(large.captured_queries)


# --- An account whose number was never verified: staff check the person in person ----------


@pytest.fixture
def unverified_pending(gjxc_household, places):
    """沈红's flat, asked for by an account that typed a number but never its code."""
    f.ResidentFactory(household=gjxc_household, name="沈红", birth_date=f.born_years_ago(60))
    user = f.UserFactory(username="someone", phone="13600006666", phone_verified=False)
    return LinkRequest.objects.create(
        user=user, neighbourhood=places["gjxc"], building="1号", room="302", name="沈红"
    )


def test_staff_see_that_the_number_is_not_verified(login, huyun, unverified_pending):
    client = login(huyun)
    listing = client.get("/staff/links/", **EN).content.decode()
    assert "mobile number not verified" in listing
    page = client.get(f"/staff/links/{unverified_pending.pk}/", **EN).content.decode()
    assert "mobile number not verified" in page
    assert 'name="identity_document"' in page
    assert "136****6666" in page and "13600006666" not in page


def test_an_unverified_account_is_not_linked_without_an_identity_check(
    login, huyun, unverified_pending, gjxc_household
):
    match = gjxc_household.residents.get(name="沈红")
    response = login(huyun).post(
        f"/staff/links/{unverified_pending.pk}/",
        {"decision": "approve", "resident": match.pk},
        **EN,
    )
    assert response.status_code == 400
    assert "Record the identity document you checked in person" in response.content.decode()
    unverified_pending.refresh_from_db()
    match.refresh_from_db()
    assert unverified_pending.status == LinkRequest.Status.PENDING
    assert match.user is None


def test_the_model_refuses_it_too(huyun, unverified_pending, gjxc_household):
    from portal.exceptions import Refused

    match = gjxc_household.residents.get(name="沈红")
    with pytest.raises(Refused):
        unverified_pending.approve(by=huyun, resident=match)
    match.refresh_from_db()
    assert match.user is None


def test_staff_record_who_checked_which_document_and_when(
    login, huyun, unverified_pending, gjxc_household
):
    match = gjxc_household.residents.get(name="沈红")
    response = login(huyun).post(
        f"/staff/links/{unverified_pending.pk}/",
        {"decision": "approve", "resident": match.pk, "identity_document": "id_card"},
    )
    assert response.status_code == 302
    unverified_pending.refresh_from_db()
    assert unverified_pending.status == LinkRequest.Status.APPROVED
    assert unverified_pending.identity_document == "id_card"
    assert unverified_pending.identity_checked_by == huyun
    assert unverified_pending.identity_checked_at is not None


def test_a_verified_account_needs_no_identity_check(login, huyun, pending):
    page = login(huyun).get(f"/staff/links/{pending.pk}/").content.decode()
    assert 'name="identity_document"' not in page
