"""Demo data for family members (家属) and follow-through, built by `manage.py seed_demo`.

- 周阿婆 (周秀英, 公交新村, on the daily watch) has a son, 周强, who lives in 浦东 and has an
  account of his own (`zhouqiang`, demo password): 胡云 added him on her behalf with her
  consent, for daily-watch alerts and activity reminders. He was told of last night's alert
  (it is still open): the message is in his inbox.
- 李梅's household (1号 302) reported that the stairwell light has been out for two weeks;
  胡云 referred it to the 12345 hotline with its work-order number, awaiting their reply.
  An older report (a leaking down-pipe) went to 物业, who promised an answer by two days ago
  and have not replied: it shows as overdue on 胡云's /staff/. 李梅 was told of each step.
"""

import datetime

from django.utils import timezone

from portal.demo import ensure_account
from portal.models import Message

from ..care.services import need_raise, need_refer, need_take
from ..family.services import family_grant_add, family_tell_alert_opened
from ..models import FamilyGrant, Need, NeedAction, Resident, WatchAlert

SON = ("zhouqiang", "周强", "13916508823")
ZHOU = "周秀英"
WORK_ORDER = "沪12345-20261128-0173"


def ensure_son(password_hash):
    """The son's account, with the demo password; a row for the summary of accounts."""
    username, name, phone = SON
    # His own number, verified by him (sign-in by phone asks for a code otherwise).
    ensure_account(username, name, password_hash, phone=phone, phone_verified=True)
    return (username, name, "家属（周阿婆之子，住浦东）", "公交新村居民区 · 周秀英家")


def build(*, stdout, rng, today):
    from portal.models import User

    son = User.objects.filter(username=SON[0]).first()
    zhou = (
        Resident.objects.present()
        .filter(name=ZHOU, household__building__neighbourhood__name="公交新村居民区")
        .select_related("household__building__zone__worker__user")
        .first()
    )
    if son is None or zhou is None:
        stdout.write("Family members: no 周阿婆 or son account found, nothing built.")
        return
    household = zhou.household
    if FamilyGrant.objects.filter(household=household, member=son).exists():
        stdout.write("Family members: already there, kept them.")
        return
    staff = household.holder
    grant = family_grant_add(
        household=household,
        member=son,
        by=staff,
        via=FamilyGrant.Via.STAFF,
        relation="儿子",
        building_notices=False,
        consent="周阿婆走访时当面同意，由儿子接收看护警报和活动提醒",
    )
    granted = timezone.now() - datetime.timedelta(days=30)
    FamilyGrant.objects.filter(pk=grant.pk).update(created=granted)
    told = 0
    alert = (
        WatchAlert.objects.open()
        .filter(watch_check__enrolment__household=household)
        .order_by("-opened_at")
        .first()
    )
    if alert is not None:
        messages = family_tell_alert_opened(alert, at=alert.opened_at)
        Message.objects.filter(pk__in=[m.pk for m in messages]).update(
            created_at=alert.opened_at + datetime.timedelta(minutes=1)
        )
        told = len(messages)
    referrals = _referrals(staff, today)
    stdout.write(
        f"Family members: {SON[1]} follows {ZHOU}'s household, told of {told} open alert; "
        f"{referrals} referrals (12345 awaiting reply, 物业 overdue)."
    )


def _referrals(staff, today):
    """李梅's household: one referral to 12345 awaiting reply, one to 物业 overdue."""
    resident = Resident.objects.present().filter(user__username="resident").first()
    if resident is None or staff is None:
        return 0
    household = resident.household
    now = timezone.now()
    made = 0
    for days_ago, category, description, body, reference, promised in [
        (
            3,
            Need.Category.HOUSING,
            "楼道声控灯坏了两个星期，晚上上下楼看不见，老人怕摔。",
            Need.Body.HOTLINE,
            WORK_ORDER,
            today + datetime.timedelta(days=2),
        ),
        (
            12,
            Need.Category.HOUSING,
            "外墙落水管漏水，雨天水流到一楼门口。",
            Need.Body.PROPERTY,
            "",
            today - datetime.timedelta(days=2),
        ),
    ]:
        need = need_raise(
            household=household,
            by=resident.user,
            via=Need.Via.RESIDENT,
            category=category,
            description=description,
        )
        need_take(need=need, by=staff)
        need_refer(
            need=need,
            by=staff,
            body=body,
            reference=reference,
            promised=max(promised, today),  # the form's rule; moved back below
            note="已电话告知居民转交情况。",
        )
        raised = now - datetime.timedelta(days=days_ago)
        Need.objects.filter(pk=need.pk).update(
            created=raised, closed=raised + datetime.timedelta(days=1), referral_promised=promised
        )
        actions = list(NeedAction.objects.filter(need=need).order_by("pk"))
        for step, action in enumerate(actions):
            NeedAction.objects.filter(pk=action.pk).update(
                created=raised + datetime.timedelta(hours=2 * step)
            )
        made += 1
    return made
