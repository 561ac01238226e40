"""Activities and sign-ups: everything that changes several rows or tells someone.

The capacity rule under concurrency: every change that can add or free a confirmed place
(sign-up, cancellation, a new capacity, calling the activity off) first locks the activity's
row with SELECT … FOR UPDATE. Changes to one activity therefore happen one after another,
each counting the confirmed sign-ups that the previous ones committed, so there are never
more confirmed than the capacity, and the waiting list moves in order. The database's partial
unique constraints keep it to one active sign-up per account and per resident.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.exceptions import Refused
from portal.images import attach_image

from ..messages import tell_signup
from ..models import Activity, Resident, SignUp, SignUpNotice, area_neighbourhoods

logger = logging.getLogger(__name__)

HOME_ACTIVITIES = 3


# --- Reading ---------------------------------------------------------------------------


def upcoming_activities(*, centre=None, neighbourhood=None, limit=5, open_only=False, now=None):
    """Published activities not over yet, soonest first, with their sign-up counts.

    For the centre page (`centre`), a neighbourhood's home page (`neighbourhood`: its
    committee's activities and those of the centres whose area includes it), or the district.
    `open_only` keeps those taking sign-ups now.
    """
    now = now or timezone.now()
    activities = Activity.objects.published().upcoming(now).for_list()
    if centre is not None:
        activities = activities.filter(centre=centre)
    if neighbourhood is not None:
        activities = activities.for_area(neighbourhood)
    if open_only:
        activities = activities.filter(starts_at__gt=now).exclude(signup_opens_at__gt=now)
        activities = activities.exclude(signup_closes_at__lte=now)
    return list(activities[:limit]) if limit else list(activities)


def person_of(user):
    """The register's record of a signed-in resident who lives here now, or None."""
    return user.resident if user.is_authenticated else None


def signup_of(activity, user):
    """This account's active sign-up for the activity (its own or made for its resident)."""
    if not user.is_authenticated:
        return None
    signups = activity.signups.active().select_related("activity")
    resident = person_of(user)
    mine = signups.filter(user=user).first()
    if mine is None and resident is not None:
        mine = signups.filter(resident=resident).first()
    return mine


def waitlist_place(signup):
    """1 for the first on the waiting list, 2 for the next…"""
    if signup.status != SignUp.Status.WAITLISTED:
        return None
    ahead = signup.activity.signups.waitlisted().filter(position__lt=signup.position).count()
    return ahead + 1


# --- Who may sign up -------------------------------------------------------------------


def signup_refusal(activity, resident, now):
    """Why this person may not sign up now (a sentence for them), or None.

    `resident` is the register's record of the person (None for an account not linked to a
    household): it answers "of the area" and the age, from the register's date of birth.
    """
    if activity.is_cancelled:
        return _("This activity has been cancelled.")
    if now >= activity.starts_at:
        return _("This activity has already started; sign-up is closed.")
    if activity.signup_opens_at and now < activity.signup_opens_at:
        opens = date_format(timezone.localtime(activity.signup_opens_at), "DATETIME_FORMAT")
        return _("Sign-up opens on %(when)s.") % {"when": opens}
    if now >= activity.closes_at:
        return _("Sign-up for this activity has closed.")
    allowed = activity.eligible_neighbourhoods()
    if allowed is not None:
        if resident is None:
            return _(
                "This activity is for residents of the area. Link your account to your "
                "household on “Me” first."
            )
        if not allowed.filter(pk=resident.household.building.neighbourhood_id).exists():
            return _("This activity is only for %(who)s.") % {"who": activity.audience_label()}
    if activity.min_age:
        age = activity.age_on_day(resident)
        if age is None:
            return _(
                "This activity is for people aged %(age)d or over, and the household register "
                "has no date of birth for you. Please ask your residents' committee."
            ) % {"age": activity.min_age}
        if age < activity.min_age:
            return _("This activity is for people aged %(age)d or over.") % {
                "age": activity.min_age
            }
    return None


# --- Signing up and cancelling ---------------------------------------------------------


def _locked(activity):
    return Activity.objects.select_for_update().get(pk=activity.pk)


def signup_create(*, activity, user=None, resident=None, made_by=None, now=None):
    """Sign a person up: confirmed while places are left, else on the waiting list.

    `user` signs themself up (their resident record is taken from the account);
    staff pass `resident` and `made_by` for someone without a phone. Raises Refused.
    """
    now = now or timezone.now()
    if user is not None and resident is None:
        resident = person_of(user)
    refusal = signup_refusal(activity, resident, now)
    if refusal:
        raise Refused(refusal)
    already = Refused(_("You are already signed up for this activity."))
    if made_by is not None:
        already = Refused(
            _("%(name)s is already signed up for this activity.") % {"name": resident.name}
        )
    try:
        with transaction.atomic():
            activity = _locked(activity)
            refusal = signup_refusal(activity, resident, now)  # it may have changed meanwhile
            if refusal:
                raise Refused(refusal)
            signups = activity.signups.all()
            confirmed = signups.filter(status=SignUp.Status.CONFIRMED).count()
            full = activity.capacity is not None and confirmed >= activity.capacity
            last = signups.aggregate(last=Max("position"))["last"] or 0
            return SignUp.objects.create(
                activity=activity,
                user=user,
                resident=resident,
                made_by=made_by,
                status=SignUp.Status.WAITLISTED if full else SignUp.Status.CONFIRMED,
                position=last + 1,
                created=now,
            )
    except IntegrityError:
        # The partial unique constraints: this person has an active sign-up already.
        raise already from None


def signup_cancel(*, signup, by, now=None):
    """Cancel a sign-up; a freed place goes to the first on the waiting list at once.

    The person themself may cancel until the cancellation deadline; the activity's staff
    until it ends (someone phones in ill). Returns the promoted sign-up, if any.
    """
    now = now or timezone.now()
    with transaction.atomic():
        activity = _locked(signup.activity)
        signup = SignUp.objects.select_for_update().get(pk=signup.pk)
        signup.activity = activity
        if not signup.is_active:
            raise Refused(_("This sign-up was already cancelled."))
        staff = Activity.objects.managed_by(by).filter(pk=activity.pk).exists()
        if not staff and now >= activity.cancellable_until:
            raise Refused(
                _("The time to cancel has passed. Please tell the organisers if you cannot come.")
            )
        if staff and activity.is_past(now):
            raise Refused(_("This activity is over; record attendance instead."))
        was_confirmed = signup.status == SignUp.Status.CONFIRMED
        signup.status, signup.cancelled_at = SignUp.Status.CANCELLED, now
        signup.save(update_fields=["status", "cancelled_at"])
        promoted = _fill_places(activity, now) if was_confirmed else []
    return promoted[0] if promoted else None


def _fill_places(activity, now):
    """Move the first on the waiting list up while places are free. Caller holds the lock."""
    if activity.is_cancelled or activity.starts_at <= now:
        return []
    waiting = activity.signups.waitlisted()
    if activity.capacity is not None:
        confirmed = activity.signups.confirmed().count()
        waiting = waiting[: max(0, activity.capacity - confirmed)]
    promoted = list(waiting.select_related("user", "resident"))
    for signup in promoted:
        signup.status, signup.promoted_at = SignUp.Status.CONFIRMED, now
        signup.save(update_fields=["status", "promoted_at"])
        tell_promoted(signup)
    return promoted


# --- Telling people --------------------------------------------------------------------


def tell_promoted(signup):
    """Tell someone that a place came free and they are now confirmed.

    On /me/ (a sign-up notice) and through the messages system: the inbox, and SMS, WeChat
    or email as the person has them and wants them (portal.messaging).
    """
    _tell(signup, SignUpNotice.Kind.PROMOTED)


def tell_cancelled(signup):
    _tell(signup, SignUpNotice.Kind.CANCELLED)


def tell_reminder(signup):
    _tell(signup, SignUpNotice.Kind.REMINDER)


_MESSAGE_KINDS = {
    SignUpNotice.Kind.PROMOTED: "activity_promoted",
    SignUpNotice.Kind.CANCELLED: "activity_cancelled",
    SignUpNotice.Kind.REMINDER: "activity_reminder",
}


def _tell(signup, kind):
    notice = SignUpNotice.objects.create(signup=signup, kind=kind)
    # Sent inside the transaction: a rolled-back change never reaches anyone.
    tell_signup(signup, _MESSAGE_KINDS[kind], dedupe_key=f"signup:{notice.pk}")


# --- Running an activity ---------------------------------------------------------------


@transaction.atomic
def activity_create(*, created_by, photo=None, **fields):
    activity = Activity(created_by=created_by, **fields)
    if photo:
        attach_image(activity, photo, field="photo")
    activity.save()
    return activity


def activity_update(*, activity, by, photo=None, now=None, **fields):
    """Save the changes; more places move people up from the waiting list at once."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(activity)
        if locked.is_cancelled:
            raise Refused(_("This activity has been cancelled and can no longer be changed."))
        confirmed = locked.signups.confirmed().count()
        capacity = fields.get("capacity", locked.capacity)
        if capacity is not None and capacity < confirmed:
            raise Refused(
                _(
                    "%(count)d people are confirmed already; the number of places cannot be "
                    "fewer. Cancel sign-ups first if you must."
                )
                % {"count": confirmed}
            )
        for name, value in fields.items():
            setattr(locked, name, value)
        if photo:
            attach_image(locked, photo, field="photo")
        locked.sequence += 1
        locked.save()
        _fill_places(locked, now)
    return locked


def activity_cancel(*, activity, by, now=None):
    """Call the activity off and tell everyone signed up (confirmed and waiting). Once."""
    now = now or timezone.now()
    with transaction.atomic():
        activity = _locked(activity)
        if activity.is_cancelled:
            raise Refused(_("This activity is already cancelled."))
        activity.status = Activity.Status.CANCELLED
        activity.sequence += 1
        activity.save(update_fields=["status", "sequence", "updated"])
        # The sign-ups keep their status (who had a place is history); everyone is told.
        signups = list(activity.signups.active().select_related("user", "resident"))
        for signup in signups:
            signup.activity = activity
            tell_cancelled(signup)
    return len(signups)


def checkin_mark(*, signup, attended, by, now=None):
    """Record attended (True), no-show (False) or not yet known (None) for a confirmed sign-up."""
    if signup.status != SignUp.Status.CONFIRMED:
        raise Refused(_("Only confirmed sign-ups can be checked in."))
    signup.attended = attended
    signup.checked_in_at = (now or timezone.now()) if attended is not None else None
    signup.checked_in_by = by if attended is not None else None
    signup.save(update_fields=["attended", "checked_in_at", "checked_in_by"])
    return signup


# --- Reminders (manage.py send_activity_reminders) -------------------------------------


def reminders_due(today):
    """Confirmed sign-ups of tomorrow's activities (Asia/Shanghai days) not yet reminded."""
    tomorrow = today + datetime.timedelta(days=1)
    return SignUp.objects.filter(
        status=SignUp.Status.CONFIRMED,
        reminded_at__isnull=True,
        activity__status=Activity.Status.PUBLISHED,
        activity__starts_at__date=tomorrow,
    ).select_related("activity", "user", "resident")


def reminder_send(signup, now):
    """Send one reminder, once: the conditional UPDATE claims it before anything is sent.

    Two runs at once (an overlapping cron, two servers) both try the UPDATE; the database lets
    one of them set reminded_at, and only that one tells the person. Returns True if sent.
    """
    with transaction.atomic():
        claimed = SignUp.objects.filter(pk=signup.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if claimed:
            tell_reminder(signup)
    return bool(claimed)


# --- On behalf of residents without a phone --------------------------------------------

BEHALF_RESULTS = 10


def behalf_candidates(user, activity):
    """Present residents this staff member may sign up for this activity.

    Committee staff: their own neighbourhood's register; centre staff: the register of the
    neighbourhoods the activity is for (its area); district admins: everyone.
    """
    residents = Resident.objects.present().select_related("household__building__neighbourhood")
    if user.is_district_admin:
        return residents
    if user.worker is not None and activity.neighbourhood_id == user.worker.neighbourhood_id:
        return residents.filter(household__building__neighbourhood=user.worker.neighbourhood)
    if activity.centre_id and activity.centre_id in user.staff_centre_ids:
        area = activity.eligible_neighbourhoods()
        if area is None:
            area = area_neighbourhoods(activity)
        return residents.filter(household__building__neighbourhood__in=area)
    return residents.none()


def behalf_search(user, activity, text):
    """By a resident's name or the room (e.g. 302, or 12号302)."""
    text = text.strip()[:50]
    if not text:
        return []
    query = Q(name__icontains=text) | Q(household__room=text.removesuffix("室"))
    if "号" in text:
        building, __, room = text.partition("号")
        query |= Q(
            household__building__number=f"{building}号", household__room=room.removesuffix("室")
        )
    found = behalf_candidates(user, activity).filter(query)
    return list(found.order_by("name", "pk")[:BEHALF_RESULTS])


# --- Context for other pages (the household page, /me/, the home page) -------------------


def household_activities_context(household):
    """For the household page: the household's sign-ups, newest activity first."""
    signups = (
        SignUp.objects.filter(resident__household=household)
        .select_related("activity", "resident", "made_by")
        .order_by("-activity__starts_at")[:10]
    )
    return {"household_signups": signups}


def my_activities_context(user):
    """For /me/: my sign-ups (coming, waiting, past) and what changed about them."""
    now = timezone.now()
    resident = person_of(user)
    mine = SignUp.objects.filter(user=user)
    if resident is not None:
        mine = mine | SignUp.objects.filter(resident=resident)
    mine = list(mine.select_related("activity").order_by("activity__starts_at"))
    coming = [s for s in mine if s.is_active and not s.activity.is_past(now)]
    for signup in coming:
        signup.place_in_queue = waitlist_place(signup)
        signup.cancellable = signup.can_cancel(now) and not signup.activity.is_cancelled
    past = [s for s in mine if s.activity.is_past(now) and s.status == SignUp.Status.CONFIRMED]
    notices = (
        SignUpNotice.objects.filter(signup__in=[s.pk for s in mine])
        .select_related("signup__activity")
        .order_by("-created")[:5]
    )
    return {
        "my_signups": coming,
        "my_past_signups": past[::-1][:10],
        "my_signup_notices": notices,
    }


def home_activities(neighbourhood):
    """The home page card (活动报名): my neighbourhood's activities open for sign-up."""
    return upcoming_activities(neighbourhood=neighbourhood, limit=HOME_ACTIVITIES, open_only=True)
