"""The Yangpu demo district built by `manage.py seed_demo`.

Places, people and figures come from the 2024 report in the shared seed: 公交新村 with
胡云 and 周阿婆, 定海港路 with 杨莹 and its nearly 1,400 households, 文化佳园 with the
volunteer 凌建梅, and the four 睦邻中心 it names. Everything else (the other households and
residents, the other workers' records) is drawn from one seeded random.Random, so every
run on an empty database builds the same register.
"""

import itertools
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.management import CommandError

from portal.demo import ensure_account

from ..models import (
    Building,
    Centre,
    CommunityWorker,
    District,
    Household,
    Neighbourhood,
    Resident,
    Subdistrict,
    Zone,
    age_on,
)
from .people import (
    REFERENCE_DAY,
    Deceased,
    Female,
    Male,
    Member,
    MovedOut,
    Present,
    landline,
    random_members,
)

DISTRICT = "杨浦区"


SEED = 2024


# With --small every neighbourhood keeps a tenth of its households, but never fewer than
# this: buildings 1号 and 2号 (at most 2 × 7 floors × 4 flats) must be complete, since
# the households from the report live there.
SMALL_MINIMUM = 60


BATCH_SIZE = 1000


SUBDISTRICTS = ["四平路街道", "定海路街道", "长海路街道", "平凉路街道", "殷行街道", "控江路街道"]


@dataclass(frozen=True)
class Place:
    subdistrict: str
    name: str
    households: int
    lane: str  # the buildings' street address, e.g. 四平路1028弄 → 四平路1028弄12号
    address: str  # the residents' committee
    phone: str
    units: tuple = (2, 3)  # flats per landing, lowest and highest
    compound: str = ""


# Household counts are chosen so that each worker's zone holds 8 to 15 buildings.
PLACES = [
    Place("四平路街道", "公交新村居民区", 480, "四平路1028弄", "四平路1028弄12号底层",
          "021-65032718", units=(2, 4)),
    Place("四平路街道", "阜新路居民区", 280, "阜新路218弄", "阜新路218弄3号", "021-65018826"),
    Place("定海路街道", "定海港路居民区", 1400, "定海港路250弄", "定海港路250弄41号",
          "021-65431907", units=(2, 4)),
    Place("长海路街道", "文化佳园居民区", 300, "民京路918弄", "民京路918弄文化佳园1号底层",
          "021-55218730", compound="文化佳园"),
    Place("长海路街道", "包头路居民区", 260, "包头路1136弄", "包头路1136弄7号", "021-55960412"),
    Place("殷行街道", "开鲁新村居民区", 280, "开鲁路399弄", "开鲁路399弄16号", "021-65902316"),
    Place("控江路街道", "控江二村居民区", 260, "控江路1555弄", "控江路1555弄22号",
          "021-65437752"),
    Place("平凉路街道", "眉州路居民区", 240, "眉州路220弄", "眉州路220弄8号", "021-65120463",
          units=(2, 2)),
]  # fmt: skip


CENTRES = [
    # subdistrict, name, address, hours, operating social organisation
    ("长海路街道", "文化佳园睦邻中心", "民京路918弄文化佳园内", "周一至周日 8:30–20:00",
     "上海市杨浦区佳邻社会工作服务社"),
    ("四平路街道", "阜新路社区睦邻中心", "阜新路218弄9号", "周一至周六 8:30–17:30",
     "上海市杨浦区四平睦邻公益服务中心"),
    ("长海路街道", "包头路社区睦邻中心", "包头路1136弄20号",
     "周一至周五 8:30–17:00，周六 9:00–16:00", "上海市杨浦区乐龄社会工作服务社"),
    ("平凉路街道", "平凉路街道社区第二睦邻中心", "眉州路220弄15号", "周二至周日 9:00–20:00",
     "上海市杨浦区童心社区服务中心"),
]  # fmt: skip


@dataclass(frozen=True)
class Worker:
    neighbourhood: str
    username: str
    name: str
    position: str
    birth_year: int
    education: str
    certificate: bool
    start_year: int


_SEC, _COL, _BA, _MA = (e.value for e in CommunityWorker.Education)


_HEAD = "党总支书记、居委会主任"


# One zone per worker, in this order. Taken together they resemble the district's figures
# in the report: average age about 44, nine in ten with college education or above, about
# a quarter holding the social-work certificate.
WORKERS = [
    Worker("公交新村居民区", "huyun", "胡云", "居委会主任", 1984, _BA, True, 2018),
    Worker("公交新村居民区", "gjxc_li", "李静", "党总支副书记", 1979, _COL, False, 2012),
    Worker("公交新村居民区", "gjxc_wang", "王晓燕", "社区工作者", 1992, _BA, False, 2019),
    Worker("阜新路居民区", "fxl_zhang", "张海燕", _HEAD, 1970, _COL, False, 2006),
    Worker("阜新路居民区", "fxl_xu", "徐伟", "社区工作者", 1988, _BA, False, 2016),
    Worker("定海港路居民区", "yangying", "杨莹", _HEAD, 1990, _MA, True, 2015),
    Worker("定海港路居民区", "dhgl_zhou", "周敏", "居委会副主任", 1972, _COL, False, 2009),
    Worker("定海港路居民区", "dhgl_shen", "沈丽华", "社区工作者", 1970, _SEC, False, 2003),
    Worker("定海港路居民区", "dhgl_lu", "陆俊", "社区工作者", 1993, _BA, False, 2020),
    Worker("定海港路居民区", "dhgl_gu", "顾佳怡", "社区工作者", 1996, _BA, True, 2021),
    Worker("定海港路居民区", "dhgl_zhu", "朱建华", "社区工作者", 1972, _COL, False, 2010),
    Worker("定海港路居民区", "dhgl_qian", "钱颖", "社区工作者", 1980, _BA, False, 2017),
    Worker("文化佳园居民区", "whjy_ma", "马丽", _HEAD, 1972, _BA, True, 2008),
    Worker("文化佳园居民区", "whjy_sun", "孙磊", "社区工作者", 1982, _COL, False, 2018),
    Worker("包头路居民区", "btl_he", "何芳", "居委会主任", 1976, _BA, False, 2011),
    Worker("包头路居民区", "btl_lin", "林涛", "社区工作者", 1994, _BA, False, 2022),
    Worker("开鲁新村居民区", "klxc_wu", "吴红", _HEAD, 1968, _COL, True, 2005),
    Worker("开鲁新村居民区", "klxc_zhao", "赵婷", "社区工作者", 1991, _COL, False, 2019),
    Worker("控江二村居民区", "kjec_tang", "唐燕", "居委会主任", 1971, _COL, False, 2010),
    Worker("控江二村居民区", "kjec_song", "宋杰", "社区工作者", 1980, _SEC, False, 2014),
    Worker("眉州路居民区", "mzl_cao", "曹萍", _HEAD, 1969, _BA, False, 2007),
    Worker("眉州路居民区", "mzl_jiang", "蒋晨", "社区工作者", 1995, _BA, False, 2023),
]


ZONE_NAMES = ["第一片区", "第二片区", "第三片区", "第四片区", "第五片区", "第六片区", "第七片区"]


@dataclass(frozen=True)
class KnownHousehold:
    """A household from the report (or needed by a demo account) at a fixed address."""

    neighbourhood: str
    building: str
    room: str
    members: tuple
    phone: str = ""
    notes: str = ""


KNOWN_HOUSEHOLDS = [
    KnownHousehold(
        "公交新村居民区", "2号", "201",
        (Member("周秀英", Female, date(1943, 6, 18), "户主"),
         Member("陈根宝", Male, date(1939, 2, 3), "配偶", status=Deceased,
                status_changed_on=date(2019, 11, 2))),
        phone="65037214",
        notes="邻居称周阿婆。独居，儿子住浦东，每周日来看望。"
              "“日看窗帘夜看灯”重点关注户；曾夜间突发不适，由居委会送医。",
    ),
    # The `resident` demo account (李女士 in the report: busy at work, now 上云).
    KnownHousehold(
        "公交新村居民区", "1号", "302",
        (Member("王磊", Male, date(1985, 9, 3), "户主", "13651928476"),
         Member("李梅", Female, date(1987, 4, 12), "配偶", "13817652208"),
         Member("王梓涵", Female, date(2015, 3, 21), "子女")),
    ),
    # A pending link request that matches this register entry exactly.
    KnownHousehold(
        "公交新村居民区", "1号", "402",
        (Member("张建华", Male, date(1966, 11, 5), "户主", "13901845726"),
         Member("刘红", Female, date(1968, 2, 14), "配偶", "13761023395"),
         Member("张浩然", Male, date(1993, 7, 30), "子女", "18817420561")),
        phone="65039187",
    ),
    # A pending link request names someone not registered here: staff must check.
    KnownHousehold(
        "公交新村居民区", "1号", "501",
        (Member("孙德明", Male, date(1950, 8, 9), "户主"),
         Member("钱美华", Female, date(1952, 12, 1), "配偶", "13585210674"),
         Member("孙俊", Male, date(1978, 5, 16), "子女", status=MovedOut,
                status_changed_on=date(2008, 10, 1))),
        phone="65038852",
    ),
    # The `volunteer` demo account: 凌建梅 keeps order at the centre (维持秩序、协调人员).
    KnownHousehold(
        "文化佳园居民区", "2号", "301",
        (Member("凌建梅", Female, date(1963, 10, 8), "户主", "13761520938"),
         Member("吴国平", Male, date(1960, 5, 21), "配偶", "13916278403")),
    ),
    # 韩昊芳小朋友 wrote a letter home to the compound's cleaner for Spring Festival.
    KnownHousehold(
        "文化佳园居民区", "2号", "502",
        (Member("韩志刚", Male, date(1984, 1, 19), "户主", "18621735509"),
         Member("方琳", Female, date(1986, 6, 27), "配偶", "13482267130"),
         Member("韩昊芳", Female, date(2015, 9, 1), "子女")),
    ),
]  # fmt: skip


# Staff notes for some elderly people living alone: what a worker would jot down.
ALONE_NOTES = [
    "子女在外区，每周来看望一次。",
    "有高血压，按时服药，需定期随访。",
    "听力不好，上门请多敲几次门。",
    "已安装烟感报警器和紧急呼叫器。",
    "喜欢参加睦邻中心的活动。",
    "行动不便，买菜由邻居帮忙。",
]


def scaled(households, small):
    return max(SMALL_MINIMUM, households // 10) if small else households


def plan_buildings(rng, place, neighbourhood, count):
    """Buildings 1号, 2号… (5 to 7 floors) and their first `count` flats, rooms like 302."""
    buildings, flats = [], []
    while len(flats) < count:
        number = f"{len(buildings) + 1}号"
        building = Building(
            neighbourhood=neighbourhood,
            number=number,
            compound=place.compound,
            floors=rng.choice((5, 6, 6, 6, 7)),
            address=f"{place.lane}{number}",
        )
        units = rng.randint(*place.units)
        buildings.append(building)
        flats += [
            (building, f"{floor}{unit:02d}")
            for floor in range(1, building.floors + 1)
            for unit in range(1, units + 1)
        ]
    return buildings, flats[:count]


def split_into_zones(buildings, zones):
    """Contiguous runs of buildings, one run per zone, as a street is walked."""
    for i, building in enumerate(buildings):
        building.zone = zones[i * len(zones) // len(buildings)]


def build_register(*, today, small=False):
    """Create the district, its places, centres, zones, buildings, households and residents.

    A few bulk inserts in all. Bulk inserts bypass Resident.save(), which keeps the
    households' care flags, so fill_flats() computes the flags itself.
    """
    rng = random.Random(SEED)
    neighbourhoods = create_places()
    flats = create_buildings(rng, neighbourhoods, small)
    households, residents = fill_flats(rng, flats, today)
    Household.objects.bulk_create(households, batch_size=BATCH_SIZE)
    Resident.objects.bulk_create(residents, batch_size=BATCH_SIZE)


def create_places():
    """The district, subdistricts, centres and neighbourhoods (in the order of PLACES)."""
    district = District.objects.create(name=DISTRICT)
    subdistricts = Subdistrict.objects.bulk_create(
        Subdistrict(district=district, name=name) for name in SUBDISTRICTS
    )
    by_name = {s.name: s for s in subdistricts}
    Centre.objects.bulk_create(
        Centre(subdistrict=by_name[sub], name=name, address=address, hours=hours,
               operator=operator)
        for sub, name, address, hours, operator in CENTRES
    )  # fmt: skip
    return Neighbourhood.objects.bulk_create(
        Neighbourhood(subdistrict=by_name[p.subdistrict], name=p.name, address=p.address,
                      phone=p.phone)
        for p in PLACES
    )  # fmt: skip


def create_buildings(rng, neighbourhoods, small):
    """Each neighbourhood's zones (one per worker) and buildings; returns all the flats."""
    buildings, flats = [], []
    for place, neighbourhood in zip(PLACES, neighbourhoods, strict=True):
        zones = Zone.objects.bulk_create(
            Zone(neighbourhood=neighbourhood, name=name)
            for name in ZONE_NAMES[: len(workers_of(place.name))]
        )
        count = scaled(place.households, small)
        place_buildings, place_flats = plan_buildings(rng, place, neighbourhood, count)
        split_into_zones(place_buildings, zones)
        buildings += place_buildings
        flats += place_flats
    Building.objects.bulk_create(buildings, batch_size=BATCH_SIZE)
    return flats


def workers_of(neighbourhood_name):
    return [w for w in WORKERS if w.neighbourhood == neighbourhood_name]


def fill_flats(rng, flats, today):
    """One household per flat: the known ones at their addresses, the rest drawn at random."""
    known = {(k.neighbourhood, k.building, k.room): k for k in KNOWN_HOUSEHOLDS}
    households, residents = [], []
    for building, room in flats:
        spec = known.pop((building.neighbourhood.name, building.number, room), None)
        members = list(spec.members) if spec else random_members(rng)
        household = Household(building=building, room=room, floor_area=floor_area(building, room))
        household_details(rng, household, members, spec)
        set_care(household, members, today)
        households.append(household)
        residents += [
            Resident(household=household, **vars(member))  # Member has Resident's field names
            for member in members
        ]
    if known:
        raise CommandError(f"These households have no flat in the plan: {sorted(known)}")
    return households, residents


def floor_area(building, room):
    """A flat's floor area (m², as on its property certificate): 公交新村-style flats of the
    1980s are 38–75 m². Drawn from the address, not from the register's generator, so that
    every other drawn detail stays as it was before floor areas were added."""
    draw = random.Random(f"{building.neighbourhood.name}/{building.number}/{room}")
    return Decimal(draw.randint(3800, 7500)) / 100


def household_details(rng, household, members, spec):
    if spec:
        household.phone, household.notes = spec.phone, spec.notes
        return
    elderly = any(age_on(m.birth_date, REFERENCE_DAY) >= 60 for m in members)
    # Older households still keep the fixed line; younger ones have only mobiles.
    if rng.random() < (0.6 if elderly else 0.15):
        household.phone = landline(rng)
    if len(members) == 1 and elderly and rng.random() < 0.5:
        household.notes = rng.choice(ALONE_NOTES)


def set_care(household, members, today):
    """What Household.refresh_care() would store, from the members who live here now."""
    present = [m for m in members if m.status == Present]
    household.care = household.care_for(present, today)
    household.eldest_birth_date = min((m.birth_date for m in present), default=None)


def ensure_workers(password_hash):
    """Create or refresh the committee staff, then give each unowned zone to its worker.

    Zones are handed out in creation order, so worker i of a neighbourhood owns zone i
    (分片包干). A zone that already has an owner keeps it: someone may have reassigned it.
    Returns (username, name, role, place) rows for the command's summary.
    """
    neighbourhoods = demo_neighbourhoods()
    workers, rows = {}, []
    for spec in WORKERS:
        neighbourhood = neighbourhoods[spec.neighbourhood]
        user = ensure_account(spec.username, spec.name, password_hash)
        worker, _ = CommunityWorker.objects.update_or_create(
            user=user,
            defaults={
                "neighbourhood": neighbourhood,
                "position": spec.position,
                "birth_year": spec.birth_year,
                "education": spec.education,
                "social_work_certificate": spec.certificate,
                "start_year": spec.start_year,
                "active": True,
            },
        )
        workers.setdefault(neighbourhood.pk, []).append(worker)
        rows.append((spec.username, spec.name, spec.position, spec.neighbourhood))
    assign_zones(workers)
    return rows


def assign_zones(workers_by_neighbourhood):
    unowned = []
    for neighbourhood_id, workers in workers_by_neighbourhood.items():
        zones = Zone.objects.filter(neighbourhood_id=neighbourhood_id).order_by("pk")
        for zone, worker in zip(zones, itertools.cycle(workers), strict=False):
            if zone.worker_id is None:
                zone.worker = worker
                unowned.append(zone)
    Zone.objects.bulk_update(unowned, ["worker"])


def demo_neighbourhoods():
    """The demo district's neighbourhoods by name; an error if one the demo needs is missing."""
    found = {n.name: n for n in Neighbourhood.objects.filter(subdistrict__district__name=DISTRICT)}
    missing = [p.name for p in PLACES if p.name not in found]
    if missing:
        raise CommandError(
            f"{DISTRICT} exists but lacks {', '.join(missing)}: it was not made by seed_demo. "
            "Run seed_demo on an empty database."
        )
    return found
