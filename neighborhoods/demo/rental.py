"""Demo rehab-aid rental: the catalogue, stock at 文化佳园睦邻中心 and at 公交新村, and loans
in every state (one overdue, one on the waiting list), made through the services so that
every timeline reads as it happened. The visit need "需要借一台轮椅" is answered by a loan.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from portal.models import User

from ..care.services import need_add_note, need_resolve
from ..models import AidItem, AidPoint, Centre, Loan, Need, Neighbourhood, Resident
from ..rental import services

WHJY_CENTRE, GJXC = "文化佳园睦邻中心", "公交新村居民区"
WHEELCHAIR_NEED = "需要借一台轮椅，出院后行动不便。"

# (kind, name, description, deposit, daily fee, days, elderly, disability, discharged)
CATALOGUE = [
    ("bed", "护理床", "手摇双折护理床，带护栏和床垫，可送货上门安装。", 500, 0, 90,
     True, True, True),
    ("wheelchair", "轮椅", "折叠式手动轮椅，座宽46厘米，可放进出租车后备箱。", 200, 0, 30,
     True, True, True),
    ("walker", "助行器", "四脚助行器，高度可调，带座板。", 50, 0, 30, True, True, True),
    ("commode", "坐便椅", "带扶手的坐便椅，可调高度，兼作淋浴凳。", 50, 0, 30, True, True, True),
    ("shower", "洗澡椅", "防滑洗澡椅，带靠背。", 30, 0, 30, True, True, False),
    ("oxygen", "制氧机", "家用5升制氧机，需凭医生诊断证明借用。", 1000, Decimal("2.00"), 30,
     False, False, True),
]  # fmt: skip

STOCK = {
    WHJY_CENTRE: [("护理床", "WHJY-HLC", 2), ("轮椅", "WHJY-LY", 3), ("助行器", "WHJY-ZXQ", 2),
                  ("坐便椅", "WHJY-ZBY", 2), ("洗澡椅", "WHJY-XZY", 2), ("制氧机", "WHJY-ZYJ", 1)],
    GJXC: [("轮椅", "GJXC-LY", 1), ("助行器", "GJXC-ZXQ", 2), ("坐便椅", "GJXC-ZBY", 1),
           ("洗澡椅", "GJXC-XZY", 1)],
}  # fmt: skip


def build(*, stdout, rng, today):
    if AidItem.objects.exists():
        stdout.write("Rental: already there, kept it.")
        return
    centre = Centre.objects.filter(name=WHJY_CENTRE).first()
    gjxc = Neighbourhood.objects.filter(name=GJXC).first()
    if centre is None or gjxc is None:
        stdout.write("Rental: no demo centre or neighbourhood, nothing built.")
        return
    items = {}
    for kind, name, text, deposit, fee, days, elderly, disability, discharged in CATALOGUE:
        items[name] = AidItem.objects.create(
            kind=kind,
            name=name,
            description=text,
            deposit=deposit,
            daily_fee=fee,
            loan_days=days,
            for_elderly=elderly,
            for_disability=disability,
            for_discharged=discharged,
        )
    points = {
        WHJY_CENTRE: AidPoint.objects.create(centre=centre),
        GJXC: AidPoint.objects.create(neighbourhood=gjxc),
    }
    for point_name, rows in STOCK.items():
        for item_name, prefix, count in rows:
            for n in range(1, count + 1):
                services.unit_add(
                    point=points[point_name],
                    item=items[item_name],
                    code=f"{prefix}-{n:02d}",
                    condition="good",
                )
    made = _loans(items, points, today)
    stdout.write(f"Rental: {len(items)} items, {made} loans in every state.")


def _elders(neighbourhood, born_before, count):
    return list(
        Resident.objects.present()
        .filter(household__building__neighbourhood=neighbourhood, birth_date__lte=born_before)
        .exclude(name="周秀英")
        .order_by("household__building__number", "household__room", "pk")[:count]
    )


def _loans(items, points, today):
    now = timezone.now()
    centre_staff = User.objects.filter(username="centre").first()
    huyun = User.objects.filter(username="huyun").first()
    if centre_staff is None or huyun is None:
        return 0
    born_60 = today.replace(year=today.year - 62)
    gj = _elders(points[GJXC].neighbourhood, born_60, 3)
    wh = _elders(Neighbourhood.objects.get(name="文化佳园居民区"), born_60, 5)
    zhou = Resident.objects.filter(name="周秀英", household__building__neighbourhood__name=GJXC)
    if len(gj) < 2 or len(wh) < 5:
        return 0
    days = datetime.timedelta
    whjy, gjxc = points[WHJY_CENTRE], points[GJXC]

    def ask(item, point, resident, when, basis=Loan.Basis.AGE, by=None, **extra):
        return services.loan_request(
            item=items[item],
            point=point,
            resident=resident,
            by=by or resident.user or huyun,
            basis=basis,
            now=now - when,
            **extra,
        )

    def lend(loan, staff, when, due=None):
        services.loan_approve(loan=loan, by=staff, confirmed=True, now=now - when)
        return services.loan_lend(loan=loan, by=staff, now=now - when + days(hours=2), due_date=due)

    # 公交新村: its only wheelchair is out and overdue; the next elder waits for it.
    lend(ask("轮椅", gjxc, gj[0], days(days=41)), huyun, days(days=40))
    waiting = ask("轮椅", gjxc, gj[1], days(days=6), note="老伴摔伤了腿，想借轮椅去医院复查。")
    services.loan_approve(loan=waiting, by=huyun, now=now - days(days=5))
    # 周阿婆's walking frame, due back within the week.
    for resident in zhou[:1]:
        lend(ask("助行器", gjxc, resident, days(days=26)), huyun, days(days=25))
    # 文化佳园睦邻中心: one out, one ready to collect, one new, one returned, one not approved.
    lend(ask("轮椅", whjy, wh[0], days(days=11)), centre_staff, days(days=10))
    services.loan_approve(
        loan=ask("护理床", whjy, wh[1], days(days=2), note="刚做完髋关节手术。"),
        by=centre_staff,
        now=now - days(days=1),
    )
    ask("坐便椅", whjy, wh[2], days(hours=5))
    returned = lend(ask("洗澡椅", whjy, wh[3], days(days=50)), centre_staff, days(days=49))
    services.loan_return(loan=returned, by=centre_staff, condition="good", now=now - days(days=19))
    rejected = ask("制氧机", whjy, wh[4], days(days=3), basis=Loan.Basis.DISCHARGED)
    services.loan_reject(
        loan=rejected,
        by=centre_staff,
        reason="制氧机需凭医院诊断证明，请带上出院小结再来申请。",
        now=now - days(days=2),
    )
    return 8 + len(zhou[:1]) + _answer_wheelchair_need(items, whjy, centre_staff, now)


def _answer_wheelchair_need(items, whjy, centre_staff, now):
    """The visit need "需要借一台轮椅，出院后行动不便。": lent a wheelchair from the centre,
    linked both ways (the loan names the need; the need's page lists the loan)."""
    need = (
        Need.objects.filter(description=WHEELCHAIR_NEED)
        .select_related("household__building__neighbourhood", "owner")
        .order_by("-household__building__neighbourhood__name", "pk")
        .first()
    )
    if need is None:
        return 0
    resident = need.household.residents.present().order_by("birth_date").first()
    if resident is None:
        return 0
    staff = need.owner or centre_staff
    loan = services.loan_request(
        item=items["轮椅"],
        point=whjy,
        resident=resident,
        by=staff,
        basis=Loan.Basis.DISCHARGED,
        note="走访时提出：出院后行动不便。",
        need=need,
        now=now - datetime.timedelta(days=4),
    )
    services.loan_approve(
        loan=loan, by=centre_staff, confirmed=True, now=now - datetime.timedelta(days=3)
    )
    loan = services.loan_lend(loan=loan, by=centre_staff, now=now - datetime.timedelta(days=3))
    text = f"已从{whjy.name}借出轮椅（{loan.unit.code}），{loan.due_date:%Y-%m-%d}前归还。"
    if need.is_open:
        need_resolve(need=need, by=staff, resolution=text)
    else:
        need_add_note(need=need, by=staff, note=text)
    return 1
