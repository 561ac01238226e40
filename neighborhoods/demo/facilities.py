"""Demo public facilities (公共设施) around 公交新村, 定海港路 and 文化佳园, with walks.

The 红屋顶花园 of 公交新村 and the 文化佳园睦邻中心 are from the report; the others are the
kind of places every Yangpu neighbourhood has (addresses on the neighbourhoods' own lanes).
"""

from ..models import Centre, Facility, FacilityDistance, Neighbourhood

GJXC, DHGL, WHJY = "公交新村居民区", "定海港路居民区", "文化佳园居民区"

# (kept by, kind, name, address, hours, phone, step-free, lift, toilet, note, {walks})
FACILITIES = [
    (GJXC, "park", "红屋顶花园", "四平路1028弄小区中心", "全天开放", "",
     True, False, False, "入口为无障碍缓坡，轮椅、婴儿车可进", {GJXC: 3}),
    (GJXC, "health", "四平社区卫生服务中心", "鞍山路68号", "周一至周日 8:00–16:30",
     "021-65031175", True, True, True, "一楼设助老服务台，可借轮椅", {GJXC: 12}),
    (GJXC, "elderly", "公交新村长者食堂", "四平路1028弄12号底层", "每天 10:30–12:30",
     "021-65032718", True, False, True, "", {GJXC: 4}),
    (GJXC, "party", "公交新村党群服务站", "四平路1028弄12号二楼", "周一至周五 8:30–17:00",
     "", False, False, False, "二楼无电梯，行动不便者请电话预约，工作人员下楼接待", {GJXC: 4}),
    (GJXC, "parcel", "四平路1028弄快递驿站", "四平路1028弄3号旁", "每天 9:00–21:00",
     "", True, False, False, "", {GJXC: 2}),
    (GJXC, "market", "鞍山菜场", "鞍山路120号", "每天 6:00–18:00", "",
     True, False, False, "", {GJXC: 9}),
    (DHGL, "police", "定海路派出所", "定海港路1号", "24小时", "110",
     True, False, True, "", {DHGL: 10}),
    (DHGL, "health", "定海社区卫生服务中心", "隆昌路619号", "周一至周日 8:00–16:30",
     "021-65435726", True, True, True, "设家庭医生签约服务窗口", {DHGL: 15}),
    (DHGL, "elderly", "定海港路为老服务站", "定海港路250弄41号", "周一至周六 8:30–17:00",
     "021-65431907", True, False, True, "可预约助浴、助餐", {DHGL: 3}),
    (DHGL, "park", "定海港路健身点", "定海港路250弄25号旁", "全天开放", "",
     True, False, False, "", {DHGL: 2}),
    (DHGL, "market", "定海菜场", "定海路449号", "每天 6:00–18:30", "",
     False, False, False, "门口有两级台阶", {DHGL: 8}),
    (WHJY, "centre", "文化佳园睦邻中心", "民京路918弄文化佳园内", "周一至周日 8:30–20:00",
     "", True, True, True, "康复辅具租赁点设在一楼服务台", {WHJY: 3}),
    (WHJY, "health", "长海路街道社区卫生服务中心", "民京路811号", "周一至周日 8:00–16:30",
     "021-55226613", True, True, True, "", {WHJY: 10}),
    (WHJY, "parcel", "文化佳园快递驿站", "民京路918弄5号旁", "每天 9:00–21:00", "",
     True, False, False, "", {WHJY: 2}),
    (WHJY, "park", "文化佳园健身步道", "民京路918弄中心绿地", "全天开放", "",
     True, False, False, "步道平整，沿途有休息座椅", {WHJY: 1}),
]  # fmt: skip


def build(*, stdout, rng, today):
    if Facility.objects.exists():
        stdout.write("Facilities: already there, kept them.")
        return
    places = {n.name: n for n in Neighbourhood.objects.filter(name__in=[GJXC, DHGL, WHJY])}
    made = 0
    for keeper, kind, name, address, hours, phone, step, lift, toilet, note, walks in FACILITIES:
        if keeper not in places:
            continue
        if kind == "centre":
            centre = Centre.objects.filter(name=name).first()
            address = centre.address if centre else address
            hours = centre.hours if centre else hours
        facility = Facility.objects.create(
            neighbourhood=places[keeper],
            kind=kind,
            name=name,
            address=address,
            hours=hours,
            phone=phone,
            step_free=step,
            lift=lift,
            accessible_toilet=toilet,
            accessibility_note=note,
        )
        FacilityDistance.objects.bulk_create(
            FacilityDistance(facility=facility, neighbourhood=places[n], minutes=m)
            for n, m in walks.items()
            if n in places
        )
        made += 1
    stdout.write(f"Facilities: {made} public facilities.")
