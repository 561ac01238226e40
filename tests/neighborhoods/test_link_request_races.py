"""上云 decisions and requests under real concurrency: threads on their own connections.

Before the row lock, approve and reject at the same moment both "succeeded" (the request
ended approved while the rejecting colleague was told it was rejected), two approvals of
one resident for two accounts answered 500, and a double-tapped "link my household" hit
the one-pending-request constraint with a 500.
"""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import translation

from neighborhoods.models import LinkRequest
from neighborhoods.register.services import link_request_create
from portal.exceptions import Refused
from tests import factories as f
from tests.concurrency import clients_of, run_concurrently

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def notes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def colleague(places, huyun):
    user = f.UserFactory(username="colleague", first_name="陈静")
    f.WorkerFactory(user=user, neighbourhood=places["gjxc"], position="社工")
    return user


@pytest.fixture
def wangli(gjxc_household):
    return f.ResidentFactory(household=gjxc_household, name="王丽", birth_date=f.born_years_ago(52))


def claim(places, username):
    user = f.UserFactory(username=username, first_name="王丽", phone_verified=True)
    return LinkRequest.objects.create(
        user=user, neighbourhood=places["gjxc"], building="1号", room="302", name="王丽"
    )


def staff_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_it_decides_a_request_once_when_approve_and_reject_race(places, huyun, colleague, wangli):
    """Five rounds of approve (胡云) against reject (陈静) at the same moment."""
    for round_ in range(5):
        request = claim(places, f"claimant{round_}")
        url = f"/staff/links/{request.pk}/"
        approver, rejecter = staff_client(huyun), staff_client(colleague)

        def decide(i, url=url, approver=approver, rejecter=rejecter):
            if i == 0:
                return approver.post(url, {"decision": "approve", "resident": wangli.pk}, **EN)
            return rejecter.post(url, {"decision": "reject", "reason": "查无此人"}, **EN)

        outcome = run_concurrently(decide, 2)
        assert outcome.errors == []
        approved, rejected = outcome.values
        assert [approved.status_code, rejected.status_code] == [302, 302]
        request.refresh_from_db()
        wangli.refresh_from_db()
        if request.status == LinkRequest.Status.APPROVED:
            assert wangli.user_id == request.user_id
            assert notes(approved) == ["Linked. The resident now sees their household."]
            assert notes(rejected) == ["This request has already been approved by 胡云."]
        else:
            assert request.status == LinkRequest.Status.REJECTED
            assert wangli.user_id is None
            assert notes(rejected) == ["Request rejected; the resident sees your reason."]
            assert notes(approved) == ["This request has already been rejected by 陈静."]
        wangli.user = None
        wangli.save(update_fields=["user"])


@pytest.mark.django_db(transaction=True)
def test_it_links_a_resident_to_one_account_when_two_approvals_race(
    places, huyun, colleague, wangli
):
    """Two accounts both claim 王丽 and two staff approve both at once: one link, no 500."""
    first, second = claim(places, "claimant-a"), claim(places, "claimant-b")
    clients = [staff_client(huyun), staff_client(colleague)]
    outcome = run_concurrently(
        lambda i: clients[i].post(
            f"/staff/links/{(first, second)[i].pk}/",
            {"decision": "approve", "resident": wangli.pk},
            **EN,
        ),
        2,
    )
    assert outcome.errors == []
    wangli.refresh_from_db()
    statuses = sorted(LinkRequest.objects.values_list("status", flat=True))
    assert statuses == ["approved", "pending"]
    assert wangli.user_id == LinkRequest.objects.get(status="approved").user_id
    linked = "Linked. The resident now sees their household."
    winners = [r for r in outcome.values if r.status_code == 302 and notes(r) == [linked]]
    assert len(winners) == 1
    second = next(r for r in outcome.values if r is not winners[0])
    # The loser is told, whichever step saw the winner's link: the service under the row
    # lock (a redirect with the refusal) or, a moment later, the form's list of residents
    # still free to link (the page again, with the error next to the choice).
    if second.status_code == 302:
        assert notes(second) == ["王丽 is already linked to another account; nothing was changed."]
    else:
        assert second.status_code == 400
        assert "no longer free to link" in second.content.decode()


@pytest.mark.django_db(transaction=True)
def test_it_records_one_link_request_for_sixteen_taps(places, huyun, wangli):
    user = f.UserFactory(username="wangli", first_name="王丽")
    clients = clients_of(user, 16)
    data = {"neighbourhood": places["gjxc"].pk, "building": "1号", "room": "302", "name": "王丽"}
    outcome = run_concurrently(lambda i: clients[i].post("/me/link/", data), 16)
    assert outcome.errors == []
    assert [(r.status_code, r["Location"]) for r in outcome.values] == [(302, "/me/")] * 16
    assert LinkRequest.objects.filter(user=user).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_service_answers_the_constraints_loser_with_a_refusal(places, huyun):
    """Without the double-tap guard (two different posts at once): the partial unique
    constraint keeps one pending request, and the others are refused, not IntegrityError."""
    user = f.UserFactory(username="wangli", first_name="王丽")

    def ask(i):
        try:
            link_request_create(
                user=type(user).objects.get(pk=user.pk),
                neighbourhood=places["gjxc"],
                building="1号",
                room=str(300 + i),
                name="王丽",
            )
        except Refused:
            return "refused"
        return "created"

    outcome = run_concurrently(ask, 8)
    assert outcome.errors == []
    assert sorted(outcome.values) == ["created"] + ["refused"] * 7
    assert LinkRequest.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_it_tells_the_second_colleague_who_decided(login, huyun, colleague, places, wangli):
    request = claim(places, "claimant")
    login(huyun).post(f"/staff/links/{request.pk}/", {"decision": "reject", "reason": "房号不对"})
    response = login(colleague).get(f"/staff/links/{request.pk}/", **EN)
    assert response.status_code == 302
    assert notes(response)[-1] == "This request has already been rejected by 胡云."


@pytest.mark.django_db
def test_the_model_refuses_a_second_decision(places, huyun, colleague, wangli):
    request = claim(places, "claimant")
    stale = LinkRequest.objects.get(pk=request.pk)
    request.approve(by=huyun, resident=wangli)
    with translation.override("en"), pytest.raises(Refused, match="already been approved by 胡云"):
        stale.reject(by=colleague, reason="查无此人")
    stale.refresh_from_db()
    assert (stale.status, stale.reason) == (LinkRequest.Status.APPROVED, "")


@pytest.mark.django_db
def test_the_model_refuses_a_resident_linked_to_another_account(places, huyun, wangli):
    first, second = claim(places, "claimant-a"), claim(places, "claimant-b")
    first.approve(by=huyun, resident=wangli)
    with pytest.raises(Refused, match="already linked to another account"):
        second.approve(by=huyun, resident=wangli)
    wangli.refresh_from_db()
    second.refresh_from_db()
    assert (wangli.user_id, second.status) == (first.user_id, LinkRequest.Status.PENDING)


@pytest.mark.django_db
def test_it_answers_a_form_error_for_a_resident_linked_meanwhile(login, huyun, places, wangli):
    first, second = claim(places, "claimant-a"), claim(places, "claimant-b")
    first.approve(by=huyun, resident=wangli)
    response = login(huyun).post(
        f"/staff/links/{second.pk}/", {"decision": "approve", "resident": wangli.pk}
    )
    assert response.status_code == 400
    second.refresh_from_db()
    assert second.status == LinkRequest.Status.PENDING
