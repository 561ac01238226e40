"""Visitors' reads from the replica, read-your-writes for whoever just wrote
(portal/dbrouter.py; the replica itself is measured by benchmarks/run.py --replica-url)."""

from django.http import HttpResponse
from django.test import RequestFactory

from notices.models import Notice
from portal.dbrouter import READ_PRIMARY_COOKIE, ReplicaMiddleware, ReplicaRouter

router = ReplicaRouter()


def reads_from(request, write=False):
    seen = {}

    def view(request):
        seen["before"] = router.db_for_read(Notice)
        if write:
            router.db_for_write(Notice)
            seen["after"] = router.db_for_read(Notice)
        return HttpResponse("ok")

    response = ReplicaMiddleware(view)(request)
    return seen, response


def test_a_visitors_get_reads_the_replica_and_sets_no_cookie():
    seen, response = reads_from(RequestFactory().get("/notices/"))
    assert seen == {"before": "replica"}
    assert READ_PRIMARY_COOKIE not in response.cookies


def test_a_write_turns_the_rest_of_the_request_and_the_next_10_seconds_to_the_primary():
    seen, response = reads_from(RequestFactory().get("/notices/"), write=True)
    assert seen == {"before": "replica", "after": "default"}
    assert response.cookies[READ_PRIMARY_COOKIE]["max-age"] == 10
    request = RequestFactory().get("/notices/")
    request.COOKIES[READ_PRIMARY_COOKIE] = "1"
    assert reads_from(request)[0] == {"before": "default"}


def test_posts_and_signed_in_users_read_the_primary(settings):
    seen, response = reads_from(RequestFactory().post("/i18n/setlang/"))
    assert seen == {"before": "default"}
    assert READ_PRIMARY_COOKIE in response.cookies
    request = RequestFactory().get("/me/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    assert reads_from(request)[0] == {"before": "default"}


def test_outside_a_request_everything_reads_the_primary():
    assert router.db_for_read(Notice) == "default"
    assert router.allow_migrate("replica", "notices") is False
