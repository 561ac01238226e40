"""Demo data for the discussion hall and the guides (registered in seed_demo).

From the 2024 report: 公交新村's party branch put "如何设计一个更让人满意的花园" on the
社区云 as a topic and took residents' ideas into the design, building and upkeep of the
红屋顶花园, where the first open-air film of summer 2023 was shown. The services column lets
residents ask about lift installation (加装电梯) and civilised pet keeping (文明养宠).
"""

import datetime
import io
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from neighborhoods.models import (
    CommunityWorker,
    District,
    Neighbourhood,
    Resident,
    birth_date_for_age,
)
from portal.images import attach_image
from portal.models import User

from ..models import Guide, GuideQuestion, Reply, Suggestion, Support, Topic, TopicImage

NEIGHBOURHOOD = "公交新村居民区"
GARDEN_TITLE = "如何设计一个更让人满意的花园"
SHANGHAI = ZoneInfo("Asia/Shanghai")

GARDEN_BACKGROUND = (
    "小区中心的红屋顶凉亭和周边空地年久失修，居民区党总支计划把这里改造成“红屋顶花园”。\n\n"
    "改造经费已落实，设计、施工和以后的养护都想听听大家的意见：种什么、放什么、"
    "怎么方便老人和孩子、建成后谁来照看。欢迎提出建议，也可以为认同的建议附议。"
)
GARDEN_SUGGESTIONS = [
    # (text, photo colour or None, supporters, staff reply)
    (
        "凉亭保留红屋顶，重新刷漆；亭子里放几张有靠背的长椅，老人散步累了可以歇脚。",
        "#b3261e",
        9,
        "谢谢建议！设计方案保留红屋顶凉亭，增加6张带扶手靠背的适老座椅。",
    ),
    ("花园入口做成无障碍坡道，推轮椅、婴儿车都方便。", None, 7, "已纳入设计，入口改为缓坡。"),
    (
        "开辟一块花箱，让各楼居民认领种花种菜，大家一起养护，花园才能长久漂亮。",
        "#2e7d32",
        6,
        "好主意。我们划出12个花箱，由居民认领，成立花园养护小组。",
    ),
    ("夏天晚上可以在花园里放露天电影，邻居们一起乘凉。", None, 5, None),
    ("多种一些不招蚊虫的植物，比如薄荷、迷迭香，晚上也能坐得住。", None, 3, None),
    ("路灯亮一点，晚上回家经过花园更安全。", None, 2, "已请设计单位增加庭院灯。"),
]
GARDEN_OUTCOME = (
    "感谢大家在“社区云”上提出的建议，我们把它们融入了设计、施工和养护的全过程：\n"
    "1. 保留并翻新红屋顶凉亭，增设6张适老座椅；\n"
    "2. 入口改为无障碍缓坡，增加庭院灯；\n"
    "3. 划出12个花箱由居民认领，成立居民花园养护小组，志愿者轮流浇水修剪；\n"
    "4. 空地留作活动区，夏季放映露天电影；\n"
    "5. 种植薄荷、迷迭香等驱蚊植物。\n"
    "施工期间如有问题，请到居委会或在本页留言。"
)

OPEN_TITLE = "楼道里的电动自行车怎么停、怎么充电更安全？"
OPEN_BACKGROUND = (
    "最近有居民反映楼道里停放电动自行车、飞线充电，存在消防隐患。居委会准备在小区里"
    "增设集中停放和充电点，位置和收费方式想听听大家的意见。"
)
OPEN_SUGGESTIONS = [
    ("充电桩建在2号楼旁边的自行车棚，离各楼都不远，也不挡消防通道。", "#546e7a", 4, None),
    ("充电按次收费，价格公示；老人不会用手机扫码的，可以用充电卡。", None, 3, None),
    ("希望在车棚装监控，车停在外面也放心。", None, 1, "监控已列入方案，正在询价。"),
]

# The 加装电梯 guide once said only "三分之二以上…同意"; the rule is Civil Code art. 278's.
OUTDATED_RULE = "且人数三分之二以上的业主同意"

GUIDES = [
    {
        "title": "加装电梯怎么办",
        "summary": "多层住宅加装电梯：征询意见、申请、施工、费用分摊的步骤。",
        "body": (
            "多层住宅加装电梯，以门栋为单位由业主自主申请，居委会全程协助。\n\n"
            "- 第一步：本门栋业主协商一致，推选业主代表\n"
            "- 第二步：业主表决。按《民法典》第二百七十八条，须由专有部分面积占比三分之二以上、"
            "且人数占比三分之二以上的业主参与表决，并经参与表决的业主中专有部分面积四分之三以上、"
            "且人数四分之三以上同意。居委会在社区云上为本楼发起表决，每户一票，"
            "可在线投票，也可交纸质表决票；截止前可以改票。您楼栋的表决见本页“正在进行的表决”\n"
            "- 第三步：委托设计、编制方案，方案在门栋公示不少于10天\n"
            "- 第四步：向街道提交申请材料，取得规划、施工许可\n"
            "- 第五步：施工、验收、办理使用登记\n\n"
            "费用由业主按楼层协商分摊，符合条件的可申请政府补贴。"
            "有疑问请到居委会咨询，或在下方提问。"
        ),
        "questions": [
            (
                "一楼的住户需要出钱吗？",
                "一楼一般不分摊或少分摊，具体比例由本门栋业主协商确定，写入协议。",
            ),
            (
                "加装电梯大概要多久？",
                "从征询意见到验收，顺利的话一般需要8到12个月，其中施工约3个月。",
            ),
        ],
        "waiting": "我家楼道比较窄，还能装电梯吗？",
    },
    {
        "title": "文明养宠",
        "summary": "养犬登记、免疫、遛狗牵绳和清理粪便。",
        "body": (
            "文明养宠，邻里和睦。\n\n"
            "- 养犬须办理养犬登记，每年为犬只接种狂犬病疫苗\n"
            "- 出门遛狗请牵绳，绳长不超过2米，主动避让老人和儿童\n"
            "- 随手清理宠物粪便，不在楼道、电梯内便溺\n"
            "- 晚上注意控制犬只吠叫，不影响邻居休息\n"
            "- 禁止在住宅小区饲养烈性犬\n\n"
            "居委会每季度组织一次免疫接种和登记服务，时间见通知公告。"
        ),
        "questions": [
            (
                "在哪里办理养犬登记？",
                "可以到街道社区事务受理服务中心办理，居委会每季度也有集中登记服务。",
            ),
        ],
        "waiting": None,
    },
]

# Residents of 公交新村 who take part (accounts made here, linked to register entries).
PARTICIPANTS = 10


def _photo(colour, rng, label):
    """A simple generated photo (a garden sketch), run through the same checks as uploads."""
    image = Image.new("RGB", (960, 720), "#dfe8d8")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 480, 960, 720), fill="#7fa36b")
    draw.polygon([(260, 300), (480, 150), (700, 300)], fill=colour)
    draw.rectangle((300, 300, 660, 480), fill="#f4efe6")
    for _ in range(12):
        x, y = rng.randrange(20, 940), rng.randrange(500, 700)
        draw.ellipse(
            (x - 18, y - 18, x + 18, y + 18), fill=rng.choice(["#e57373", "#fff176", "#ba68c8"])
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _participants(neighbourhood):
    """Demo accounts linked to present, unlinked adult residents of the neighbourhood."""
    users = []
    residents = (
        Resident.objects.present()
        .filter(
            household__building__neighbourhood=neighbourhood,
            user__isnull=True,
            birth_date__lte=birth_date_for_age(18, timezone.localdate()),
        )
        .exclude(name__in=["张建华", "陈晓燕"])  # waiting in the 上云 queue
        .order_by("pk")[:PARTICIPANTS]
    )
    for n, resident in enumerate(residents, start=1):
        user, created = User.objects.get_or_create(
            username=f"gjxc_resident{n}",
            defaults={"first_name": resident.name, "email": f"gjxc_resident{n}@example.com"},
        )
        if created:  # neighbours in the demo, not accounts to sign in with
            user.set_unusable_password()
            user.save(update_fields=["password"])
        resident.user = user
        resident.save(update_fields=["user"])
        users.append(user)
    return users


def _at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def _topic(neighbourhood, staff, title, background, deadline, opened, suggestions, people, rng):
    topic = Topic.objects.create(
        neighbourhood=neighbourhood,
        opened_by=staff,
        title=title,
        background=background,
        deadline=deadline,
    )
    Topic.objects.filter(pk=topic.pk).update(created=_at(opened, 9))
    for n, (text, colour, supporters, reply) in enumerate(suggestions):
        author = people[n % len(people)]
        suggestion = Suggestion(topic=topic, author=author, text=text)
        if colour:
            attach_image(suggestion, _photo(colour, rng, f"s{n}"), field="photo")
        suggestion.save()
        posted = opened + datetime.timedelta(days=1 + n)
        Suggestion.objects.filter(pk=suggestion.pk).update(created=_at(posted, 8 + n))
        others = [p for p in people if p != author]
        Support.objects.bulk_create(
            Support(suggestion=suggestion, user=user) for user in rng.sample(others, supporters)
        )
        if reply:
            made = Reply.objects.create(suggestion=suggestion, author=staff, text=reply)
            Reply.objects.filter(pk=made.pk).update(created=_at(posted + datetime.timedelta(1), 15))
    return topic


@transaction.atomic
def build(*, stdout, rng, today):
    neighbourhood = Neighbourhood.objects.filter(name=NEIGHBOURHOOD).first()
    district = District.objects.first()
    if neighbourhood is None or district is None:
        stdout.write("Discussion hall: no 公交新村居民区 in the database, skipped.")
        return
    staff = (
        CommunityWorker.objects.filter(neighbourhood=neighbourhood, user__username="huyun")
        .select_related("user")
        .first()
        or CommunityWorker.objects.filter(neighbourhood=neighbourhood)
        .select_related("user")
        .first()
    )
    if staff is None:
        stdout.write("Discussion hall: 公交新村 has no staff yet, skipped.")
        return
    staff = staff.user
    if not Topic.objects.filter(neighbourhood=neighbourhood, title=GARDEN_TITLE).exists():
        people = _participants(neighbourhood)
        if len(people) < 10:
            stdout.write("Discussion hall: too few residents in 公交新村 for the demo, skipped.")
            return
        garden = _topic(
            neighbourhood,
            staff,
            GARDEN_TITLE,
            GARDEN_BACKGROUND,
            datetime.date(2023, 3, 31),
            datetime.date(2023, 3, 6),
            GARDEN_SUGGESTIONS,
            people,
            rng,
        )
        image = TopicImage(topic=garden, position=0)
        attach_image(image, _photo("#b3261e", rng, "garden")).save()
        published = _at(datetime.date(2023, 4, 20), 16)
        # Closed in the past: the participants were told then, so no mail goes out now.
        Topic.objects.filter(pk=garden.pk).update(
            status=Topic.Status.CLOSED,
            outcome=GARDEN_OUTCOME,
            outcome_published_at=published,
            participants_notified_at=published,
        )
        _topic(
            neighbourhood,
            staff,
            OPEN_TITLE,
            OPEN_BACKGROUND,
            today + datetime.timedelta(days=20),
            today - datetime.timedelta(days=5),
            OPEN_SUGGESTIONS,
            people,
            rng,
        )
        stdout.write("Discussion hall: 红屋顶花园 (with its outcome) and one open topic.")
    asker = User.objects.filter(username="resident").first() or staff
    made = 0
    for position, spec in enumerate(GUIDES):
        guide, created = Guide.objects.get_or_create(
            district=district,
            title=spec["title"],
            defaults={
                "summary": spec["summary"],
                "body": spec["body"],
                "published": True,
                "position": position,
            },
        )
        if not created:
            if OUTDATED_RULE in guide.body:  # a district seeded before art. 278's rule was
                guide.body = spec["body"]  # written into the guide: correct it
                guide.save(update_fields=["body", "updated"])
            continue
        made += 1
        people = list(User.objects.filter(username__startswith="gjxc_resident").order_by("pk"))
        for n, (text, answer) in enumerate(spec["questions"]):
            who = people[n % len(people)] if people else asker
            question = GuideQuestion.objects.create(
                guide=guide, asker=who, text=text, neighbourhood=who.home_neighbourhood
            )
            question.record_answer(by=staff, answer=answer)
        if spec["waiting"]:
            GuideQuestion.objects.create(
                guide=guide,
                asker=asker,
                text=spec["waiting"],
                neighbourhood=asker.home_neighbourhood,  # in 公交新村's staff's queue
            )
    if made:
        stdout.write("Guides: 加装电梯 and 文明养宠, with answered questions and one waiting.")
