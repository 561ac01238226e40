"""Demo notices and news for the 杨浦区 demo district (called by seed_demo).

Every kind and category, across district, subdistrict and neighbourhood scopes: the
二号楼水箱清洗通知 and pipe replacement (换管道) of 公交新村, culture events (文艺活动),
pinned, scheduled (future), expired and residents-only notices, with images drawn by Pillow
and read receipts of residents with accounts.
"""

import datetime
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from neighborhoods.models import District, Neighbourhood, Resident, Subdistrict
from portal.images import attach_image

from ..models import Notice, NoticeImage, NoticeRead
from ..sanitize import sanitize_body

MARKER_TITLE = "二号楼水箱清洗通知"

W, C, S, P, V, SV, OT = "water", "works", "culture", "safety", "policy", "services", "other"

# scope ("district" | subdistrict name | neighbourhood name), kind, category, title, body,
# days ago published (negative: in the future), days until expiry (None: never), pinned,
# residents only, image motif (None: no image)
NOTICES = [
    ("公交新村居民区", "notice", W, MARKER_TITLE,
     "各位居民：\n\n为保障饮用水卫生，定于本周六 8:30–16:00 对二号楼屋顶水箱进行清洗消毒，"
     "期间二号楼暂停供水。\n\n- 请提前储备生活用水\n- 清洗后初次放水请先放流 3 分钟\n"
     "- 如有困难请联系居委会 021-65032718\n\n公交新村居民区居委会", 1, 10, True, False, "water"),
    ("公交新村居民区", "notice", C, "3号、4号楼换管道工程安排",
     "老旧供水管道更换工程下周一开工，预计工期 20 天。施工期间楼道内堆放材料，请注意安全，"
     "老人出行请家人陪同。\n\n施工时间：每日 8:00–17:00，中午 12:00–13:00 不进行噪音作业。",
     3, 30, True, False, "works"),
    ("公交新村居民区", "news", S, "红屋顶花园暑期第一场露天电影",
     "夏夜晚风中，居民们在修葺一新的“红屋顶花园”观看了暑期第一场露天电影。"
     "花园的设计、建设和养护都听取了居民在邻里议事厅里的建议。", 6, None, False, False, "garden"),
    ("公交新村居民区", "notice", OT, "居民区党总支下周三上午召开居民代表会议",
     "会议讨论楼道堆物整治和非机动车停放。居民代表请准时参加。", 2, 8, False, True, None),
    ("公交新村居民区", "notice", P, "独居老人“日看窗帘夜看灯”志愿者招募",
     "招募楼组志愿者，每天留意独居老人家的窗帘和灯光。报名请到居委会。", 4, None, False, True,
     None),
    ("公交新村居民区", "notice", W, "一号楼水箱清洗（已结束）",
     "一号楼水箱清洗已于上月完成，感谢大家配合。", 40, -10, False, False, None),
    ("公交新村居民区", "notice", S, "中秋游园会报名（下周开放）",
     "中秋游园会将于下周开放报名：猜灯谜、做月饼、文艺表演。", -3, None, False, False, "culture"),
    ("定海港路居民区", "notice", W, "定海港路 41 号排水管道疏通",
     "本周四对 41 号楼排水总管进行疏通，期间请勿向下水道倾倒杂物。", 2, 7, True, False, "water"),
    ("定海港路居民区", "news", S, "社区合唱队在街道文艺汇演中获奖",
     "定海港路居民区合唱队演唱《我的祖国》，获得街道文艺汇演一等奖。", 9, None, False, False,
     "culture"),
    ("定海港路居民区", "notice", V, "居民楼加装电梯意见征询",
     "部分楼组已提出加装电梯意向，请各户填写意见征询表，交至居委会。", 5, 40, False, True, None),
    ("文化佳园居民区", "notice", C, "文化佳园 8 号楼外墙修缮",
     "8 号楼外墙修缮将搭设脚手架，请勿在楼下停放车辆。", 3, 25, False, False, "works"),
    ("文化佳园居民区", "news", S, "睦邻中心书法班结业展",
     "书法班学员作品在文化佳园睦邻中心展出，欢迎参观。", 12, None, False, False, "culture"),
    ("包头路居民区", "notice", OT, "包头路居民区居委会办公时间调整",
     "自下月起，居委会周六上午 9:00–11:30 开放接待。", 7, None, False, False, None),
    ("开鲁新村居民区", "notice", P, "电动自行车不进楼道，集中充电棚已开放",
     "开鲁新村集中充电棚已开放，请勿在楼道内停放、充电。", 8, None, True, False, "safety"),
    ("控江二村居民区", "news", OT, "控江二村楼道微更新完成",
     "五个楼道完成了微更新：扶手、照明和休息座椅。", 15, None, False, False, "works"),
    ("眉州路居民区", "notice", OT, "眉州路居民区开展垃圾分类宣传",
     "本周末在小区广场开展垃圾分类宣传，现场可兑换环保袋。", 4, 10, False, False, None),
    ("阜新路居民区", "notice", SV, "阜新路居民区老年人助餐点开放",
     "老年人助餐点在居委会一楼开放，60 岁以上居民凭卡用餐。", 6, None, False, True, None),
    ("四平路街道", "notice", SV, "四平路街道社区事务受理服务中心延时服务",
     "每周四延时服务至 19:00，方便上班族办理事务。", 5, None, False, False, None),
    ("定海路街道", "notice", P, "定海路街道防汛防台提示",
     "台风季节请检查阳台花盆、空调外机支架，低洼地区居民注意防汛。", 2, 20, True, False,
     "safety"),
    ("长海路街道", "news", S, "长海路街道社区运动会圆满举行",
     "来自 12 个居民区的 300 多名居民参加了趣味运动会。", 20, None, False, False, "culture"),
    ("district", "notice", V, "杨浦区长者照护之家申请指南",
     "本区户籍 60 岁以上、经评估需要照护的老人可申请长者照护之家服务。\n\n- 携带身份证、户口本\n"
     "- 到所在街道社区事务受理服务中心申请", 10, None, False, False, None),
    ("district", "notice", SV, "康复辅具租赁服务上线",
     "轮椅、助行器等康复辅具可在睦邻中心租赁，押金可退。", 14, None, False, False, None),
    ("district", "news", V, "杨浦区发布社区工作者队伍建设情况",
     "全区社区工作者平均年龄下降，大专以上学历比例和持证率持续提高。", 25, None, False, False,
     None),
    ("district", "notice", P, "冬季用火用电安全提示（已过期）",
     "冬季取暖请注意用火用电安全。", 120, -60, False, False, None),
]  # fmt: skip

MOTIFS = {
    "water": (33, 115, 181),
    "works": (196, 112, 30),
    "garden": (178, 38, 30),
    "culture": (122, 56, 150),
    "safety": (30, 120, 60),
}


def _picture(motif, rng):
    """A simple picture: sky, ground, a few houses and shapes in the motif's colour."""
    colour = MOTIFS[motif]
    image = Image.new("RGB", (1200, 800), (235, 242, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 560, 1200, 800], fill=(200, 214, 190))
    for i in range(5):
        x = 60 + i * 230 + rng.randint(-20, 20)
        height = rng.randint(220, 380)
        draw.rectangle([x, 560 - height, x + 170, 560], fill=(214, 205, 190), outline=(90, 90, 90))
        draw.polygon([(x - 10, 560 - height), (x + 85, 500 - height), (x + 180, 560 - height)],
                     fill=colour)  # fmt: skip
        for row in range(2, height // 60):
            for col in range(3):
                wx, wy = x + 20 + col * 50, 560 - row * 60
                draw.rectangle([wx, wy, wx + 30, wy + 30], fill=(250, 240, 200))
    draw.ellipse([980, 60, 1100, 180], fill=colour)
    if motif == "water":
        for _drop in range(12):
            x, y = rng.randint(0, 1150), 620 + rng.randint(0, 120)
            draw.ellipse([x, y, x + 60, y + 30],
                         fill=(120, 170, 220))  # fmt: skip
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=f"{motif}.jpg")


def _scope(name, places):
    if name == "district":
        return places["district"]
    return places["subdistricts"].get(name) or places["neighbourhoods"][name]


def build(*, stdout, rng, today):
    """Idempotent: does nothing when the demo notices are there already."""
    if Notice.objects.filter(title=MARKER_TITLE).exists():
        stdout.write("Demo notices already there: skipped.")
        return
    district = District.objects.filter(name="杨浦区").first()
    if district is None:
        stdout.write("No 杨浦区 district: demo notices skipped.")
        return
    places = {
        "district": district,
        "subdistricts": {s.name: s for s in Subdistrict.objects.filter(district=district)},
        "neighbourhoods": {
            n.name: n for n in Neighbourhood.objects.filter(subdistrict__district=district)
        },
    }
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 0)))
    authors = {
        n.name: n.workers.filter(active=True).select_related("user").first()
        for n in places["neighbourhoods"].values()
    }
    with transaction.atomic():
        notices = []
        for spec in NOTICES:
            scope_name, kind, category, title, body, ago, lasts, pinned, residents, motif = spec
            publish_at = now - datetime.timedelta(days=ago, hours=rng.randint(0, 6))
            worker = authors.get(scope_name)
            notice = Notice(
                kind=kind, category=category, title=title, body=sanitize_body(body),
                pinned=pinned, publish_at=publish_at,
                expires_at=None if lasts is None else now + datetime.timedelta(days=lasts),
                audience=Notice.Audience.RESIDENTS if residents else Notice.Audience.PUBLIC,
                author=worker.user if worker else None,
            )  # fmt: skip
            if notice.expires_at and notice.expires_at <= notice.publish_at:
                notice.expires_at = notice.publish_at + datetime.timedelta(days=7)
            notice.set_scope(_scope(scope_name, places))
            notice.save()
            notices.append(notice)
            if motif:
                for position in range(1 + (motif in ("water", "culture"))):
                    image = NoticeImage(notice=notice, position=position)
                    attach_image(image, _picture(motif, rng)).save()
        readers = list(
            Resident.objects.present()
            .filter(
                user__isnull=False,
                household__building__neighbourhood__subdistrict__district=district,
            )
            .select_related("household__building__neighbourhood__subdistrict")
        )
        reads = []
        for notice in notices:
            if not notice.is_published(now):
                continue
            for resident in readers:
                neighbourhood = resident.household.building.neighbourhood
                concerned = (
                    notice.neighbourhood_id == neighbourhood.pk
                    or notice.subdistrict_id == neighbourhood.subdistrict_id
                    or notice.district_id == district.pk
                )
                if concerned and rng.random() < 0.7:
                    when = min(
                        now, notice.publish_at + datetime.timedelta(hours=rng.randint(1, 48))
                    )
                    reads.append(NoticeRead(notice=notice, user=resident.user, read_at=when))
        NoticeRead.objects.bulk_create(reads, ignore_conflicts=True)
    stdout.write(f"Demo notices: {len(notices)} notices, {len(reads)} read receipts.")
