"""Phone numbers mean something only once their owner has proved them with a code."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from portal import security_log
from portal.models import User
from portal.phones import mask_phone


def holder_of(phone, exclude=None):
    users = User.objects.filter(phone=phone)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.first()


def set_phone(user, phone, verified):
    """Put `phone` on the account; if another, unverified account holds it, keep it as this
    account's claim (pending_phone) until the code proves it (see phone_verified_by_owner)."""
    holder = holder_of(phone, exclude=user) if phone else None
    if holder is not None and not verified:
        user.pending_phone = phone
        user.save(update_fields=["pending_phone"])
        return
    user.phone, user.phone_verified, user.pending_phone = phone, verified, None
    user.save(update_fields=["phone", "phone_verified", "pending_phone"])


def get_phone(user):
    if user.phone:
        return user.phone, user.phone_verified
    if user.pending_phone:
        return user.pending_phone, False
    return None


@transaction.atomic
def phone_verified_by_owner(user, phone):
    """The person typed the code sent to `phone`: the number is theirs.

    An unverified account holding the same number loses it (a verified number takes
    precedence over an unverified claim) and is told: /me/ says so (phone_lost) and, if it
    has an email address, an email does. A number
    already verified by another account is never taken: sign-up refuses it beforehand.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    holder = User.objects.select_for_update().filter(phone=phone).exclude(pk=user.pk).first()
    if holder is not None:
        if holder.phone_verified:
            raise ValueError("A verified number cannot be taken by another account.")
        holder.phone, holder.phone_verified, holder.phone_lost = None, False, True
        holder.save(update_fields=["phone", "phone_verified", "phone_lost"])
        security_log.event("phone.released", None, user=holder, phone=phone, to_account=user.pk)
        if holder.email:
            send_mail(
                _("睦邻社区云: your mobile number was removed"),
                _(
                    "The mobile number %(phone)s on your account was never verified, and its "
                    "owner has now verified it on their own account, so it was removed from "
                    "yours. Sign in and verify a number of your own."
                )
                % {"phone": mask_phone(phone)},
                None,
                [holder.email],
                fail_silently=True,
            )
    user.phone, user.phone_verified, user.pending_phone = phone, True, None
    user.save(update_fields=["phone", "phone_verified", "pending_phone"])
    security_log.event("phone.verified", None, user=user, phone=phone)
    return user
