"""The volunteers' part of the demo: the "生力军" of the seed.

- 凌建梅 (account `volunteer`) keeps order and coordinates people at 文化佳园睦邻中心: a
  year of Saturday shifts there, attended and verified (the last two waiting for
  verification), the tea party's shifts of 2024-01-28, years of service before, so that she
  is a 二星志愿者; a 2023 recognition and certificate; two watched households of 文化佳园
  assigned to her (日看窗帘夜看灯).
- About three dozen more volunteers across the demo neighbourhoods, with cumulative verified
  hours spread so that every star tier has some; the 2023 recognitions of 文化佳园睦邻中心
  given at the tea party; pending applications; records awaiting verification.
- Opportunities with coming shifts: the daily-watch patrol of 公交新村 (the demo notice
  "独居老人‘日看窗帘夜看灯’志愿者招募" links to it), order at 文化佳园睦邻中心, the 春联 day,
  the 睦邻市集.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from neighborhoods.models import (
    Centre,
    Household,
    Neighbourhood,
    Resident,
    WatchAssignment,
    WatchCheck,
    WatchEnrolment,
    birth_date_for_age,
)
from notices.models import Notice
from notices.sanitize import sanitize_body

from ..models import (
    Certificate,
    Opportunity,
    Recognition,
    ServiceRecord,
    Shift,
    ShiftSignup,
    Skill,
    StarTier,
    VolunteerProfile,
)

WENHUA_CENTRE = "文化佳园睦邻中心"
WENHUA = "文化佳园居民区"
GJXC = "公交新村居民区"
FUXIN_CENTRE = "阜新路社区睦邻中心"
WATCH_TITLE = "独居老人“日看窗帘夜看灯”楼组巡查"
NOTICE_TITLE = "独居老人“日看窗帘夜看灯”志愿者招募"
AWARD_2023 = "2023年度优秀志愿者"
TEA_PARTY = datetime.date(2024, 1, 28)
# Cumulative verified hours of the other volunteers: some below and some in every tier.
TARGETS = [40, 75, 120, 160, 210, 260, 330, 380, 450, 520, 640, 720, 800, 900, 1050, 1200,
           1350, 1550, 1700, 1900]  # fmt: skip
OTHERS = 36
PENDING = 5
DESCRIPTIONS = ["楼组巡查", "睦邻中心活动秩序维护", "睦邻市集志愿服务", "助老陪伴", "垃圾分类值守",
                "社区文化活动协助", "防疫与健康宣传"]  # fmt: skip


# The tiers of migration 0003, made sure of: a database flushed since (a test run) lost them.
TIERS = [(1, "一星志愿者", 100), (2, "二星志愿者", 300), (3, "三星志愿者", 600),
         (4, "四星志愿者", 1000), (5, "五星志愿者", 1500)]  # fmt: skip


def build(*, stdout, rng, today):
    if not StarTier.objects.exists():
        StarTier.objects.bulk_create(StarTier(stars=s, name=n, min_hours=h) for s, n, h in TIERS)
    if Opportunity.objects.exists():
        stdout.write("Volunteers: already there, kept them.")
        return
    ling = get_user_model().objects.filter(username="volunteer").first()
    centres = {c.name: c for c in Centre.objects.all()}
    neighbourhoods = {n.name: n for n in Neighbourhood.objects.all()}
    if ling is None or WENHUA_CENTRE not in centres or GJXC not in neighbourhoods:
        stdout.write("Volunteers: no demo district, nothing built.")
        return
    staff = _staff(centres, neighbourhoods)
    opportunities = _opportunities(centres, neighbourhoods)
    people = _volunteers(rng, today, ling, centres, neighbourhoods)
    records = []
    records += _ling_year(rng, today, ling, opportunities, people, staff)
    records += _history(rng, today, ling, people, staff)
    _coming(rng, today, ling, opportunities, people)
    ServiceRecord.objects.bulk_create(records, batch_size=1000)
    awards = _recognitions_2023(ling, centres[WENHUA_CENTRE], staff)
    pending = _applications(rng, today, neighbourhoods, centres)
    watched = _watch(rng, today, ling, neighbourhoods, staff)
    _link_notice(opportunities["watch"])
    stdout.write(
        f"Volunteers: {len(people) + 1} volunteers, {len(records)} service records, "
        f"{awards} recognitions of 2023, {pending} applications waiting, "
        f"{watched} watched households helped by volunteers."
    )


def _staff(centres, neighbourhoods):
    """Who decides for a centre or a neighbourhood: its first staff member."""
    found = {}
    for centre in centres.values():
        member = centre.staff.select_related("user").first()
        found[("c", centre.pk)] = member.user if member else None
    for neighbourhood in neighbourhoods.values():
        worker = neighbourhood.workers.filter(active=True).select_related("user").first()
        found[("n", neighbourhood.pk)] = worker.user if worker else None
    return found


def _decider(staff, profile):
    if profile.centre_id:
        return staff.get(("c", profile.centre_id))
    return staff.get(("n", profile.neighbourhood_id))


def _opportunities(centres, neighbourhoods):
    wenhua = centres[WENHUA_CENTRE]
    fuxin = centres.get(FUXIN_CENTRE, wenhua)
    changhai = centres.get("长海路街道社区文化活动中心", wenhua)
    made = {
        "order": Opportunity(
            title="睦邻中心活动秩序维护与人员协调",
            centre=wenhua,
            description="在文化佳园睦邻中心的活动中维持秩序、签到引导、协调人员，照顾好来参加活动的老人和孩子。",
            skills_wanted=[Skill.ORDER],
        ),
        "watch": Opportunity(
            title=WATCH_TITLE,
            neighbourhood=neighbourhoods[GJXC],
            description=(
                "招募楼组志愿者，每天留意独居老人家的窗帘和灯光：白天看窗帘有没有拉开，晚上看灯有没有亮起。"
                "居委会把您楼组的几户交给您，您在手机上标记“看到了”或“没看到”；没看到时居委会马上电话、上门。"
            ),
            skills_wanted=[Skill.WATCH, Skill.ELDERLY],
        ),
        "couplets": Opportunity(
            title="迎新春写春联进社区",
            centre=changhai,
            description="书法家现场写春联、福字，志愿者帮忙铺纸研墨、排队引导、分发春联。",
            skills_wanted=[Skill.CALLIGRAPHY, Skill.ORDER],
        ),
        "market": Opportunity(
            title="睦邻市集志愿服务",
            centre=fuxin,
            description="每月一次的睦邻市集：摊位布置、秩序引导、便民服务台。",
            skills_wanted=[Skill.ORDER, Skill.REPAIR],
        ),
        "tea": Opportunity(
            title="志愿者年度表彰茶话会会务",
            centre=wenhua,
            description="布置活动室（窗花、瓜果），签到引导，“你演我猜”游戏计分。",
            skills_wanted=[Skill.ORDER],
            active=False,
        ),
    }
    Opportunity.objects.bulk_create(made.values())
    return made


# --- People ------------------------------------------------------------------------


def _free_residents(neighbourhood, today, count, rng):
    candidates = list(
        Resident.objects.present()
        .filter(
            household__building__neighbourhood=neighbourhood,
            user__isnull=True,
            birth_date__lte=birth_date_for_age(25, today),
            birth_date__gte=birth_date_for_age(74, today),
        )
        .order_by("pk")[:200]
    )
    return rng.sample(candidates, min(count, len(candidates)))


def _account(resident, username):
    User = get_user_model()
    # The whole Chinese name in first_name (portal/demo.py): get_full_name() reads 谢俊.
    user = User.objects.create(
        username=username,
        first_name=resident.name,
        password=make_password(None),  # demo volunteers sign in only if an admin sets one
    )
    resident.user = user
    resident.save(update_fields=["user"])
    return user


def _volunteers(rng, today, ling, centres, neighbourhoods):
    """凌建梅's profile and the others: [(user, profile, target hours)]."""
    wenhua_centre = centres[WENHUA_CENTRE]
    VolunteerProfile.objects.filter(user=ling).update(
        neighbourhood=neighbourhoods[WENHUA],
        centre=wenhua_centre,
        skill_list=[Skill.ORDER, Skill.ELDERLY, Skill.WATCH],
        availability="周末全天，工作日下午",
        consent_to_contact=True,
        applied_at=_at(datetime.date(2019, 3, 1), 9),
        decided_at=_at(datetime.date(2019, 3, 4), 10),
        decision_reason="",
    )
    # Most at 文化佳园 (the tea party's dozens), the rest across the demo neighbourhoods.
    elsewhere = sorted(n for n in neighbourhoods if n != WENHUA)
    per_place = {WENHUA: OTHERS // 2}
    for i in range(OTHERS - OTHERS // 2):
        name = elsewhere[i % len(elsewhere)]
        per_place[name] = per_place.get(name, 0) + 1
    centre_of = {WENHUA: wenhua_centre, "阜新路居民区": centres.get(FUXIN_CENTRE)}
    people, made = [], 0
    for name, count in per_place.items():
        for resident in _free_residents(neighbourhoods[name], today, count, rng):
            made += 1
            user = _account(resident, f"vol{made:03d}")
            joined = datetime.date(rng.randint(2014, 2022), rng.randint(1, 12), 1)
            skills = rng.sample([s for s, _ in Skill.choices if s != Skill.OTHER], 2)
            profile = VolunteerProfile.objects.create(
                user=user,
                status=VolunteerProfile.Status.APPROVED,
                neighbourhood=neighbourhoods[name],
                centre=centre_of.get(name),
                skill_list=skills,
                availability=rng.choice(["周末上午", "工作日上午", "周末全天", "工作日晚上"]),
                consent_to_contact=True,
                applied_at=_at(joined, 9),
                decided_at=_at(joined + datetime.timedelta(days=3), 10),
            )
            people.append((user, profile, TARGETS[(made - 1) % len(TARGETS)]))
    return people


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# --- Shifts and records --------------------------------------------------------------


def _shift(opportunity, day, starts, ends, place, needed, leader=None):
    return Shift.objects.create(
        opportunity=opportunity,
        date=day,
        starts=datetime.time(*starts),
        ends=datetime.time(*ends),
        place=place,
        places_needed=needed,
        leader=leader,
    )


def _attended(shift, volunteers, staff_user, *, verified, position=0):
    """Sign-ups that came, each with its record (verified, or waiting for verification)."""
    records = []
    for i, user in enumerate(volunteers, start=1):
        signup = ShiftSignup.objects.create(
            shift=shift,
            volunteer=user,
            status=ShiftSignup.Status.CONFIRMED,
            position=position + i,
            created=_at(shift.date - datetime.timedelta(days=5), 20),
            attendance=ShiftSignup.Attendance.ATTENDED,
            attendance_by=staff_user,
            attendance_at=_at(shift.date, shift.ends.hour, shift.ends.minute),
        )
        records.append(
            ServiceRecord(
                volunteer=user,
                signup=signup,
                centre=shift.opportunity.centre,
                neighbourhood=shift.opportunity.neighbourhood,
                date=shift.date,
                description=shift.opportunity.title,
                claimed_hours=shift.hours,
                hours=shift.hours if verified else None,
                status=ServiceRecord.Status.VERIFIED if verified else ServiceRecord.Status.PENDING,
                decided_by=staff_user if verified else None,
                decided_at=_at(shift.date + datetime.timedelta(days=2), 10) if verified else None,
                created=_at(shift.date, 17),
            )
        )
    return records


def _ling_year(rng, today, ling, opportunities, people, staff):
    """A year of Saturday afternoons at 文化佳园睦邻中心, and the tea party's shifts."""
    order, tea = opportunities["order"], opportunities["tea"]
    centre_staff = staff.get(("c", order.centre_id))
    wenhua = [user for user, profile, _ in people if profile.centre_id == order.centre_id]
    records = []
    day = today - datetime.timedelta(days=(today.weekday() - 5) % 7 or 7)  # last Saturday
    first = today - datetime.timedelta(days=364)
    weeks = 0
    while day >= first:
        shift = _shift(order, day, (14, 0), (17, 0), "文化佳园睦邻中心 二楼活动室", 4)
        others = rng.sample(wenhua, min(2, len(wenhua)))
        # The last two weeks wait for verification: the centre's staff have not got to them.
        came = [ling, *others] if weeks % 9 != 4 else others  # now and then she is away
        away = [user for user in wenhua if user not in came]
        if weeks % 13 == 7 and away:  # a no-show, recorded as such
            ShiftSignup.objects.create(
                shift=shift, volunteer=away[0], status=ShiftSignup.Status.CONFIRMED,
                position=9, attendance=ShiftSignup.Attendance.NO_SHOW,
                attendance_by=centre_staff, attendance_at=_at(day, 17),
            )  # fmt: skip
        records += _attended(shift, came, centre_staff, verified=weeks >= 2)
        day -= datetime.timedelta(days=7)
        weeks += 1
    setup = _shift(tea, TEA_PARTY, (13, 0), (14, 0), "文化佳园睦邻中心 二楼活动室", 4, ling)
    guide = _shift(tea, TEA_PARTY, (14, 0), (16, 30), "文化佳园睦邻中心 二楼活动室", 4, ling)
    records += _attended(setup, [ling, *wenhua[:3]], centre_staff, verified=True)
    records += _attended(guide, [ling, *wenhua[3:6]], centre_staff, verified=True)
    return records


def _history(rng, today, ling, people, staff):
    """Service before the shifts were on the portal (recorded and verified by staff), up to
    each volunteer's cumulative hours; 凌建梅 since 2019, to 二星志愿者."""
    records = []
    plans = [(ling, VolunteerProfile.objects.get(user=ling), 280, datetime.date(2019, 3, 9))]
    plans += [(user, profile, target, None) for user, profile, target in people]
    for user, profile, target, since in plans:
        decider = staff.get(("c", profile.centre_id)) or staff.get(("n", profile.neighbourhood_id))
        done = Decimal(0)
        # Backwards from a year ago (the past year is in shifts for 凌建梅) every 4–8 days.
        day = today - datetime.timedelta(days=366 if user == ling else rng.randint(2, 9))
        while done < target and day.year >= 2012 and (since is None or day >= since):
            hours = Decimal(rng.choice([2, 2.5, 3, 3, 4, 4, 5, 6]))
            records.append(
                ServiceRecord(
                    volunteer=user,
                    centre=profile.centre,
                    neighbourhood=profile.neighbourhood,
                    date=day,
                    description=rng.choice(DESCRIPTIONS),
                    claimed_hours=hours,
                    hours=hours,
                    status=ServiceRecord.Status.VERIFIED,
                    decided_by=decider,
                    decided_at=_at(day + datetime.timedelta(days=3), 10),
                    created=_at(day, 18),
                )
            )
            done += hours
            # 凌建梅 about every other week since 2019; the others weekly or so.
            day -= datetime.timedelta(
                days=rng.randint(14, 24) if user == ling else rng.randint(5, 11)
            )
    # A few records waiting for verification, and one rejected (a duplicate).
    for user, profile, _target in people[:6]:
        day = today - datetime.timedelta(days=rng.randint(1, 6))
        records.append(
            ServiceRecord(
                volunteer=user,
                centre=profile.centre,
                neighbourhood=profile.neighbourhood,
                date=day,
                description=rng.choice(DESCRIPTIONS),
                claimed_hours=Decimal(3),
                created=_at(day, 19),
            )  # fmt: skip
        )
    user, profile, _target = people[6]
    records.append(
        ServiceRecord(
            volunteer=user,
            centre=profile.centre,
            neighbourhood=profile.neighbourhood,
            date=today - datetime.timedelta(days=10),
            description="楼组巡查",
            claimed_hours=Decimal(3),
            status=ServiceRecord.Status.REJECTED,
            reason="与同日的排班记录重复",
            decided_by=_decider(staff, profile),
            decided_at=_at(today - datetime.timedelta(days=8), 10),
        )  # fmt: skip
    )
    return records


def _coming(rng, today, ling, opportunities, people):
    """Coming shifts: the watch patrol, Saturdays at the centre, the 春联 day, the market."""
    wenhua = [u for u, p, _ in people if p.centre_id == opportunities["order"].centre_id]
    gjxc = [
        u for u, p, _ in people if p.neighbourhood_id == opportunities["watch"].neighbourhood_id
    ]
    others = [u for u, _, _ in people]
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
    for week in range(4):
        day = saturday + datetime.timedelta(days=7 * week)
        shift = _shift(
            opportunities["order"], day, (14, 0), (17, 0), "文化佳园睦邻中心 二楼活动室", 4
        )
        going = ([ling] if week < 2 else []) + wenhua[week : week + (4 if week == 1 else 2)]
        _sign_up(shift, going)
    for week in range(4):
        day = today + datetime.timedelta(days=(2 - today.weekday()) % 7 + 7 * week)
        shift = _shift(
            opportunities["watch"],
            day or today,
            (9, 0),
            (10, 0),
            "公交新村居民区 居委会门口集合",
            6,
        )
        _sign_up(shift, gjxc[: 2 + week % 2])
    couplets_day = datetime.date(today.year + (today.month > 1), 1, 24)
    for starts, ends in [((8, 30), (12, 0)), ((13, 0), (16, 30))]:
        shift = _shift(
            opportunities["couplets"],
            couplets_day,
            starts,
            ends,
            "长海路街道社区文化活动中心 一楼大厅",
            8,
        )
        _sign_up(shift, rng.sample(others, 3))
    for month in range(1, 4):
        first = (today.replace(day=1) + datetime.timedelta(days=32 * month)).replace(day=1)
        day = first + datetime.timedelta(days=(5 - first.weekday()) % 7 + 14)  # third Saturday
        shift = _shift(
            opportunities["market"], day, (8, 30), (12, 30), "阜新路社区睦邻中心 门前广场", 6
        )
        _sign_up(shift, rng.sample(others, 2))


def _sign_up(shift, users):
    for position, user in enumerate(users, start=1):
        full = position > shift.places_needed
        ShiftSignup.objects.create(
            shift=shift,
            volunteer=user,
            position=position,
            status=ShiftSignup.Status.WAITLISTED if full else ShiftSignup.Status.CONFIRMED,
        )


# --- Recognitions, applications, the watch, the notice ------------------------------


def _recognitions_2023(ling, centre, staff):
    """The tea party of 2024-01-28: the centre's volunteers with verified hours in 2023."""
    who = (
        ServiceRecord.objects.verified()
        .in_year(2023)
        .filter(Q(centre=centre) | Q(volunteer=ling))
        .values_list("volunteer", flat=True)
        .distinct()
    )
    awards = []
    for user in get_user_model().objects.filter(pk__in=who):
        hours = ServiceRecord.objects.filter(volunteer=user).in_year(2023).total_hours()
        awards.append(
            Recognition(
                volunteer=user,
                year=2023,
                title=AWARD_2023,
                centre=centre,
                hours=hours,
                awarded_by=staff.get(("c", centre.pk)),
                awarded_at=_at(TEA_PARTY, 15),
                citation="维持秩序、协调人员，参与小区公共服务" if user == ling else "",
            )  # fmt: skip
        )
    Recognition.objects.bulk_create(awards)
    Certificate.objects.create(
        volunteer=ling, year=2023, centre=centre, issued_at=_at(TEA_PARTY, 15)
    )
    return len(awards)


def _applications(rng, today, neighbourhoods, centres):
    made = 0
    places = [
        (neighbourhoods[GJXC], None),
        (neighbourhoods[WENHUA], centres[WENHUA_CENTRE]),
        (neighbourhoods.get("定海港路居民区", neighbourhoods[GJXC]), None),
    ]
    for i in range(PENDING):
        neighbourhood, centre = places[i % len(places)]
        found = _free_residents(neighbourhood, today, 1, rng)
        if not found:
            continue
        user = _account(found[0], f"applicant{i + 1:02d}")
        VolunteerProfile.objects.create(
            user=user,
            neighbourhood=neighbourhood,
            centre=centre,
            skill_list=rng.sample([Skill.WATCH, Skill.ELDERLY, Skill.ORDER, Skill.IT], 2),
            skills=rng.choice(["", "退休前是护士", "会拉二胡", "会修自行车"]),
            availability=rng.choice(["工作日上午", "周末全天", "每天傍晚"]),
            consent_to_contact=True,
            applied_at=_at(today - datetime.timedelta(days=i + 1), 20),
        )
        made += 1
    return made


def _watch(rng, today, ling, neighbourhoods, staff):
    """Two elderly households of 文化佳园 on the watch with 凌建梅 helping (her marks of
    yesterday on the board); a 公交新村 volunteer helping with two of its households."""
    wenhua = neighbourhoods[WENHUA]
    worker = staff.get(("n", wenhua.pk))
    households = list(
        Household.objects.filter(building__neighbourhood=wenhua, care__in=["alone", "elderly"])
        .exclude(watch_enrolment__isnull=False)
        .order_by("building__number", "room")[:2]
    )
    yesterday = today - datetime.timedelta(days=1)
    made = 0
    for household in households:
        surname = household.residents.first().name[:1] if household.residents.exists() else "王"
        enrolment = WatchEnrolment.objects.create(
            household=household,
            contact_name=f"{surname}先生（子女）",
            contact_phone=f"139{rng.randrange(10**8):08d}",
            enrolled_by=worker,
            created=_at(yesterday, 7),
        )
        WatchAssignment.objects.create(enrolment=enrolment, volunteer=ling, assigned_by=worker)
        for kind, hour in [(WatchCheck.Kind.DAY, 8), (WatchCheck.Kind.NIGHT, 19)]:
            WatchCheck.objects.create(
                enrolment=enrolment, date=yesterday, kind=kind,
                status=WatchCheck.Status.SEEN, by=ling, at=_at(yesterday, hour, 10),
            )  # fmt: skip
        made += 1
    gjxc = neighbourhoods[GJXC]
    helper = (
        VolunteerProfile.objects.approved()
        .filter(neighbourhood=gjxc)
        .select_related("user")
        .first()
    )
    if helper:
        for enrolment in WatchEnrolment.objects.filter(
            household__building__neighbourhood=gjxc, active=True
        ).order_by("pk")[:2]:
            WatchAssignment.objects.create(
                enrolment=enrolment, volunteer=helper.user, assigned_by=staff.get(("n", gjxc.pk))
            )
            made += 1
    return made


def _link_notice(opportunity):
    """The demo notice asks people to sign up: it now says where, with a link."""
    url = opportunity.get_absolute_url()
    body = (
        "<p>招募楼组志愿者，每天留意独居老人家的窗帘和灯光：白天看窗帘有没有拉开，晚上看灯有没有亮起。</p>"
        f'<p>在网上报名：<a href="{url}">{opportunity.title}</a>（先申请成为志愿者，'
        "居委会审核后即可选择巡查班次）。不方便上网的，也可以到居委会报名。</p>"
    )
    Notice.objects.filter(title=NOTICE_TITLE).update(body=sanitize_body(body))
