"""Volunteer steps reach the volunteer as messages too, in their language."""

import pytest

from portal.models import Message
from volunteers.shifts import services as shifts

pytestmark = pytest.mark.django_db


def test_a_shift_reminder_reaches_the_volunteer_once(volunteer, shift):
    signup = shifts.shift_signup(shift=shift, volunteer=volunteer)
    shifts.tell_shift_reminder(signup)
    message = Message.objects.get(recipient=volunteer)
    assert (message.kind, message.subject) == ("shift_reminder", "班次提醒")
    assert shift.opportunity.title in message.body and shift.place in message.body
    assert "Tomorrow" not in message.body
