from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from neighborhoods.models import LinkRequest

from .exceptions import Refused


def link_request_create(*, user, neighbourhood, building, room, name):
    """Ask to be linked (上云); Refused when the account is linked or already waiting.

    The partial unique constraint `one_pending_link_request` is what keeps it to one open
    request per account: two taps that pass the check together both reach the INSERT, and
    the loser's IntegrityError is rolled back in its own savepoint and answered as a refusal.
    """
    already = Refused(_("Your household link is already on record."))
    if user.resident or user.link_requests.pending().exists():
        raise already
    try:
        with transaction.atomic():
            return LinkRequest.objects.create(
                user=user,
                neighbourhood=neighbourhood,
                building=building.strip(),
                room=room.strip(),
                name=name.strip(),
            )
    except IntegrityError:
        raise already from None
