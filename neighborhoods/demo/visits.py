"""Demo data for home visits and needs: a year of 走访 and needs in every state.

Coverage (进百家门) lands between about 60% and 90% per neighbourhood; the elderly living
alone are visited most often, and a few of them are overdue today, as in real life.
"""

import datetime

from django.utils import timezone

from ..models import CareLevel, Household, Need, NeedAction, Neighbourhood, Visit

MET_ALONE = ["本人", "本人，邻居在场", "本人和来看望的女儿", "本人和钟点工"]
MET_FAMILY = ["户主", "老两口", "户主和儿媳", "女主人", "租户"]
NOTES_CARE = [
    "精神不错，血压平稳，提醒按时吃药。",
    "膝盖疼，下楼不便，已告知助餐点可送餐上门。",
    "家中整洁，冰箱食物充足，子女周末来过。",
    "说晚上睡不好，建议去社区卫生服务中心看看。",
    "天冷了，检查了取暖器和电线，提醒注意用电安全。",
    "聊了半小时，老人很高兴，说起年轻时在纺织厂的事。",
]
NOTES_ROUTINE = [
    "家中一切正常，登记信息已核对。",
    "宣传了垃圾分类和加装电梯意见征询。",
    "住户反映楼道堆物，已记下。",
    "新搬来的租户，已登记联系方式并介绍居委会。",
    "家里有小孩上学，介绍了暑托班。",
]
NEEDS = [
    ("housing", "卫生间水管漏水，楼下已经渗水。"),
    ("housing", "楼道灯坏了，晚上上下楼看不清。"),
    ("health", "想预约家庭医生上门。"),
    ("health", "需要借一台轮椅，出院后行动不便。"),
    ("daily", "想申请老年助餐，每天送午饭。"),
    ("daily", "窗户关不严，冬天漏风，想请人修一下。"),
    ("finance", "医药费负担重，想了解医疗救助政策。"),
    ("dispute", "楼上装修噪音大，沟通没有结果。"),
    ("dispute", "邻居在楼道堆放杂物，影响通行。"),
    ("other", "想报名社区老年大学书法班。"),
]
RESOLUTIONS = [
    "已联系物业维修，住户确认修好。",
    "已联系家庭医生签约，下周上门。",
    "已从睦邻中心借出轮椅，登记归还日期。",
    "已开通助餐，每天11点送到。",
    "已上门调解，双方同意装修时间安排。",
]
REFERRALS = ["街道社区事务受理服务中心", "区房管局维修热线", "街道人民调解委员会"]
# Every state, roughly 30% open, 30% in progress, 30% resolved, 10% referred.
STATE_CYCLE = [
    "open",
    "in_progress",
    "resolved",
    "open",
    "resolved",
    "in_progress",
    "referred",
    "resolved",
    "open",
    "in_progress",
]


def build(*, stdout, rng, today):
    """A year of visits up to `today`, and needs with their timelines. Skips if visits exist."""
    if Visit.objects.exists():
        stdout.write("Visits already there: kept them.")
        return
    now = timezone.now()
    gaps = CareLevel.gaps()
    born_80 = today.replace(year=today.year - 80)
    visits, needs = 0, 0
    for neighbourhood in Neighbourhood.objects.all():
        households = list(
            Household.objects.filter(building__neighbourhood=neighbourhood)
            .select_related("building__zone__worker__user")
            .order_by("pk")
        )
        staff = [w.user for w in neighbourhood.workers.filter(active=True).select_related("user")]
        if not households or not staff:
            continue
        target = rng.uniform(0.6, 0.9)
        care = [h for h in households if h.care]
        share_others = max(
            0.0, (target * len(households) - len(care)) / max(1, len(households) - len(care))
        )
        made = []
        for household in households:
            zone = household.building.zone
            worker = zone.worker.user if zone and zone.worker else rng.choice(staff)
            if household.care:
                made += _care_visits(household, worker, rng, now, gaps, born_80)
            elif rng.random() < share_others:
                for _ in range(rng.choice([1, 1, 1, 2])):
                    when = now - datetime.timedelta(
                        days=rng.uniform(0, min(330, _day_of_year(today))), hours=rng.uniform(0, 6)
                    )
                    made.append(_visit(household, worker, when, Visit.Kind.ROUTINE, rng))
        for visit in made:
            visit.created = visit.when
        created = Visit.objects.bulk_create(made, batch_size=2000)  # no Visit.save():
        Household.objects.filter(pk__in=[h.pk for h in households]).refresh_last_visit()
        visits += len(created)
        needs += _needs(neighbourhood, households, created, staff, rng, now)
    needs += _resident_report(rng, now)
    stdout.write(f"  {visits} home visits, {needs} needs.")


def _resident_report(rng, now):
    """李梅 (the demo resident) reported a leak from /me/ three days ago; it is in hand."""
    household = Household.objects.filter(residents__user__username="resident").first()
    if household is None:
        return 0
    user = household.residents.get(user__username="resident").user
    zone = household.building.zone
    owner = zone.worker.user if zone and zone.worker else None
    need = Need.objects.create(
        household=household,
        category="housing",
        urgency="high",
        owner=owner,
        raised_by=user,
        raised_via=Need.Via.RESIDENT,
        description="厨房水槽下面的水管漏水，地上都是水。",
        status="in_progress",
    )
    raised = now - datetime.timedelta(days=3)
    Need.objects.filter(pk=need.pk).update(created=raised)
    NeedAction.objects.bulk_create(
        [
            NeedAction(need=need, actor=user, kind=NeedAction.Kind.RAISED, created=raised),
            NeedAction(
                need=need,
                actor=owner,
                kind=NeedAction.Kind.TAKEN,
                created=raised + datetime.timedelta(hours=2),
            ),
            NeedAction(
                need=need,
                actor=owner,
                kind=NeedAction.Kind.NOTE,
                note="已联系物业，周五上午上门。",
                created=raised + datetime.timedelta(hours=3),
            ),
        ]
    )
    return 1


def _day_of_year(today):
    return (today - today.replace(month=1, day=1)).days


def _care_visits(household, worker, rng, now, gaps, born_80):
    """Visits every so often, by care level; one in eight has slipped behind."""
    if (
        household.care == Household.Care.ELDERLY_ALONE
        and household.eldest_birth_date
        and household.eldest_birth_date <= born_80
    ):
        gap = gaps[CareLevel.Kind.ALONE_80]
    elif household.care == Household.Care.ELDERLY_ALONE:
        gap = gaps[CareLevel.Kind.ALONE_60]
    else:
        gap = gaps[CareLevel.Kind.ELDERLY_ONLY]
    behind = rng.random() < 0.125
    when = now - datetime.timedelta(
        days=rng.uniform(gap * 1.2, gap * 3) if behind else rng.uniform(0, gap * 0.9)
    )
    visits = []
    while when > now - datetime.timedelta(days=365):
        kind = Visit.Kind.CARE if rng.random() < 0.8 else Visit.Kind.FOLLOW_UP
        at = min(now, when.replace(hour=rng.randint(1, 9)))  # 9:00–17:00 in Shanghai
        visits.append(_visit(household, worker, at, kind, rng))
        when -= datetime.timedelta(days=rng.uniform(gap * 0.6, gap * 1.1))
    return visits


def _visit(household, worker, when, kind, rng):
    care = bool(household.care)
    return Visit(
        household=household,
        staff=worker,
        when=when,
        kind=kind,
        met=rng.choice(MET_ALONE if household.care == Household.Care.ELDERLY_ALONE else MET_FAMILY),
        notes=rng.choice(NOTES_CARE if care else NOTES_ROUTINE),
    )


def _needs(neighbourhood, households, visits, staff, rng, now):
    count = max(8, len(households) // 40)
    recent = [v for v in visits if (now - v.when).days < 120]
    made = 0
    for i in range(count):
        visit = rng.choice(recent) if recent and rng.random() < 0.6 else None
        household = visit.household if visit else rng.choice(households)
        zone = household.building.zone
        owner = zone.worker.user if zone and zone.worker else None
        category, description = rng.choice(NEEDS)
        status = STATE_CYCLE[i % len(STATE_CYCLE)]
        raised = visit.when if visit else now - datetime.timedelta(days=rng.uniform(0, 90))
        via = (
            Need.Via.VISIT
            if visit
            else rng.choice([Need.Via.RESIDENT, Need.Via.STAFF, Need.Via.ON_BEHALF])
        )
        by = visit.staff if visit else (owner or rng.choice(staff))
        need = Need.objects.create(
            household=household,
            category=category,
            description=description,
            owner=owner,
            urgency=rng.choice(["low", "normal", "normal", "normal", "high", "urgent"]),
            raised_by=by,
            raised_via=via,
            visit=visit,
        )
        actions = [NeedAction(need=need, actor=by, kind=NeedAction.Kind.RAISED, created=raised)]
        step = raised + datetime.timedelta(hours=rng.uniform(2, 48))
        fields = {"created": raised}
        if status != "open":
            taker = owner or rng.choice(staff)
            fields.update(owner=taker, status="in_progress")
            actions.append(
                NeedAction(need=need, actor=taker, kind=NeedAction.Kind.TAKEN, created=step)
            )
            if rng.random() < 0.6:
                step += datetime.timedelta(days=rng.uniform(0.5, 5))
                actions.append(
                    NeedAction(
                        need=need,
                        actor=taker,
                        kind=NeedAction.Kind.NOTE,
                        created=step,
                        note="已电话联系家属，约好上门时间。",
                    )
                )
            step = min(now, step + datetime.timedelta(days=rng.uniform(1, 14)))
            if status == "resolved":
                resolution = rng.choice(RESOLUTIONS)
                fields.update(status="resolved", resolution=resolution, closed=step)
                actions.append(
                    NeedAction(
                        need=need,
                        actor=taker,
                        kind=NeedAction.Kind.RESOLVED,
                        note=resolution,
                        created=step,
                    )
                )
            elif status == "referred":
                body = rng.choice(REFERRALS)
                fields.update(status="referred", referred_to=body, closed=step)
                actions.append(
                    NeedAction(
                        need=need,
                        actor=taker,
                        kind=NeedAction.Kind.REFERRED,
                        note=body,
                        created=step,
                    )
                )
        Need.objects.filter(pk=need.pk).update(**fields)
        NeedAction.objects.bulk_create(actions)
        made += 1
    return made
