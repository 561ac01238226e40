"""Phone numbers and email addresses mean something only once their owner has proved them
(a code by SMS, a link by email)."""

from allauth.account.models import EmailAddress
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
        holder_email = verified_email(holder)
        if holder_email:
            send_mail(
                _("睦邻社区云: your mobile number was removed"),
                _(
                    "The mobile number %(phone)s on your account was never verified, and its "
                    "owner has now verified it on their own account, so it was removed from "
                    "yours. Sign in and verify a number of your own."
                )
                % {"phone": mask_phone(phone)},
                None,
                [holder_email],
                fail_silently=True,
            )
    user.phone, user.phone_verified, user.pending_phone = phone, True, None
    user.save(update_fields=["phone", "phone_verified", "pending_phone"])
    security_log.event("phone.verified", None, user=user, phone=phone)
    return user


def verified_email(user):
    """The address that reaches the person: their verified email address (the primary one
    first), or "". An address typed at sign-up or added later is nobody's until the link sent
    to it is followed: it gets the verification mail and nothing else (no messages, no
    password reset), and cannot be used to sign in."""
    addresses = getattr(user, "verified_emails", None)  # prefetched by messaging.service
    if addresses is None:
        addresses = EmailAddress.objects.filter(user_id=user.pk, verified=True)
    addresses = sorted(addresses, key=lambda a: (not a.primary, a.pk))
    return addresses[0].email if addresses else ""


def email_taken(email):
    """Sign-up: an address is taken only once some account has verified it."""
    return EmailAddress.objects.filter(email__iexact=email, verified=True).exists()


@transaction.atomic
def email_verified_by_owner(address):
    """`address` (an EmailAddress) was just verified: other accounts' unverified claims to the
    same address are dropped, as for a mobile number (a verified claim takes precedence)."""
    others = EmailAddress.objects.filter(email__iexact=address.email, verified=False).exclude(
        user_id=address.user_id
    )
    others.delete()
    # Their accounts' copy of it too (and an admin-entered User.email of the same address).
    released = (
        User.objects.filter(email__iexact=address.email)
        .exclude(pk=address.user_id)
        .update(email="")
    )
    security_log.event("email.verified", None, user=address.user, released_from=released)
