"""send_activity_reminders: the day before, to everyone confirmed, once."""

import io

import pytest
import time_machine
from django.core.management import call_command

from neighborhoods.activities import services
from neighborhoods.models import SignUp, SignUpNotice
from portal.messaging.testing import run_worker
from tests import factories as f

from .activity_fixtures import ActivityFactory, in_days, residents_of

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("send_activity_reminders", *args, stdout=out)
    return out.getvalue()


def test_it_reminds_the_confirmed_of_tomorrows_activities_once(
    fuxin, places, mailoutbox, django_capture_on_commit_callbacks
):
    tomorrow = ActivityFactory(centre=fuxin, capacity=1, starts_at=in_days(1, hour=9))
    later = ActivityFactory(centre=fuxin, starts_at=in_days(2))
    first, second = residents_of(places["gjxc"], 2)
    f.prove_email(first, "first@example.org")
    services.signup_create(activity=tomorrow, user=first)
    services.signup_create(activity=tomorrow, user=second)  # waiting list: no reminder
    services.signup_create(activity=later, user=second)
    assert "1 reminders due" in run("--dry-run")
    with django_capture_on_commit_callbacks(execute=True):
        assert run().startswith("1 reminders sent")
        assert run().startswith("0 reminders sent")
    assert SignUp.objects.get(activity=tomorrow, user=first).reminded_at is not None
    assert SignUpNotice.objects.filter(kind="reminder").count() == 1
    run_worker()  # the message queue's worker sends the email
    assert [m.to for m in mailoutbox] == [["first@example.org"]]


def test_it_sends_a_reminder_claimed_by_another_run_not_again(fuxin, places):
    activity = ActivityFactory(centre=fuxin, starts_at=in_days(1))
    (user,) = residents_of(places["gjxc"], 1)
    signup = services.signup_create(activity=activity, user=user)
    # Two runs read the same due list; only the first UPDATE wins.
    with time_machine.travel(in_days(0, hour=10), tick=False):
        assert services.reminder_send(signup, signup.created) is True
        assert services.reminder_send(signup, signup.created) is False
    assert SignUpNotice.objects.count() == 1
