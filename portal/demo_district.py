# ruff: noqa: S608 (SQL built from this module's constants and ids; no outside input)
"""The district-sized demo: `manage.py seed_demo --scale district`.

Built on top of the ordinary demo (its places, accounts and stories stay as they are), it
grows 杨浦区 to the size of the real district in the 2024 report: 12 subdistricts, about
300 neighbourhoods, about half a million households and 1.24 million residents, 2,210
community workers (one zone each), the 47 centres, three years of home visits (about five
million), daily-watch enrolments for the elderly living alone, needs raised on visits,
notices, activities and sign-ups, volunteers and their hours, and inbox messages.

Every row is made by PostgreSQL itself (INSERT … SELECT over generate_series), with its
values drawn from a hash of its row number (`pg_temp.h(n, salt)`), so two runs on the same
base demo build the same rows. Rows get explicit ids (the table's highest id + the row
number), so children point at their parents without a lookup; the identity sequences are
moved past them at the end. The big tables' secondary indexes are dropped for the load and
made again afterwards, then everything is VACUUMed and ANALYZEd.

`scale_factor` shrinks everything (neighbourhoods in proportion, households per
neighbourhood by its square root) so that a test can build a tiny district in seconds.
"""

import math
import time
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from neighborhoods.demo import people
from neighborhoods.demo.register import DISTRICT, PLACES
from neighborhoods.models import (
    Activity,
    Building,
    Centre,
    CommunityWorker,
    Household,
    Need,
    Neighbourhood,
    Resident,
    SignUp,
    Subdistrict,
    Visit,
    WatchCheck,
    WatchEnrolment,
    Zone,
)
from notices.models import Notice
from portal.models import Message, User
from volunteers.models import ServiceRecord, VolunteerProfile

# The real district (杨浦区): the figures the full scale aims at.
NEIGHBOURHOODS = 300
HOUSEHOLDS_PER_NEIGHBOURHOOD = 1700  # ≈ 0.5 M households in all
WORKERS = 2210
YEARS_OF_VISITS = 3
WATCH_DAYS = 7  # days of daily-watch checks kept for each enrolled household
ACCOUNT_SHARE = 16  # in 100 adults have an account linked to the register (上云)
VOLUNTEER_SHARE = 3  # in 100 accounts are approved volunteers
NEED_SHARE = 1  # in 100 visits raise a need

# Flats per building: floors 5–7, 2–4 flats per landing (18 on average).
FLATS_PER_BUILDING = 18

# Household shapes: (share in 100, [(relation, gender, lowest age, highest age, own surname)]).
# gender "H" is the head's (drawn), "S" the other one. The mean size is 2.48, as in Yangpu
# (1.24 M residents in 0.5 M households).
SHAPES = [
    (12, [("户主", "H", 61, 96, False)]),
    (6, [("户主", "H", 22, 59, False)]),
    (18, [("户主", "H", 61, 92, False), ("配偶", "S", 60, 90, True)]),
    (20, [("户主", "H", 25, 59, False), ("配偶", "S", 24, 59, True)]),
    (28, [("户主", "H", 30, 58, False), ("配偶", "S", 28, 58, True), ("子女", "R", 1, 28, False)]),
    (
        10,
        [
            ("户主", "H", 32, 55, False),
            ("配偶", "S", 30, 55, True),
            ("子女", "R", 1, 26, False),
            ("子女", "R", 1, 26, False),
        ],
    ),
    (
        6,
        [
            ("户主", "H", 32, 52, False),
            ("配偶", "S", 30, 52, True),
            ("子女", "R", 1, 24, False),
            ("子女", "R", 1, 24, False),
            ("父母", "R", 62, 92, True),
        ],
    ),
]

# Yangpu's roads, for the new neighbourhoods' names and their buildings' addresses.
ROADS = (  # noqa: SIM905
    "国和 市光 嫩江 黄兴 靖宇 民星 国顺 鞍山 延吉 长白 松花江 双阳 营口 凤城 本溪 辽源 "
    "齐齐哈尔 内江 怀德 兰州 隆昌 大连 宁国 许昌 周家嘴 江浦 昆明 腾越 杨树浦 临青 通北 "
    "宁武 政立 国权 政通 淞沪 殷高 新江湾 翔殷 中原 闸殷 开鲁 民庆 世界 包头 铁岭 佳木斯"
).split()
SUFFIXES = ["一村", "二村", "三村", "四村", "新村", "东村", "西村", "北村", "小区", "苑"]

ZONE_NAMES = "第一 第二 第三 第四 第五 第六 第七 第八 第九 第十 第十一 第十二".split()  # noqa: SIM905
POSITIONS = ["党总支书记、居委会主任", "居委会副主任", "党总支副书记"] + ["社区工作者"] * 7

VISIT_NOTES = [
    "身体状况良好，生活能自理。",
    "询问近期用水用电情况，无异常。",
    "老人血压偏高，提醒按时服药。",
    "家中有积水隐患，已提醒注意。",
    "子女近期来看望，精神状态不错。",
    "了解到对加装电梯有意愿。",
    "反映楼道灯不亮，已记录。",
    "宣传防诈骗知识，发放资料。",
    "邻里关系和睦，无特别诉求。",
    "提醒冬季用电安全。",
]
NEED_TEXTS = [
    ("housing", "楼道照明损坏，夜间出行不便。"),
    ("health", "行动不便，希望有人陪同就医。"),
    ("daily", "买菜困难，希望邻居或志愿者帮忙。"),
    ("housing", "屋顶渗水，需要物业维修。"),
    ("finance", "咨询医保报销和补贴政策。"),
    ("dispute", "与楼上邻居因噪音有矛盾，希望调解。"),
    ("other", "希望参加睦邻中心的书法班。"),
]
NOTICE_TITLES = [
    ("water", "二次供水水箱清洗通知"),
    ("works", "老旧管道更换施工公告"),
    ("culture", "睦邻文化节活动报名"),
    ("safety", "冬季消防安全提示"),
    ("policy", "老年人助餐补贴政策说明"),
    ("services", "社区卫生服务站上门体检安排"),
    ("other", "垃圾分类投放时间调整"),
]
ACTIVITY_TITLES = [
    ("culture", "沪剧沙龙"),
    ("health", "健康讲座：慢病管理"),
    ("children", "亲子绘本阅读"),
    ("volunteering", "楼道清洁志愿行动"),
    ("learning", "智能手机使用课堂"),
    ("festival", "邻里百家宴"),
    ("other", "便民服务日：理发、磨刀、修伞"),
]


@dataclass(frozen=True)
class Plan:
    """How much to build at a scale factor (1.0 = the real district)."""

    new_neighbourhoods: int
    households_per_neighbourhood: int
    new_workers: int

    @classmethod
    def at(cls, factor, existing_neighbourhoods, existing_workers):
        new = max(2, round((NEIGHBOURHOODS - existing_neighbourhoods) * factor))
        per = max(24, round(HOUSEHOLDS_PER_NEIGHBOURHOOD * math.sqrt(factor)))
        # at least one worker for each new neighbourhood
        workers = max(new, round((WORKERS - existing_workers) * factor))
        return cls(new, per, workers)


def h(expr, salt):
    """SQL for a deterministic non-negative hash of an integer expression."""
    return f"pg_temp.h(({expr})::bigint, {int(salt)})"


def literal(value):
    return connection.ops.compose_sql("%s", [value])


def text_array(values):
    return literal(list(values)) + "::text[]"


class Sql:
    """The cursor, with `:today` in SQL replaced by the build's day (no parameters are
    passed, so `%` is SQL's modulo)."""

    def __init__(self, cursor, today, password_hash):
        self.cursor, self.today = cursor, literal(today)
        self.password = literal(password_hash)  # of every account made

    def execute(self, sql, params=None):
        if params is None:
            return self.cursor.execute(sql.replace(":today", self.today))
        return self.cursor.execute(sql, params)

    def __getattr__(self, name):
        return getattr(self.cursor, name)


def insert_select(cursor, model, columns, source):
    """INSERT INTO model's table (columns…) SELECT expressions FROM source.

    `columns` maps column names to SQL expressions; every other NOT NULL column gets the
    model field's default (as Django would have filled it), so a new field with a default
    needs no change here.
    """
    names, exprs = [], []
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if field.column in columns:
            names.append(field.column)
            exprs.append(columns[field.column])
            continue
        if field.null or field.primary_key:
            continue
        if field.has_default():
            value = field.get_default()
        elif isinstance(field, models.DateTimeField):
            value = now
        elif isinstance(field, models.CharField | models.TextField | models.FileField):
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
        names.append(field.column)
        exprs.append(literal(field.get_db_prep_save(value, connection)))
    unknown = set(columns) - set(names)
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
    quoted = ", ".join(connection.ops.quote_name(n) for n in names)
    sql = f"INSERT INTO {model._meta.db_table} ({quoted}) SELECT {', '.join(exprs)} {source}"
    cursor.execute(sql)
    return cursor.rowcount


def max_id(cursor, model):
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {model._meta.db_table}")
    return cursor.fetchone()[0]


# Secondary indexes of the biggest tables, dropped for the load and made again after.
BIG_TABLES = [Resident, Household, Visit, Need, WatchCheck, SignUp, Message, ServiceRecord]


def drop_indexes(cursor, models_):
    """Drop the plain (non-unique, non-constraint) indexes; returns their definitions."""
    tables = [m._meta.db_table for m in models_]
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [tables],
    )
    found = cursor.fetchall()
    for name, _ in found:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]


def drop_foreign_keys(cursor, models_):
    """Drop the big tables' foreign keys (a deferred check per row would queue millions of
    trigger events); returns the statements that add them again, each checked in one pass."""
    tables = [m._meta.db_table for m in models_]
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE c.contype = 'f' AND t.relname = ANY(%s)
        """,
        [tables],
    )
    statements = []
    for table, name, definition in cursor.fetchall():
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        statements.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    return statements


def build(*, password_hash, today=None, factor=1.0, stdout=None):
    """Grow the demo district; returns a dict of what was made. Needs the ordinary demo."""
    today = today or timezone.localdate()
    say = stdout.write if stdout else (lambda text: None)
    started = time.monotonic()
    made = {}
    with transaction.atomic(), connection.cursor() as raw:
        cursor = Sql(raw, today, password_hash)
        cursor.execute(
            "CREATE FUNCTION pg_temp.h(n bigint, salt int) RETURNS bigint "
            "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
            "$$ SELECT (hashint8(n * 7919 + salt) & 2147483647)::bigint $$"
        )
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        neighbourhoods = Neighbourhood.objects.filter(subdistrict__district__name=DISTRICT)
        plan = Plan.at(
            factor,
            neighbourhoods.count(),
            CommunityWorker.objects.filter(neighbourhood__in=neighbourhoods).count(),
        )
        indexes = drop_indexes(cursor, BIG_TABLES)
        foreign_keys = drop_foreign_keys(cursor, BIG_TABLES)
        steps = [
            ("neighbourhoods", lambda: build_places(cursor, plan)),
            ("workers", lambda: build_workers(cursor, plan)),
            ("buildings", lambda: build_buildings(cursor, plan)),
            ("households", lambda: build_households(cursor, today)),
            ("accounts", lambda: build_accounts(cursor, today)),
            ("residents", lambda: build_residents(cursor, today)),
            ("visits", lambda: build_visits(cursor, today)),
            ("needs", lambda: build_needs(cursor, today)),
            ("watch", lambda: build_watch(cursor, today)),
            ("notices", lambda: build_notices(cursor, today)),
            ("activities", lambda: build_activities(cursor, today)),
            ("volunteers", lambda: build_volunteers(cursor, today)),
            ("messages", lambda: build_messages(cursor, today)),
        ]
        for name, step in steps:
            step_started = time.monotonic()
            made[name] = step()
            say(f"  {name}: {made[name]} ({time.monotonic() - step_started:.1f} s)")
        step_started = time.monotonic()
        for definition in indexes:
            cursor.execute(definition)
        say(f"  indexes made again: {len(indexes)} ({time.monotonic() - step_started:.1f} s)")
        step_started = time.monotonic()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in foreign_keys:
            cursor.execute(statement)
        reset_sequences(cursor)
        say(
            f"  foreign keys added and checked again: {len(foreign_keys)} "
            f"({time.monotonic() - step_started:.1f} s)"
        )
    with connection.cursor() as cursor:
        step_started = time.monotonic()
        # VACUUM as well when it can run (not inside a transaction, as in the tests): the
        # visibility map it sets lets PostgreSQL answer counts from an index alone, as a
        # production database autovacuum has been through does (/notices/'s count).
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        cursor.execute(statement)
        say(f"  {statement} ({time.monotonic() - step_started:.1f} s)")
    made["seconds"] = round(time.monotonic() - started, 1)
    return made


def reset_sequences(cursor):
    from django.apps import apps

    for model in apps.get_models():
        pk = model._meta.pk
        if not isinstance(pk, models.AutoField | models.BigAutoField) or model._meta.proxy:
            continue
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)",
            [table],
        )


def build_places(cursor, plan):
    """New neighbourhoods spread over the 12 subdistricts, and the plan of every
    neighbourhood's buildings in a temporary table: the demo's own neighbourhoods are
    topped up to the district's size with buildings numbered after their last one."""
    subdistricts = list(
        Subdistrict.objects.filter(district__name=DISTRICT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    taken = {p.name for p in PLACES} | set(Neighbourhood.objects.values_list("name", flat=True))
    names = [f"{road}{suffix}居民区" for suffix in SUFFIXES for road in ROADS]
    names = [n for n in names if n not in taken][: plan.new_neighbourhoods]
    if len(names) < plan.new_neighbourhoods:
        raise ValueError("not enough neighbourhood names for this scale")
    new = Neighbourhood.objects.bulk_create(
        Neighbourhood(
            subdistrict_id=subdistricts[i % len(subdistricts)],
            name=name,
            address=f"{name.removesuffix('居民区')}{i % 40 + 1}号底层",
            phone=f"021-65{(i * 7919) % 1000000:06d}",
        )
        for i, name in enumerate(names)
    )
    # Centres serve the new neighbourhoods of their subdistrict.
    through = Centre.neighbourhoods.through
    centres = {}
    for centre in Centre.objects.filter(subdistrict_id__in=subdistricts).order_by("pk"):
        centres.setdefault(centre.subdistrict_id, []).append(centre.pk)
    through.objects.bulk_create(
        through(centre_id=centres[n.subdistrict_id][i % len(centres[n.subdistrict_id])],
                neighbourhood_id=n.pk)
        for i, n in enumerate(new)
        if n.subdistrict_id in centres
    )  # fmt: skip
    cursor.execute(
        "CREATE TEMP TABLE g_nb (nb bigint, seq int, lane text, first_no int, buildings int,"
        " new bool) ON COMMIT DROP"
    )
    rows = []
    buildings = math.ceil(plan.households_per_neighbourhood / FLATS_PER_BUILDING)
    for seq, n in enumerate(new):
        road = n.name.removesuffix("居民区")
        rows.append((n.pk, seq, f"{road}路{100 + seq * 13 % 900}弄", 1, buildings, True))
    # The demo's own neighbourhoods: their households are known to the demo accounts.
    for seq, n in enumerate(Neighbourhood.objects.filter(name__in=[p.name for p in PLACES])):
        existing = Household.objects.filter(building__neighbourhood=n).count()
        top_up = math.ceil(max(0, plan.households_per_neighbourhood - existing) / 18)
        lane = next(p.lane for p in PLACES if p.name == n.name)
        last = Building.objects.filter(neighbourhood=n).count()
        if top_up:
            rows.append((n.pk, len(new) + seq, lane, last + 1, top_up, False))
    cursor.executemany("INSERT INTO g_nb VALUES (%s, %s, %s, %s, %s, %s)", rows)
    return len(new)


def build_workers(cursor, plan):
    """Community workers for the new neighbourhoods, each with an account and a zone."""
    user_base = max_id(cursor, User)
    cursor.execute("SELECT count(*) FROM g_nb WHERE new")
    new_count = cursor.fetchone()[0]
    # Worker w (1…W) belongs to new neighbourhood (w-1) * N / W.
    cursor.execute(
        "CREATE TEMP TABLE g_w ON COMMIT DROP AS "
        f"SELECT w, {user_base} + w AS user_id, nb.nb, nb.seq, "
        " w - min(w) OVER (PARTITION BY nb.nb) + 1 AS k "
        f"FROM generate_series(1, {plan.new_workers}) w JOIN g_nb nb ON nb.new"
        f" AND nb.seq = (w - 1) * {new_count} / {plan.new_workers}",
    )
    given_names = people.GIVEN_NAMES[1960, people.Female].split()
    given = text_array(given_names)
    surnames = text_array(people.SURNAMES)
    insert_select(
        cursor,
        User,
        {
            "id": "user_id",
            "username": "'sq' || lpad(seq::text, 3, '0') || 'w' || k",
            "first_name": f"({surnames})[1 + {h('w', 1)} % {len(people.SURNAMES)}]"
            f" || ({given})[1 + {h('w', 2)} % {len(given_names)}]",
            "password": cursor.password,
            "date_joined": "now() - interval '1 day' * (w % 2000)",
        },
        "FROM g_w",
    )
    cw_base = max_id(cursor, CommunityWorker)
    positions = text_array(POSITIONS)
    educations = text_array(["secondary", "college", "college", "bachelor", "bachelor",
                             "bachelor", "bachelor", "master", "college", "bachelor"])  # fmt: skip
    insert_select(
        cursor,
        CommunityWorker,
        {
            "id": f"{cw_base} + w",
            "user_id": "user_id",
            "neighbourhood_id": "nb",
            "position": f"CASE WHEN k = 1 THEN ({positions})[1] "
            f"ELSE ({positions})[2 + {h('w', 3)} % {len(POSITIONS) - 1}] END",
            "birth_year": f"1962 + {h('w', 4)} % 38",
            "education": f"({educations})[1 + {h('w', 5)} % 10]",
            "social_work_certificate": f"{h('w', 6)} % 100 < 27",
            "start_year": f"2000 + {h('w', 7)} % 25",
        },
        "FROM g_w",
    )
    zone_base = max_id(cursor, Zone)
    zone_names = text_array(f"{z}片区" for z in ZONE_NAMES)
    insert_select(
        cursor,
        Zone,
        {
            "id": f"{zone_base} + w",
            "neighbourhood_id": "nb",
            "name": f"coalesce(({zone_names})[k], '第' || k || '片区')",
            "worker_id": f"{cw_base} + w",
        },
        "FROM g_w",
    )
    return plan.new_workers


def build_buildings(cursor, plan):
    """The buildings of g_nb, split into contiguous runs, one per zone of the neighbourhood."""
    base = max_id(cursor, Building)
    cursor.execute(
        "CREATE TEMP TABLE g_zone ON COMMIT DROP AS "
        "SELECT z.neighbourhood_id AS nb, array_agg(z.id ORDER BY z.id) AS zones "
        "FROM neighborhoods_zone z JOIN g_nb ON g_nb.nb = z.neighbourhood_id "
        "GROUP BY z.neighbourhood_id"
    )
    cursor.execute(
        "CREATE TEMP TABLE g_b ON COMMIT DROP AS "
        f"SELECT {base} + row_number() OVER (ORDER BY g_nb.seq, b) AS id, g_nb.nb, "
        " g_nb.first_no + b - 1 AS number, g_nb.lane, b, g_nb.buildings, g_zone.zones "
        "FROM g_nb JOIN g_zone USING (nb), generate_series(1, g_nb.buildings) b"
    )
    return insert_select(
        cursor,
        Building,
        {
            "id": "id",
            "neighbourhood_id": "nb",
            "number": "number || '号'",
            "floors": f"5 + {h('id', 11)} % 3",
            "address": "lane || number || '号'",
            "zone_id": "zones[1 + (b - 1) * cardinality(zones) / buildings]",
        },
        "FROM g_b",
    )


def shape_table():
    """SQL VALUES of (shape, share from, share to, member, relation, gender, ages, own name)."""
    rows, low = [], 0
    for shape, (share, members) in enumerate(SHAPES):
        for k, (relation, gender, lo, hi, own) in enumerate(members, start=1):
            rows.append(
                f"({shape}, {low}, {low + share}, {k}, '{relation}', '{gender}', {lo}, {hi},"
                f" {'true' if own else 'false'})"
            )
        low += share
    assert low == 100
    return (
        "(VALUES " + ", ".join(rows) + ") AS s(shape, lo_share, hi_share, k, relation,"
        " gender, lo_age, hi_age, own)"
    )


def build_households(cursor, today):
    """One household per flat, its members drawn by shape; care flags as refresh_care()."""
    hh_base = max_id(cursor, Household)
    cursor.execute(
        "CREATE TEMP TABLE g_h ON COMMIT DROP AS "
        f"SELECT {hh_base} + row_number() OVER (ORDER BY g_b.id, fl, u) AS id, "
        " row_number() OVER (ORDER BY g_b.id, fl, u) AS seq, g_b.id AS building_id, "
        " g_b.nb, fl * 100 + u AS room "
        f"FROM g_b, generate_series(1, 5 + {h('g_b.id', 11)} % 3) fl, "
        f" generate_series(1, 2 + {h('g_b.id', 12)} % 3) u"
    )
    shapes = shape_table()
    cursor.execute(
        "CREATE TEMP TABLE g_r ON COMMIT DROP AS "
        "SELECT g_h.id AS household_id, g_h.seq, s.k, s.relation, s.own, "
        f" CASE s.gender WHEN 'H' THEN ({h('g_h.seq', 21)} % 3 > 0) "
        f"  WHEN 'S' THEN NOT ({h('g_h.seq', 21)} % 3 > 0) "
        f"  ELSE {h('g_h.seq * 8 + s.k', 22)} % 2 = 0 END AS male, "
        f" :today::date - (s.lo_age + {h('g_h.seq * 8 + s.k', 23)} % (s.hi_age - s.lo_age + 1))"
        f"  * interval '1 year' - {h('g_h.seq * 8 + s.k', 24)} % 365 * interval '1 day'"
        "  AS birth "
        f"FROM g_h JOIN {shapes} ON {h('g_h.seq', 20)} % 100 >= s.lo_share"
        f" AND {h('g_h.seq', 20)} % 100 < s.hi_share",
    )
    cursor.execute(
        "CREATE TEMP TABLE g_care ON COMMIT DROP AS "
        "SELECT household_id, min(birth)::date AS eldest, count(*) AS members, "
        " bool_and(extract(year FROM age(:today::date, birth)) >= 60) AS elderly "
        "FROM g_r GROUP BY household_id",
    )
    count = insert_select(
        cursor,
        Household,
        {
            "id": "g_h.id",
            "building_id": "building_id",
            "room": "room::text",
            "floor_area": f"(3800 + {h('g_h.seq', 25)} % 3700) / 100.0",
            "phone": f"CASE WHEN {h('g_h.seq', 26)} % 100 < 30 THEN "
            f"'65' || lpad(({h('g_h.seq', 27)} % 1000000)::text, 6, '0') ELSE '' END",
            "care": "CASE WHEN NOT c.elderly THEN '' WHEN c.members = 1 THEN 'alone' "
            "ELSE 'elderly' END",
            "eldest_birth_date": "c.eldest",
            "created": "now() - interval '3 years'",
        },
        "FROM g_h JOIN g_care c ON c.household_id = g_h.id",
    )
    res_base = max_id(cursor, Resident)
    cursor.execute(
        "CREATE TEMP TABLE g_rr ON COMMIT DROP AS "
        f"SELECT {res_base} + row_number() OVER (ORDER BY household_id, k) AS id, * FROM g_r"
    )
    return count


def build_residents(cursor, today):
    """The households' members, those with an account (made just before) linked to it."""
    female_old, male_old = (text_array(people.GIVEN_NAMES[1900, g].split()) for g in "FM")
    female_mid, male_mid = (text_array(people.GIVEN_NAMES[1960, g].split()) for g in "FM")
    female_new, male_new = (text_array(people.GIVEN_NAMES[1990, g].split()) for g in "FM")
    surnames = text_array(people.SURNAMES)
    ns = len(people.SURNAMES)
    mobile = (
        "'1' || (ARRAY['35','37','38','39','50','58','86','89'])[1 + {} % 8]"
        " || lpad(({} % 100000000)::text, 8, '0')"
    )
    given = (
        "CASE WHEN extract(year FROM birth) >= 1990 THEN "
        f"CASE WHEN male THEN ({male_new})[1 + {{0}} % cardinality({male_new})]"
        f" ELSE ({female_new})[1 + {{0}} % cardinality({female_new})] END "
        "WHEN extract(year FROM birth) >= 1960 THEN "
        f"CASE WHEN male THEN ({male_mid})[1 + {{0}} % cardinality({male_mid})]"
        f" ELSE ({female_mid})[1 + {{0}} % cardinality({female_mid})] END "
        f"ELSE CASE WHEN male THEN ({male_old})[1 + {{0}} % cardinality({male_old})]"
        f" ELSE ({female_old})[1 + {{0}} % cardinality({female_old})] END END"
    ).replace("{0}", h("id", 31))
    return insert_select(
        cursor,
        Resident,
        {
            "id": "id",
            "household_id": "household_id",
            "name": f"({surnames})[1 + CASE WHEN own THEN {h('id', 32)} "
            f"ELSE {h('seq', 33)} END % {ns}] || {given}",
            "gender": "CASE WHEN male THEN 'M' ELSE 'F' END",
            "birth_date": "birth::date",
            "relation": "relation",
            "phone": "CASE WHEN a.phone IS NOT NULL THEN a.phone "
            "WHEN extract(year FROM age(:today::date, birth)) BETWEEN 18 AND 80 "
            f"AND {h('id', 34)} % 100 < 60 THEN "
            + mobile.format(h("id", 35), h("id", 36))
            + " ELSE '' END",
            "status": "'present'",
            "user_id": "a.user_id",
        },
        "FROM g_rr LEFT JOIN g_acct a ON a.resident_id = g_rr.id",
    )


def build_accounts(cursor, today):
    """About one adult in six has an account linked to the register (上云)."""
    user_base = max_id(cursor, User)
    # The account's name is the resident's, drawn the same way (build_residents).
    cursor.execute(
        "CREATE TEMP TABLE g_acct ON COMMIT DROP AS "
        f"SELECT {user_base} + row_number() OVER (ORDER BY r.id) AS user_id, r.id AS resident_id,"
        " h.nb, row_number() OVER (PARTITION BY h.nb ORDER BY r.id) AS rn, "
        " '19' || lpad(r.id::text, 9, '0') AS phone "
        "FROM g_rr r JOIN g_h h ON h.id = r.household_id "
        f"WHERE r.birth <= :today - interval '18 years'"
        f" AND {h('r.id', 41)} % 100 < {ACCOUNT_SHARE}",
    )
    count = insert_select(
        cursor,
        User,
        {
            "id": "user_id",
            "username": "'u' || resident_id",
            "first_name": "'居民' || resident_id",
            "password": cursor.password,
            "phone": "phone",
            "phone_verified": "true",
            "date_joined": f"now() - interval '1 day' * ({h('resident_id', 42)} % 1000)",
        },
        "FROM g_acct",
    )
    return count


def build_visits(cursor, today):
    """Three years of home visits: more often to the elderly, most of all those alone.
    Visit k of a household gets the id base + (visits of the households before it) + k."""
    base = max_id(cursor, Visit)
    per_household = (
        f"(CASE hh.care WHEN 'alone' THEN 17 WHEN 'elderly' THEN 12 ELSE 8 END)"
        f" * {YEARS_OF_VISITS} / 3 + {h('h.seq', 51)} % 5 - 2"
    )
    cursor.execute(
        "CREATE TEMP TABLE g_hs ON COMMIT DROP AS "
        f"SELECT h.id, h.seq, hh.care, cw.user_id AS staff, {per_household} AS visits "
        "FROM g_h h JOIN neighborhoods_household hh ON hh.id = h.id "
        "JOIN neighborhoods_building b ON b.id = h.building_id "
        "JOIN neighborhoods_zone z ON z.id = b.zone_id "
        "JOIN neighborhoods_communityworker cw ON cw.id = z.worker_id"
    )
    cursor.execute(
        "CREATE TEMP TABLE g_hv ON COMMIT DROP AS SELECT *, "
        f"{base} + coalesce(sum(visits) OVER (ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING "
        "AND 1 PRECEDING), 0) AS first FROM g_hs"
    )
    notes = text_array(VISIT_NOTES)
    days = 365 * YEARS_OF_VISITS
    # visit k of a household: spread over the years, at 9:00–17:00 Shanghai time
    when = (
        f"(:today::date - ({h('seq * 64 + k', 52)} % {days}) * interval '1 day' "
        f"+ interval '9 hours' + ({h('seq * 64 + k', 53)} % 480) * interval '1 minute')"
        " AT TIME ZONE 'Asia/Shanghai'"
    )
    count = insert_select(
        cursor,
        Visit,
        {
            "id": "first + k",
            "household_id": "id",
            "staff_id": "staff",
            "when": when,
            "kind": f"CASE WHEN care <> '' AND {h('seq * 64 + k', 54)} % 3 = 0 THEN 'care' "
            f"WHEN {h('seq * 64 + k', 54)} % 20 = 1 THEN 'follow_up' ELSE 'routine' END",
            "met": "'本人'",
            "notes": f"({notes})[1 + {h('seq * 64 + k', 55)} % {len(VISIT_NOTES)}]",
            "created": when,
            "updated": when,
        },
        "FROM g_hv, generate_series(1, visits) k",
    )
    # Household.last_visit, as Visit.save() keeps it
    cursor.execute(
        "UPDATE neighborhoods_household hh SET last_visit = v.newest "
        'FROM (SELECT household_id, max("when") AS newest FROM neighborhoods_visit '
        f"WHERE id > {base} GROUP BY household_id) v WHERE hh.id = v.household_id"
    )
    return count


def build_needs(cursor, today):
    """One visit in a hundred raised a need; all but the last two months' are closed."""
    cursor.execute("SELECT min(id) FROM g_h")
    first_household = cursor.fetchone()[0]
    categories = text_array(c for c, _ in NEED_TEXTS)
    texts = text_array(t for _, t in NEED_TEXTS)
    n = len(NEED_TEXTS)
    recent = "v.\"when\" > now() - interval '60 days'"
    return insert_select(
        cursor,
        Need,
        {
            "household_id": "v.household_id",
            "neighbourhood_id": "b.neighbourhood_id",
            "category": f"({categories})[1 + {h('v.id', 61)} % {n}]",
            "description": f"({texts})[1 + {h('v.id', 61)} % {n}]",
            "urgency": f"(ARRAY['low','normal','normal','high'])[1 + {h('v.id', 62)} % 4]",
            "owner_id": "v.staff_id",
            "raised_by_id": "v.staff_id",
            "raised_via": "'visit'",
            "visit_id": "v.id",
            "status": f"CASE WHEN {recent} THEN (ARRAY['open','in_progress'])"
            f"[1 + {h('v.id', 63)} % 2] WHEN {h('v.id', 63)} % 10 = 0 THEN 'referred' "
            "ELSE 'resolved' END",
            "referred_to": f"CASE WHEN NOT {recent} AND {h('v.id', 63)} % 10 = 0 "
            "THEN '街道城运中心' ELSE '' END",
            "referral_body": f"CASE WHEN NOT {recent} AND {h('v.id', 63)} % 10 = 0 "
            "THEN 'subdistrict' ELSE '' END",
            "resolution": f"CASE WHEN NOT {recent} AND {h('v.id', 63)} % 10 <> 0 "
            "THEN '已协调解决，回访居民表示满意。' ELSE '' END",
            "created": 'v."when"',
            "closed": f"CASE WHEN {recent} THEN NULL "
            f"ELSE v.\"when\" + ({h('v.id', 64)} % 20 + 1) * interval '1 day' END",
        },
        "FROM neighborhoods_visit v "
        "JOIN neighborhoods_household hh ON hh.id = v.household_id "
        "JOIN neighborhoods_building b ON b.id = hh.building_id "
        f"WHERE v.household_id >= {first_household} AND {h('v.id', 60)} % 100 < {NEED_SHARE}",
    )


def build_watch(cursor, today):
    """Elderly people aged 80+ living alone are enrolled in the daily watch, with a week
    of checks (curtains in the morning, lights at night) done by their zone's worker."""
    base = max_id(cursor, WatchEnrolment)
    surnames = text_array(people.SURNAMES)
    cursor.execute(
        "CREATE TEMP TABLE g_we ON COMMIT DROP AS "
        f"SELECT {base} + row_number() OVER (ORDER BY hs.id) AS id, hs.id AS household_id, "
        " hs.seq, hs.staff FROM g_hs hs JOIN neighborhoods_household hh ON hh.id = hs.id "
        "WHERE hh.care = 'alone' AND hh.eldest_birth_date <= :today::date - interval '80 years'",
    )
    count = insert_select(
        cursor,
        WatchEnrolment,
        {
            "id": "id",
            "household_id": "household_id",
            "contact_name": f"({surnames})[1 + {h('seq', 71)} % {len(people.SURNAMES)}]"
            " || '先生（子女）'",
            "contact_phone": f"'139' || lpad(({h('seq', 72)} % 100000000)::text, 8, '0')",
            "enrolled_by_id": "staff",
            "created": "now() - interval '400 days'",
        },
        "FROM g_we",
    )
    at = (
        "(d + CASE kind WHEN 'day' THEN interval '8 hours' ELSE interval '19 hours' END"
        f" + ({h('id * 64 + extract(doy FROM d)::int', 73)} % 90) * interval '1 minute')"
        " AT TIME ZONE 'Asia/Shanghai'"
    )
    insert_select(
        cursor,
        WatchCheck,
        {
            "enrolment_id": "id",
            "date": "d::date",
            "kind": "kind",
            "status": "'seen'",
            "by_id": "staff",
            "at": at,
        },
        f"FROM g_we, generate_series(:today - {WATCH_DAYS}, :today - 1, interval '1 day') d, "
        "unnest(ARRAY['day', 'night']) kind",
    )
    return count


def build_notices(cursor, today):
    """Each new neighbourhood's notices and news, two a month for three years."""
    categories = text_array(c for c, _ in NOTICE_TITLES)
    titles = text_array(t for _, t in NOTICE_TITLES)
    n = len(NOTICE_TITLES)
    months = 12 * YEARS_OF_VISITS
    publish = (
        f"(:today::date - (m * 30 + {h('nb * 100 + m * 2 + j', 81)} % 30) * interval '1 day'"
        " + interval '9 hours') AT TIME ZONE 'Asia/Shanghai'"
    )
    return insert_select(
        cursor,
        Notice,
        {
            "neighbourhood_id": "g_nb.nb",
            "kind": "CASE WHEN j = 2 THEN 'news' ELSE 'notice' END",
            "title": f"n.name || '：' || ({titles})[1 + {h('nb * 100 + m * 2 + j', 82)} % {n}]",
            "body": "'<p>各位居民：</p><p>' || n.name || '居委会提醒您关注本通知，"
            "如有疑问请致电 ' || n.phone || '。</p>'",
            "category": f"({categories})[1 + {h('nb * 100 + m * 2 + j', 82)} % {n}]",
            "audience": f"CASE WHEN {h('nb * 100 + m * 2 + j', 83)} % 5 = 0 THEN 'residents' "
            "ELSE 'public' END",
            "publish_at": publish,
            "created": publish,
            "updated": publish,
            "author_id": "(SELECT min(user_id) FROM neighborhoods_communityworker cw "
            "WHERE cw.neighbourhood_id = g_nb.nb)",
        },
        "FROM g_nb JOIN neighborhoods_neighbourhood n ON n.id = g_nb.nb, "
        f"generate_series(0, {months - 1}) m, generate_series(1, 2) j WHERE g_nb.new",
    )


def build_activities(cursor, today):
    """Monthly activities of every new neighbourhood and weekly ones of each centre, with
    sign-ups of residents who have accounts (consecutive accounts from a drawn start, so
    no one signs up twice)."""
    base = max_id(cursor, Activity)
    cursor.execute("SELECT min(id) FROM portal_user WHERE is_superuser")
    admin = cursor.fetchone()[0]
    categories = text_array(c for c, _ in ACTIVITY_TITLES)
    titles = text_array(t for _, t in ACTIVITY_TITLES)
    n = len(ACTIVITY_TITLES)
    weeks = 52 * YEARS_OF_VISITS
    cursor.execute(
        "CREATE TEMP TABLE g_act ON COMMIT DROP AS "
        f"SELECT {base} + row_number() OVER (ORDER BY host, nb, t) AS id, * FROM ("
        " SELECT 'nb' AS host, g_nb.nb, NULL::bigint AS centre, t, n.name AS place, "
        "  (SELECT min(user_id) FROM neighborhoods_communityworker cw "
        "   WHERE cw.neighbourhood_id = g_nb.nb) AS author "
        " FROM g_nb JOIN neighborhoods_neighbourhood n ON n.id = g_nb.nb, "
        f" generate_series(-{12 * YEARS_OF_VISITS - 1}, 1) t WHERE g_nb.new "
        " UNION ALL "
        " SELECT 'centre', (SELECT g2.nb FROM g_nb g2 WHERE g2.new AND g2.seq = "
        f"  {h('c.id * 1000 + t', 90)} % (SELECT count(*) FROM g_nb WHERE new)), c.id, t, c.name, "
        f"  {admin or 'NULL'} FROM neighborhoods_centre c, generate_series(-{weeks - 1}, 2) t"
        ") a"
    )
    starts = (
        "(:today::date + CASE host WHEN 'nb' THEN t * 30 ELSE t * 7 END * interval '1 day'"
        f" + ({h('id', 91)} % 7 + 9) * interval '1 hour') AT TIME ZONE 'Asia/Shanghai'"
    )
    count = insert_select(
        cursor,
        Activity,
        {
            "id": "id",
            "neighbourhood_id": "CASE WHEN host = 'nb' THEN nb END",
            "centre_id": "centre",
            "title": f"({titles})[1 + {h('id', 92)} % {n}]",
            "description": "'欢迎居民朋友参加，名额有限，请在线报名。'",
            "category": f"({categories})[1 + {h('id', 92)} % {n}]",
            "starts_at": starts,
            "ends_at": f"{starts} + interval '2 hours'",
            "place": "place || ' 活动室'",
            "capacity": f"20 + {h('id', 93)} % 4 * 10",
            "signup_opens_at": f"{starts} - interval '14 days'",
            "signup_closes_at": f"{starts} - interval '1 hour'",
            "created_by_id": "author",
            "created": f"{starts} - interval '20 days'",
            "updated": f"{starts} - interval '20 days'",
        },
        "FROM g_act",
    )
    cursor.execute(
        "CREATE TEMP TABLE g_nbacct ON COMMIT DROP AS "
        "SELECT nb, count(*) AS accounts FROM g_acct GROUP BY nb"
    )
    cursor.execute("CREATE INDEX ON g_acct (nb, rn)")
    cursor.execute("ANALYZE g_acct, g_nbacct, g_act")
    # At most as many as the capacity, and as the neighbourhood's accounts.
    insert_select(
        cursor,
        SignUp,
        {
            "activity_id": "a.id",
            "user_id": "acct.user_id",
            "resident_id": "acct.resident_id",
            "status": "'confirmed'",
            "position": "k",
            "created": "a.signup_opens_at + k * interval '10 minutes'",
            "attended": f"CASE WHEN a.starts_at < now() THEN {h('a.id * 64 + k', 95)} % 10 > 0 END",
        },
        "FROM (SELECT g_act.id, g_act.nb, act.starts_at, act.signup_opens_at, act.capacity "
        "  FROM g_act JOIN neighborhoods_activity act ON act.id = g_act.id) a "
        "JOIN g_nbacct na ON na.nb = a.nb CROSS JOIN "
        f"LATERAL generate_series(1, least(a.capacity * 3 / 4 + {h('a.id', 96)} % 8, "
        " a.capacity, na.accounts)) k "
        f"JOIN g_acct acct ON acct.nb = a.nb "
        f" AND acct.rn = 1 + ({h('a.id', 97)} + k) % na.accounts",
    )
    return count


def build_volunteers(cursor, today):
    """Approved volunteers among the new accounts, with monthly service records."""
    base = max_id(cursor, VolunteerProfile)
    cursor.execute(
        "CREATE TEMP TABLE g_vol ON COMMIT DROP AS "
        f"SELECT {base} + row_number() OVER (ORDER BY a.user_id) AS id, a.user_id, a.nb, "
        " (SELECT min(user_id) FROM neighborhoods_communityworker cw "
        "  WHERE cw.neighbourhood_id = a.nb) AS staff "
        f"FROM g_acct a WHERE {h('a.user_id', 101)} % 100 < {VOLUNTEER_SHARE}"
    )
    count = insert_select(
        cursor,
        VolunteerProfile,
        {
            "id": "id",
            "user_id": "user_id",
            "status": "'approved'",
            "skills": "'楼道巡查、陪伴老人'",
            "skill_list": '\'["watch", "elderly"]\'::jsonb',
            "availability": "'周末'",
            "neighbourhood_id": "nb",
            "consent_to_contact": "true",
            "applied_at": "now() - interval '1100 days'",
            "decided_at": "now() - interval '1095 days'",
            "decided_by_id": "staff",
            "joined": "(now() - interval '1095 days')::date",
        },
        "FROM g_vol",
    )
    insert_select(
        cursor,
        ServiceRecord,
        {
            "volunteer_id": "user_id",
            "neighbourhood_id": "nb",
            "date": f":today::date - (m * 30 + {h('id * 64 + m', 102)} % 28)::int",
            "description": "'楼道巡查与独居老人陪伴'",
            "claimed_hours": f"1 + {h('id * 64 + m', 103)} % 4",
            "hours": f"CASE WHEN m > 0 THEN 1 + {h('id * 64 + m', 103)} % 4 END",
            "status": "CASE WHEN m > 0 THEN 'verified' ELSE 'pending' END",
            "decided_by_id": "CASE WHEN m > 0 THEN staff END",
            "decided_at": "CASE WHEN m > 0 THEN now() - (m * 30 - 3) * interval '1 day' END",
            "created": "now() - m * 30 * interval '1 day'",
        },
        f"FROM g_vol, generate_series(0, {12 * YEARS_OF_VISITS - 1}) m",
    )
    return count


def build_messages(cursor, today):
    """Activity reminders in the new accounts' inboxes (the last week's unread), and the
    accounts' unread counters to match."""
    count = insert_select(
        cursor,
        Message,
        {
            "recipient_id": "s.user_id",
            "kind": "'activity_reminder'",
            "subject": "'活动提醒：' || a.title",
            "body": "'您报名的活动即将开始：' || a.title || '，地点：' || a.place || '。'",
            "url": "'/activities/' || a.id || '/'",
            "dedupe_key": "'signup:' || s.id || ':reminder'",
            "created_at": "a.starts_at - interval '1 day'",
            "read_at": "CASE WHEN a.starts_at < now() - interval '7 days' THEN a.starts_at END",
        },
        "FROM neighborhoods_signup s JOIN g_act ga ON ga.id = s.activity_id "
        "JOIN neighborhoods_activity a ON a.id = s.activity_id "
        "WHERE a.starts_at < now() + interval '1 day' AND ga.host = 'nb'",
    )
    cursor.execute(
        "UPDATE portal_user u SET unread_messages = m.unread FROM ("
        " SELECT recipient_id, count(*) AS unread FROM portal_message "
        " WHERE read_at IS NULL GROUP BY recipient_id) m "
        "WHERE u.id = m.recipient_id AND u.id IN (SELECT user_id FROM g_acct)"
    )
    return count


def counts():
    """The figures the test and the command print."""
    return {
        "subdistricts": Subdistrict.objects.filter(district__name=DISTRICT).count(),
        "neighbourhoods": Neighbourhood.objects.count(),
        "households": Household.objects.count(),
        "residents": Resident.objects.count(),
        "workers": CommunityWorker.objects.count(),
        "centres": Centre.objects.count(),
        "visits": Visit.objects.count(),
        "watch": WatchEnrolment.objects.count(),
        "needs": Need.objects.count(),
        "notices": Notice.objects.count(),
        "activities": Activity.objects.count(),
        "signups": SignUp.objects.count(),
        "volunteers": VolunteerProfile.objects.count(),
        "service_records": ServiceRecord.objects.count(),
        "messages": Message.objects.count(),
    }
