from django.db import transaction

from neighborhoods.models import LinkRequest


@transaction.atomic
def link_request_create(*, user, neighbourhood, building, room, name):
    return LinkRequest.objects.create(
        user=user,
        neighbourhood=neighbourhood,
        building=building.strip(),
        room=room.strip(),
        name=name.strip(),
    )
