"""Demo activities (活动), built by `manage.py seed_demo`.

The report's events on their 2024 dates, as past activities with attendance: the volunteers'
tea party at 文化佳园睦邻中心 (1月28日, where 凌建梅 was the "big winner"), its family letters
"纸短情长，海纳百川", the spring couplets at 长海路街道社区文化活动中心 (1月26日), 阜新路's
睦邻市集, 包头路's "健康共同体" for the elderly, 平凉路第二睦邻中心's children's club
"睦邻自治童趣社" and the results meeting at 长白228街坊 (1月25日). Around today: activities
that are full with a waiting list, open ones, past ones with attendance and one for 60+.
李梅 (`resident`) has a confirmed sign-up and a waiting-list place; 陆佳琪 (`centre`) runs
文化佳园睦邻中心's workspace.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from ..models import (
    Activity,
    Centre,
    CentreStaff,
    District,
    Neighbourhood,
    Resident,
    SignUp,
    Subdistrict,
    area_neighbourhoods,
)
from .register import CENTRES, DISTRICT

TZ = timezone.get_default_timezone()

# Centres the report names that the register's CENTRES does not have: made by name.
EXTRA_CENTRES = [
    ("长海路街道", "长海路街道社区文化活动中心", "民京路700号", "周二至周日 9:00–20:30"),
    ("长白新村街道", "长白228街坊", "安图路88号", "周一至周日 9:00–21:00"),
]
WENHUA = "文化佳园睦邻中心"
FUXIN = next(name for _, name, *rest in CENTRES if name.startswith("阜新路"))
BAOTOU = next(name for _, name, *rest in CENTRES if name.startswith("包头路"))
PINGLIANG = next(name for _, name, *rest in CENTRES if name.startswith("平凉路"))
CHANGHAI = "长海路街道社区文化活动中心"
CHANGBAI = "长白228街坊"
GJXC = "公交新村居民区"
C = Activity.Category


@dataclass
class Plan:
    host: str  # a centre's name, or a neighbourhood's (committee-run)
    title: str
    category: str
    day: object  # a date, or days from today
    start: str
    end: str
    place: str
    description: str
    capacity: int | None = None
    confirmed: int = 0
    waitlisted: int = 0
    min_age: int | None = None
    audience: str = Activity.Audience.ANYONE
    came: float = 0.0  # share who came, for past ones
    extra: dict = field(default_factory=dict)


PAST_2024 = [
    Plan(WENHUA, "志愿者年度表彰茶话会", C.VOLUNTEERING, datetime.date(2024, 1, 28), "14:00",
         "16:30", "文化佳园睦邻中心 二楼活动室",
         "感谢一年来维持秩序、协调人员、参与小区公共服务的居民志愿者。几张窗花、几盘瓜果，"
         "还有“你演我猜”游戏，一起为2024年的志愿服务掀开新篇章。",
         capacity=40, confirmed=34, came=0.94),
    Plan(WENHUA, "“纸短情长，海纳百川”写家书", C.FESTIVAL, datetime.date(2024, 2, 3), "9:30",
         "11:30", "文化佳园睦邻中心 阅览室",
         "邀请社区居民、小朋友在信纸上写下美好祝福，送给春节不回老家的“留沪工作者”，"
         "并请他们续写“家书”，表达对家乡亲人的挂念。",
         capacity=30, confirmed=26, came=0.88),
    Plan(CHANGHAI, "迎新春书法家写春联进社区", C.FESTIVAL, datetime.date(2024, 1, 26), "9:00",
         "11:30", "长海路街道社区文化活动中心 一楼大厅",
         "上海红色文艺轻骑兵新春走基层暨2024年杨浦区迎新春书法家写春联进社区活动。"
         "书法家现场写春联、福字，居民免费领取。",
         capacity=80, confirmed=72, came=0.9),
    Plan(FUXIN, "睦邻市集", C.OTHER, datetime.date(2024, 1, 20), "9:00", "12:00",
         "阜新路社区睦邻中心 门前广场",
         "旧物交换、手作义卖、便民服务摊位：邻居们摆摊、逛摊、聊天。",
         confirmed=45, came=0.8),
    Plan(BAOTOU, "“健康共同体”老年健康讲座与义诊", C.HEALTH, datetime.date(2024, 1, 18),
         "9:00", "11:00", "包头路社区睦邻中心 多功能厅",
         "为老年人量身打造的“健康共同体”：社区医生讲冬季心脑血管保健，现场量血压、测血糖。",
         capacity=50, confirmed=47, min_age=60, audience=Activity.Audience.AREA, came=0.92),
    Plan(PINGLIANG, "“睦邻自治童趣社”儿童社团活动", C.CHILDREN, datetime.date(2024, 1, 13),
         "14:00", "16:00", "平凉路街道社区第二睦邻中心 儿童活动室",
         "孩子们自己商量、自己管理的儿童社团：这一期选出小社长，一起做新年灯笼。",
         capacity=24, confirmed=22, came=0.86),
    Plan(CHANGBAI, "2023年杨浦区“睦邻”建设成果展示大会", C.LEARNING,
         datetime.date(2024, 1, 25), "14:00", "16:30", "长白228街坊 多功能厅",
         "全区各社区睦邻中心、睦邻项目团队、睦邻达人齐聚一堂，集体“年度总结”，共绘蓝图。",
         capacity=120, confirmed=96, came=0.95),
]  # fmt: skip

AROUND_TODAY = [
    Plan(WENHUA, "智能手机课堂：学用“社区云”", C.LEARNING, 3, "14:00", "15:30",
         "文化佳园睦邻中心 电脑室",
         "手把手教您在手机上看通知、报名活动、在邻里议事厅提建议。请带上自己的手机。",
         capacity=12, confirmed=12, waitlisted=3),
    Plan(WENHUA, "银龄健身操", C.HEALTH, 5, "9:00", "10:00", "文化佳园 中心花园",
         "适合老年人的舒缓健身操，由社区体育指导员带练。雨天改在活动室。",
         capacity=30, confirmed=18, min_age=60, audience=Activity.Audience.AREA),
    Plan(WENHUA, "亲子绘本共读", C.CHILDREN, 1, "15:00", "16:00", "文化佳园睦邻中心 阅览室",
         "3至8岁的孩子和家长一起读绘本、做手工。", capacity=20, confirmed=14),
    Plan(WENHUA, "重阳敬老茶话会", C.FESTIVAL, -10, "14:00", "16:00",
         "文化佳园睦邻中心 二楼活动室", "为小区80岁以上老人送上重阳糕，志愿者表演节目。",
         capacity=40, confirmed=36, came=0.9),
    Plan(WENHUA, "垃圾分类志愿服务", C.VOLUNTEERING, -3, "7:00", "9:00", "文化佳园 各垃圾投放点",
         "早高峰在投放点值守，帮助邻居分类投放。", capacity=16, confirmed=16, came=0.81),
    Plan(FUXIN, "家庭急救小课堂", C.HEALTH, 2, "19:00", "20:30", "阜新路社区睦邻中心 多功能厅",
         "红十字会讲师教心肺复苏和海姆立克急救法，现场用模型练习。",
         capacity=15, confirmed=15, waitlisted=2, extra={"resident": "waitlisted"}),
    Plan(FUXIN, "睦邻市集·旧物交换", C.OTHER, 6, "9:00", "12:00", "阜新路社区睦邻中心 门前广场",
         "带上家里用不着的书、玩具、小家电，换一件用得上的。", confirmed=21,
         extra={"resident": "confirmed"}),
    Plan(GJXC, "楼组长议事会：楼道堆物怎么清", C.OTHER, 4, "18:30", "20:00",
         "公交新村居委会 会议室", "各楼组长和居民代表一起商量楼道堆物的清理办法和时间。",
         capacity=25, confirmed=9, audience=Activity.Audience.NEIGHBOURHOOD),
    Plan(BAOTOU, "“健康共同体”血压测量与慢病讲座", C.HEALTH, 8, "9:00", "11:00",
         "包头路社区睦邻中心 多功能厅", "社区医生讲高血压的日常管理，现场免费测血压。",
         capacity=40, confirmed=23, min_age=60, audience=Activity.Audience.AREA),
    Plan(PINGLIANG, "“睦邻自治童趣社”周末手工", C.CHILDREN, 7, "14:00", "16:00",
         "平凉路街道社区第二睦邻中心 儿童活动室", "用废旧纸盒做小房子，孩子们自己分工。",
         capacity=16, confirmed=11),
    Plan(CHANGHAI, "书法兴趣班（第一期）", C.CULTURE, 12, "9:30", "11:00",
         "长海路街道社区文化活动中心 书画室", "从握笔和基本笔画学起，笔墨纸砚由中心提供。",
         capacity=20, confirmed=6),
]  # fmt: skip


def build(*, stdout, rng, today):
    if Activity.objects.exists():
        stdout.write("Activities: already there, kept them.")
        return
    district = District.objects.filter(name=DISTRICT).first()
    if district is None:
        stdout.write("Activities: no demo district, nothing built.")
        return
    hosts = _hosts(district)
    people = _people()
    made = 0
    for plan in PAST_2024 + AROUND_TODAY:
        host = hosts.get(plan.host)
        if host is None:
            continue
        _make(plan, host, people=people, rng=rng, today=today)
        made += 1
    stdout.write(f"Activities: {made} activities with sign-ups and attendance.")


def _hosts(district):
    """{name: (centre, None) or (None, neighbourhood)} for every host in the plans."""
    for subdistrict_name, name, address, hours in EXTRA_CENTRES:
        subdistrict, _ = Subdistrict.objects.get_or_create(district=district, name=subdistrict_name)
        Centre.objects.get_or_create(
            name=name, defaults={"subdistrict": subdistrict, "address": address, "hours": hours}
        )
    hosts = {centre.name: (centre, None) for centre in Centre.objects.select_related("subdistrict")}
    for neighbourhood in Neighbourhood.objects.filter(name=GJXC):
        hosts[neighbourhood.name] = (None, neighbourhood)
    return hosts


def _people():
    from portal.models import User

    return {
        "admin": User.objects.filter(username="admin").first(),
        "resident": User.objects.filter(username="resident").first(),
        "volunteer": User.objects.filter(username="volunteer").first(),
    }


def _at(day, clock):
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def _staff_of(centre, neighbourhood, people):
    if centre is not None:
        member = CentreStaff.objects.filter(centre=centre).select_related("user").first()
        return member.user if member else people["admin"]
    worker = neighbourhood.workers.filter(active=True).select_related("user").first()
    return worker.user if worker else people["admin"]


def _make(plan, host, *, people, rng, today):
    centre, neighbourhood = host
    day = plan.day if isinstance(plan.day, datetime.date) else today + datetime.timedelta(plan.day)
    starts, ends = _at(day, plan.start), _at(day, plan.end)
    staff = _staff_of(centre, neighbourhood, people)
    activity = Activity(
        centre=centre,
        neighbourhood=neighbourhood,
        title=plan.title,
        description=plan.description,
        category=plan.category,
        starts_at=starts,
        ends_at=ends,
        place=plan.place,
        capacity=plan.capacity,
        signup_opens_at=starts - datetime.timedelta(days=14),
        cancel_deadline=starts - datetime.timedelta(hours=24),
        audience=plan.audience,
        for_neighbourhood=neighbourhood
        if plan.audience == Activity.Audience.NEIGHBOURHOOD
        else None,
        min_age=plan.min_age,
        created_by=staff,
    )
    activity.save()
    Activity.objects.filter(pk=activity.pk).update(created=starts - datetime.timedelta(days=15))
    residents = _residents_for(activity, plan, rng=rng, people=people)
    past = ends < timezone.now()
    signups = []
    for position, resident in enumerate(residents, start=1):
        waiting = position > plan.confirmed
        came = None
        if past and not waiting:
            came = rng.random() < plan.came
        signups.append(
            SignUp(
                activity=activity,
                resident=resident,
                user=resident.user,
                made_by=None if resident.user_id else staff,
                status=SignUp.Status.WAITLISTED if waiting else SignUp.Status.CONFIRMED,
                position=position,
                created=starts - datetime.timedelta(days=10, minutes=37 * position),
                attended=came,
                checked_in_at=starts + datetime.timedelta(minutes=rng.randint(-15, 20))
                if came
                else None,
                checked_in_by=staff if came is not None else None,
            )
        )
    SignUp.objects.bulk_create(signups)
    _sign_up_li_mei(activity, plan, people)


def _residents_for(activity, plan, *, rng, people):
    """Present residents of the area, old enough where it asks, not the demo accounts."""
    area = area_neighbourhoods(activity)
    candidates = Resident.objects.present().filter(household__building__neighbourhood__in=area)
    if not candidates.exists():  # 长白228街坊: its subdistrict has no demo neighbourhood
        candidates = Resident.objects.present()
    demo_users = [user.pk for user in people.values() if user is not None]
    candidates = candidates.exclude(user_id__in=demo_users)
    if plan.min_age:
        born_by = timezone.localdate().replace(year=timezone.localdate().year - plan.min_age)
        candidates = candidates.filter(birth_date__lte=born_by)
    pool = list(candidates.order_by("pk")[:600])
    chosen = rng.sample(pool, min(len(pool), plan.confirmed + plan.waitlisted))
    volunteer = people["volunteer"]
    if plan.category == Activity.Category.VOLUNTEERING and volunteer and volunteer.resident:
        chosen = [volunteer.resident] + [r for r in chosen if r.pk != volunteer.resident.pk][:-1]
    return chosen


def _sign_up_li_mei(activity, plan, people):
    """李梅: confirmed at one activity, first on the waiting list of another."""
    status = plan.extra.get("resident")
    li_mei = people["resident"]
    if not status or li_mei is None or li_mei.resident is None:
        return
    last = activity.signups.order_by("-position").values_list("position", flat=True).first() or 0
    if status == "waitlisted":
        # First in the queue: the others on the list go behind her.
        activity.signups.filter(status=SignUp.Status.WAITLISTED).update(position=F("position") + 1)
        last = plan.confirmed
    SignUp.objects.create(
        activity=activity,
        user=li_mei,
        resident=li_mei.resident,
        status=SignUp.Status(status),
        position=last + 1,
        created=activity.starts_at - datetime.timedelta(days=3),
    )
