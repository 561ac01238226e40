"""The figures' part of the demo: 上云 accounts, the workforce roster and honours.

Run last among seed_demo's BUILDERS: the personas and the discussion hall's participants
are linked by then, and are counted towards each neighbourhood's rate. Nothing here writes
a figure: the dashboard counts rows, so the 互动指数 follows from what the accounts do.

- 上云 accounts: in each neighbourhood, enough residents aged 14+ are linked to an account
  to reach its rate below. 公交新村 has the report's 84.25 % (first in the city); the
  others are spread below it. The accounts are real User rows (usernames like gjxc-0001)
  with one shared *unusable* password hash: nobody can sign in as them, and the demo
  personas (李梅, 凌建梅…) stay the only residents one can be. Made with bulk_create and
  linked with bulk_update: a few statements per thousand residents.
- What they do: each new account opens the notices addressed to it, as often as its
  neighbourhood's habit below says (READING). 公交新村's residents are the ones most at
  home with 社区云 in the report, and read the most; that, with 上云率, is what puts its
  互动指数 at the top.
- The roster: the report's 2,210 居民区社区工作者 (average age 44, 89 % 大专 or above,
  24 % 社工证) are the 22 demo staff with accounts plus roster lines for everyone else,
  drawn so that the district totals hit the report's figures exactly on the day built.
- Honours: the ten 2023年度杨浦区“最美居民区社区工作者”, 胡云 and 杨莹 among them.
"""

import datetime
from functools import reduce
from operator import or_

from django.contrib.auth.hashers import make_password
from django.db.models import Count, Q, Sum
from django.utils import timezone

from neighborhoods.demo.register import BATCH_SIZE, DISTRICT, KNOWN_HOUSEHOLDS
from neighborhoods.models import (
    CommunityWorker,
    Neighbourhood,
    Resident,
    RosterWorker,
    Subdistrict,
    WorkerHonour,
)
from notices.models import Notice, NoticeRead

from ..models import User
from .services import COLLEGE_OR_ABOVE, counted_residents

# Neighbourhood → (username prefix, 上云率 to reach, chance a new account opens a notice).
RATES = {
    "公交新村居民区": ("gjxc", 0.8425, 0.9),  # the report: 84.25 %, first in the city
    "文化佳园居民区": ("whjy", 0.74, 0.55),
    "阜新路居民区": ("fxl", 0.71, 0.5),
    "控江二村居民区": ("kjec", 0.66, 0.45),
    "定海港路居民区": ("dhgl", 0.62, 0.45),
    "包头路居民区": ("btl", 0.58, 0.4),
    "开鲁新村居民区": ("klxc", 0.53, 0.35),
    "眉州路居民区": ("mzl", 0.47, 0.3),
}

WORKERS = 2210
AVERAGE_AGE = 44
COLLEGE_SHARE = 0.89
CERTIFICATE_SHARE = 0.24
AGE_RANGE = (23, 60)
# The roster's workers by subdistrict (the six demo subdistricts), about as Yangpu's are.
SUBDISTRICT_WEIGHTS = {
    "四平路街道": 17,
    "定海路街道": 18,
    "长海路街道": 19,
    "平凉路街道": 15,
    "殷行街道": 20,
    "控江路街道": 11,
}

HONOUR = "杨浦区“最美居民区社区工作者”"
# The ten 2023年度杨浦区“最美居民区社区工作者” (胡云、杨莹等10人): the seed names two; the
# other eight are the demo's committee heads, with citations in the report's words.
HONOURED = [
    (
        "huyun",
        "用“足尖”丈量社区，用“指尖”收集信息；坚持“日看窗帘夜看灯”，定期关怀独居老人、纯老家庭，借助“社区云”实现上门服务和数字民生双提升。",
    ),
    (
        "yangying",
        "杨浦首批社区青年先锋，用真心和热情敲开近1400户居民的大门，排摸出一张“社区地图”，把“四百”大走访做实。",
    ),
    ("fxl_zhang", "扎根阜新路居民区十余年，带领居委会把睦邻市集办成邻里互助的平台。"),
    ("dhgl_zhou", "协助做好定海港路近1400户居民的走访，老年人口多，困难一件件跟到底。"),
    ("whjy_ma", "带领文化佳园居民区与睦邻中心一起，把居民志愿者这支“生力军”组织起来。"),
    ("btl_he", "推动包头路“健康共同体”，让老年居民在家门口看病、学健康。"),
    ("klxc_wu", "开鲁新村“电动自行车不进楼道”，集中充电棚从议事厅的建议变成现实。"),
    ("kjec_tang", "控江二村楼道微更新：扶手、照明和休息座椅，都先听居民的意见。"),
    ("mzl_cao", "眉州路居民区垃圾分类从宣传到值守，居民人人参与。"),
    ("gjxc_li", "公交新村党总支副书记，分片包干，与胡云一起把“四百”走访做在日常。"),
]
HONOUR_YEAR = 2023
HONOUR_BY = "杨浦区"


def build(*, stdout, rng, today):
    """Idempotent: each part is skipped when its rows are there."""
    linked = build_accounts(rng, today)
    roster = build_roster(rng, today)
    honours = build_honours()
    stdout.write(
        f"Demo figures: {linked} residents linked (上云), {roster} roster workers, "
        f"{honours} honours."
    )


def _known_households():
    return reduce(
        or_,
        (
            Q(
                household__building__neighbourhood__name=k.neighbourhood,
                household__building__number=k.building,
                household__room=k.room,
            )
            for k in KNOWN_HOUSEHOLDS
        ),
    )


def build_accounts(rng, today):
    if User.objects.filter(username=f"{RATES['公交新村居民区'][0]}-0001").exists():
        return 0
    unusable = make_password(None)  # one hash for all: "!…", never matches a password
    neighbourhoods = Neighbourhood.objects.filter(
        subdistrict__district__name=DISTRICT, name__in=RATES
    )
    users, residents, readers = [], [], []
    for neighbourhood in neighbourhoods.select_related("subdistrict").order_by("pk"):
        prefix, rate, reading = RATES[neighbourhood.name]
        counted = counted_residents(today).filter(household__building__neighbourhood=neighbourhood)
        total = counted.count()
        already = counted.filter(user__isnull=False).count()
        free = list(
            counted.filter(user__isnull=True)
            .exclude(_known_households())
            .order_by("pk")
            .values_list("pk", "name")
        )
        wanted = max(0, min(len(free), round(rate * total) - already))
        for number, (pk, name) in enumerate(sorted(rng.sample(free, wanted)), start=1):
            users.append(
                User(username=f"{prefix}-{number:04d}", first_name=name, password=unusable)
            )
            residents.append(Resident(pk=pk))
            readers.append((neighbourhood, reading))
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    for resident, user in zip(residents, users, strict=True):
        resident.user = user
    Resident.objects.bulk_update(residents, ["user"], batch_size=BATCH_SIZE)
    build_reads(rng, today, users, readers)
    return len(residents)


def build_reads(rng, today, users, readers):
    """The new accounts open the published notices addressed to their neighbourhood."""
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 0)))
    notices = [
        n for n in Notice.objects.filter(publish_at__lte=now).order_by("pk") if n.is_published(now)
    ]
    reads = []
    for user, (neighbourhood, reading) in zip(users, readers, strict=True):
        for notice in notices:
            concerned = (
                notice.neighbourhood_id == neighbourhood.pk
                or notice.subdistrict_id == neighbourhood.subdistrict_id
                or (
                    notice.district_id is not None
                    and notice.district_id == district_of(neighbourhood)
                )
            )
            if concerned and rng.random() < reading:
                hours = datetime.timedelta(hours=rng.randint(1, 72))
                reads.append(
                    NoticeRead(
                        notice=notice, user=user, read_at=min(now, notice.publish_at + hours)
                    )
                )
    NoticeRead.objects.bulk_create(reads, batch_size=BATCH_SIZE, ignore_conflicts=True)


def district_of(neighbourhood):
    return neighbourhood.subdistrict.district_id


def build_roster(rng, today):
    """Roster lines so that profiles + roster give the report's workforce figures."""
    if RosterWorker.objects.exists():
        return 0
    subdistricts = {
        s.name: s
        for s in Subdistrict.objects.filter(district__name=DISTRICT, name__in=SUBDISTRICT_WEIGHTS)
    }
    if not subdistricts:
        return 0
    year = today.year
    profiles = CommunityWorker.objects.filter(
        active=True, neighbourhood__subdistrict__district__name=DISTRICT
    )
    have = profiles.aggregate(n=Count("pk"), born=Sum("birth_year"))
    n_profiles = have["n"] or 0
    count = WORKERS - n_profiles
    ages_wanted = AVERAGE_AGE * WORKERS - (n_profiles * year - (have["born"] or 0))
    college = round(COLLEGE_SHARE * WORKERS)
    college -= profiles.filter(education__in=COLLEGE_OR_ABOVE).count()
    certified = (
        round(CERTIFICATE_SHARE * WORKERS) - profiles.filter(social_work_certificate=True).count()
    )
    ages = _ages(rng, count, ages_wanted)
    educated = set(rng.sample(range(count), college))
    holders = set(rng.sample(range(count), certified))
    names = list(subdistricts)
    weights = [SUBDISTRICT_WEIGHTS[name] for name in names]
    rows = []
    for i, age in enumerate(ages):
        birth_year = year - age
        if i in educated:
            education = rng.choices(COLLEGE_OR_ABOVE, weights=(45, 50, 5))[0]
        else:
            education = CommunityWorker.Education.SECONDARY
        rows.append(
            RosterWorker(
                subdistrict=subdistricts[rng.choices(names, weights=weights)[0]],
                birth_year=birth_year,
                education=education,
                social_work_certificate=i in holders,
                start_year=rng.randint(max(birth_year + 22, 1995), year),
            )
        )
    RosterWorker.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def _ages(rng, count, total):
    """`count` ages in AGE_RANGE, spread like a workforce, that add up to exactly `total`."""
    low, high = AGE_RANGE
    ages = [min(high, max(low, round(rng.gauss(total / count, 9)))) for _ in range(count)]
    step = 1 if total > sum(ages) else -1
    for _ in range(abs(total - sum(ages))):
        while True:
            i = rng.randrange(count)
            if low <= ages[i] + step <= high:
                ages[i] += step
                break
    return ages


def build_honours():
    made = 0
    for username, citation in HONOURED:
        worker = CommunityWorker.objects.filter(user__username=username).first()
        if worker is None:
            continue
        _honour, created = WorkerHonour.objects.get_or_create(
            worker=worker,
            title=HONOUR,
            year=HONOUR_YEAR,
            defaults={"citation": citation, "awarded_by": HONOUR_BY},
        )
        made += created
    return made
