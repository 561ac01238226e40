"""Demo centres (睦邻中心), organisations, ratings, projects, talents and advisors.

From the report: 47 centres run by 29 social organisations, 17 of them rated five stars for
2023; the 睦邻蓬勃计划's 睦邻温度提升行动 of 2023 with nearly 50 original projects and the
ten best; 46 睦邻达人 recruited in 2023; governance advisors by field (治理指导, 实践支撑,
项目支持). The centres the report names keep their names and the projects it tells of
(睦邻市集, 健康共同体, 睦邻自治童趣社, 写家书, 红屋顶花园) are among the ten best. The rest is
drawn from the seeded random generator, named by street.

This year's service projects (the "10" of 1510) and the walking minutes (the "15") leave a
few gaps on purpose, so that the coverage page has something to show.
"""

import datetime

from django.utils import timezone

from ..models import (
    Advisor,
    Award,
    Centre,
    District,
    Neighbourhood,
    OperatingContract,
    Project,
    ProjectRound,
    SocialOrganisation,
    StarRating,
    Subdistrict,
    Talent,
    TeamMember,
    WalkingDistance,
)

RATING_YEAR = 2023
ROUND = "睦邻温度提升行动"
PROGRAMME = "睦邻蓬勃计划"
TOP_TEN = "十佳睦邻项目"
FIVE_STAR_CENTRES = 17
TALENTS_2023 = 46
TALENTS_WITHOUT_CONSENT = 2  # recognised, but did not agree to a public profile
_SW, _SC, _FD = (
    SocialOrganisation.Kind.SOCIAL_WORK,
    SocialOrganisation.Kind.SERVICE_CENTRE,
    SocialOrganisation.Kind.FOUNDATION,
)

# Yangpu's twelve subdistricts; the register's six are already there.
SUBDISTRICTS = [
    "定海路街道", "平凉路街道", "江浦路街道", "四平路街道", "控江路街道", "长白新村街道",
    "延吉新村街道", "殷行街道", "大桥街道", "五角场街道", "新江湾城街道", "长海路街道",
]  # fmt: skip

# The centres the report names (four of them the register already opened), with their
# operators; every one is rated five stars for 2023.
NAMED = [
    # subdistrict, centre, address, hours, organisation, kind
    ("长海路街道", "文化佳园睦邻中心", "民京路918弄文化佳园内", "周一至周日 8:30–20:00",
     "上海市杨浦区佳邻社会工作服务社", _SW),
    ("四平路街道", "阜新路社区睦邻中心", "阜新路218弄9号", "周一至周六 8:30–17:30",
     "上海市杨浦区四平睦邻公益服务中心", _SC),
    ("长海路街道", "包头路社区睦邻中心", "包头路1136弄20号",
     "周一至周五 8:30–17:00，周六 9:00–16:00", "上海市杨浦区乐龄社会工作服务社", _SW),
    ("平凉路街道", "平凉路街道社区第二睦邻中心", "眉州路220弄15号", "周二至周日 9:00–20:00",
     "上海市杨浦区童心社区服务中心", _SC),
    ("长海路街道", "长海路街道社区文化活动中心", "殷行路1399号", "周一至周日 8:30–21:00",
     "上海市杨浦区长海文化艺术发展中心", _SC),
    ("长白新村街道", "长白228街坊", "安图路228号", "周一至周日 9:00–21:00",
     "上海市杨浦区长白睦邻社会工作服务社", _SW),
]  # fmt: skip

# The other 41 centres, named by the street they stand on.
STREETS = {
    "定海路街道": ["定海路", "隆昌路", "军工路"],
    "平凉路街道": ["平凉路", "辽阳路", "通北路"],
    "江浦路街道": ["江浦路", "齐齐哈尔路", "辽源路", "兰州路"],
    "四平路街道": ["鞍山路", "抚顺路", "四平路"],
    "控江路街道": ["控江路", "凤城路", "双阳路", "延吉东路"],
    "长白新村街道": ["长白路", "靖宇东路", "双辽路"],
    "延吉新村街道": ["延吉中路", "靖宇中路", "松花江路", "营口路"],
    "殷行街道": ["开鲁路", "嫩江路", "市光路", "国帆路"],
    "大桥街道": ["许昌路", "周家嘴路", "怀德路", "眉州路"],
    "五角场街道": ["政通路", "国定路", "翔殷路", "黄兴路"],
    "新江湾城街道": ["政悦路", "淞沪路", "国晓路"],
    "长海路街道": ["国和路", "政立路"],
}

ORGANISATIONS = [
    # 23 more, to make 29 with the six above.
    ("上海市杨浦区阳光社会工作服务社", _SW), ("上海市杨浦区同心社区服务中心", _SC),
    ("上海市杨浦区悦邻社会工作服务社", _SW), ("上海市杨浦区善邻公益服务中心", _SC),
    ("上海市杨浦区汇爱社会工作事务所", _SW), ("上海市杨浦区邻里守望社区服务中心", _SC),
    ("上海市杨浦区和美社会工作服务社", _SW), ("上海市杨浦区康乐养老服务中心", _SC),
    ("上海市杨浦区知行社会工作服务社", _SW), ("上海市杨浦区益心公益基金会", _FD),
    ("上海市杨浦区彩虹桥青少年服务中心", _SC), ("上海市杨浦区绿洲生态社区服务中心", _SC),
    ("上海市杨浦区众和社会工作服务社", _SW), ("上海市杨浦区微光公益服务中心", _SC),
    ("上海市杨浦区同行社会工作服务社", _SW), ("上海市杨浦区暖心家园社区服务中心", _SC),
    ("上海市杨浦区睿思社区发展中心", _SC), ("上海市杨浦区乐活社会工作服务社", _SW),
    ("上海市杨浦区启明社会工作服务社", _SW), ("上海市杨浦区望春社区服务中心", _SC),
    ("上海市杨浦区青草地社会工作服务社", _SW), ("上海市杨浦区睦邻公益基金会", _FD),
    ("上海市杨浦区新知社区教育服务中心", _SC),
]  # fmt: skip
CONTACTS = ["王敏", "李婷", "张伟", "刘洋", "陈静", "杨帆", "赵雪", "黄磊", "周燕", "吴昊"]

# Minutes on foot from the register's neighbourhoods to centres. 定海港路 and 开鲁新村 have
# no centre within 15 minutes; 控江二村's nearest centre runs too few service projects.
WALKS = {
    "公交新村居民区": [("阜新路社区睦邻中心", 9), ("鞍山路睦邻中心", 13), ("四平路睦邻中心", 18)],
    "阜新路居民区": [("阜新路社区睦邻中心", 4), ("抚顺路睦邻中心", 12)],
    "定海港路居民区": [("定海路睦邻中心", 19), ("隆昌路睦邻中心", 24)],
    "文化佳园居民区": [("文化佳园睦邻中心", 3), ("长海路街道社区文化活动中心", 11),
                       ("包头路社区睦邻中心", 16)],
    "包头路居民区": [("包头路社区睦邻中心", 6), ("国和路睦邻中心", 14)],
    "开鲁新村居民区": [("开鲁路睦邻中心", 17), ("嫩江路睦邻中心", 21)],
    "控江二村居民区": [("控江路睦邻中心", 8), ("凤城路睦邻中心", 20)],
    "眉州路居民区": [("平凉路街道社区第二睦邻中心", 4), ("辽阳路睦邻中心", 15)],
}  # fmt: skip
SHORT_OF_SERVICES = {"控江路睦邻中心", "定海路睦邻中心", "政悦路睦邻中心", "国晓路睦邻中心",
                     "营口路睦邻中心", "双辽路睦邻中心"}  # fmt: skip

SERVICES = [
    "长者助餐", "健康咨询", "老年助浴", "四点半课堂", "法律咨询", "心理疏导", "助老理发",
    "智能手机课堂", "书法班", "合唱团", "太极拳", "亲子阅读", "便民维修", "康复辅具租赁",
    "家庭医生咨询", "长者读报", "戏曲沙龙", "编织手工坊", "测血压血糖", "磨刀配钥匙",
]  # fmt: skip

# The ten best of the 睦邻温度提升行动 2023: the report's own first.
TOP_PROJECTS = [
    ("阜新路社区睦邻中心", "睦邻市集", "每月一次的睦邻市集：居民摆摊交换闲置、手作和家常点心，"
     "收入一部分放进楼组公益基金。"),
    ("包头路社区睦邻中心", "健康共同体", "为老年人量身打造的健康共同体：家庭医生、康复师和"
     "志愿者结对，定期上门测量、讲解用药、陪练康复操。"),
    ("平凉路街道社区第二睦邻中心", "睦邻自治童趣社", "孩子们自己的社团：自选活动、自管经费、"
     "自办展示，家长做志愿者。"),
    ("文化佳园睦邻中心", "纸短情长，海纳百川", "写家书活动：居民和孩子给春节留沪的一线工作者"
     "写信，工作者再续写给家乡亲人的家书。"),
    ("公交新村居民区", "红屋顶花园", "党建项目：把“如何设计一个更让人满意的花园”作为议题"
     "上“社区云”征集意见，设计、实施、维护全过程听居民的。"),
    ("长白228街坊", "街坊记忆口述史", "老工人讲述工人新村的故事，青年志愿者整理成册并在街坊展出。"),
    ("鞍山路睦邻中心", "楼道微更新", "一个楼道一个方案：居民投票选颜色、选图案，共同动手粉刷。"),
    ("开鲁路睦邻中心", "银龄互助队", "低龄老人结对高龄老人，每周电话问候、上门陪伴。"),
    ("国和路睦邻中心", "加装电梯议事会", "楼组协商加装电梯，请法律顾问讲解程序，化解高低层分歧。"),
    ("眉州路居民区", "非机动车停放微治理", "居民自定停车公约，志愿者轮值，楼道不再堵。"),
]  # fmt: skip
OTHER_THEMES = [
    "垃圾分类绿色账户", "文明养宠公约", "社区花园营造", "邻里节", "小小志愿者",
    "楼组长议事堂", "屋顶绿化", "社区规划师进楼组", "家门口的读书会", "老小区停车协商",
    "独居老人一键通", "邻里守望互助", "社区厨房", "共享工具箱", "亲子自然课堂",
    "非遗剪纸传承", "残障朋友融合日", "新就业群体暖心驿站", "楼道图书角", "睦邻议事角",
    "健步走打卡", "反诈宣传进楼组", "社区微电影", "旧物改造工坊", "外来务工子女课堂",
    "居民公约共商", "睦邻茶话会", "社区志愿服务积分", "阳台种植互助", "邻里调解工作室",
    "老年人防跌倒", "社区应急志愿队", "睦邻合唱节", "邻里美食节", "楼组微信群守则",
    "银发学堂", "社区环境啄木鸟", "睦邻微基金",
]  # fmt: skip
THEMES_2024 = ["睦邻空间营造", "家门口服务站", "睦邻伙伴结对", "楼宇睦邻点", "邻里文化节"]

TALENT_SKILLS = [
    ("剪纸", "退休前是纺织厂的女工，剪纸剪了四十年，每周在中心带一个剪纸班。"),
    ("理发", "每月第一个周六为行动不便的老人上门理发，已经坚持八年。"),
    ("家电维修", "老电工，谁家电饭煲、电风扇坏了都来找他。"),
    ("书法", "春节前给邻居写春联，平时教孩子们写毛笔字。"),
    ("太极拳", "每天清晨在小区花园带着二十多位老邻居打太极。"),
    ("烹饪", "社区食堂的“大厨”，拿手菜是红烧肉和八宝饭。"),
    ("手机教学", "教老人用微信、扫码、网上挂号，编了一本“手机使用小手册”。"),
    ("编织", "带着姐妹们织围巾、帽子，送给环卫工人过冬。"),
    ("沪剧", "沪剧票友，组织了楼组里的戏曲沙龙。"),
    ("心理疏导", "退休心理老师，每周二下午在中心接待居民谈心。"),
    ("法律咨询", "退休律师，帮邻居看合同、解答继承和物业问题。"),
    ("摄影", "给社区活动拍照，每年为老人拍一次“全家福”。"),
    ("绘画", "带孩子们在楼道墙面画画，让老楼道焕然一新。"),
    ("园艺", "社区花园的“园长”，教大家种花养草、堆肥。"),
    ("维持秩序、协调人员", "中心活动的“定心丸”，哪里需要人手就出现在哪里。"),
]  # fmt: skip
TALENT_NAMES = [
    "凌建梅", "王阿姨", "老李师傅", "陈老师", "张阿婆", "小周", "刘叔叔", "赵老师",
    "孙阿姨", "钱师傅", "吴奶奶", "郑爷爷", "冯阿姨", "褚老师", "卫师傅", "蒋阿姨",
    "沈老伯", "韩老师", "杨阿婆", "朱师傅", "秦阿姨", "许老师", "何叔叔", "吕阿姨",
    "施师傅", "孔老师", "曹阿婆", "严叔叔", "华阿姨", "金老师", "魏师傅", "陶阿姨",
    "姜老伯", "戚老师", "谢阿姨", "邹师傅", "喻阿婆", "柏老师", "水阿姨", "窦师傅",
    "章老师", "云阿姨", "苏叔叔", "潘阿婆", "葛老师", "范师傅",
]  # fmt: skip

_AC, _SWK, _LAW, _JN, _PL = (
    Advisor.Profession.ACADEMIC,
    Advisor.Profession.SOCIAL_WORKER,
    Advisor.Profession.LAWYER,
    Advisor.Profession.JOURNALIST,
    Advisor.Profession.PARTY_LEADER,
)
_GUIDE, _PRACTICE, _PROJECT = Advisor.Field.GUIDANCE, Advisor.Field.PRACTICE, Advisor.Field.PROJECT
ADVISORS = [
    ("顾晓明", _AC, _GUIDE, "复旦大学社会发展与公共政策学院"),
    ("沈立群", _AC, _GUIDE, "同济大学建筑与城市规划学院"),
    ("方悦", _JN, _GUIDE, "杨浦区融媒体中心"),
    ("杨莹", _PL, _GUIDE, "定海港路居民区党总支"),
    ("陆海涛", _SWK, _PRACTICE, "上海市杨浦区佳邻社会工作服务社"),
    ("唐敏", _SWK, _PRACTICE, "上海市杨浦区乐龄社会工作服务社"),
    ("曹萍", _PL, _PRACTICE, "眉州路居民区党总支"),
    ("邵文静", _LAW, _PRACTICE, "上海杨浦律师事务所"),
    ("贺俊", _AC, _PROJECT, "上海财经大学公共经济与管理学院"),
    ("蔡琳", _SWK, _PROJECT, "上海市杨浦区睦邻公益基金会"),
    ("林嘉", _LAW, _PROJECT, "上海五角场律师事务所"),
    ("马骏", _JN, _PROJECT, "《杨浦时报》"),
]


def build(*, stdout, rng, today):
    if ProjectRound.objects.filter(name=ROUND, year=RATING_YEAR).exists():
        stdout.write("Centres: already there, kept them.")
        return
    district = District.objects.first()
    if district is None:
        stdout.write("Centres: no district in the database, skipped.")
        return
    centres = _centres(district, rng=rng)
    organisations = _organisations(centres, rng=rng)
    _contracts(centres, organisations, rng=rng)
    five = _ratings(centres, rng=rng)
    neighbourhoods = {n.name: n for n in Neighbourhood.objects.all()}
    _walks(centres, neighbourhoods)
    services = _service_projects(centres, rng=rng, year=today.year)
    round_projects = _round_projects(centres, neighbourhoods, rng=rng)
    talents = _talents(centres, rng=rng)
    _advisors(round_projects, neighbourhoods, rng=rng)
    stdout.write(
        f"Centres: {len(centres)} centres run by {len(organisations)} organisations, "
        f"{five} five-star in {RATING_YEAR}; {services} service projects in {today.year}; "
        f"{ROUND}: {sum(p.year == RATING_YEAR for p in round_projects)} projects in "
        f"{RATING_YEAR} ({TOP_TEN}: 10), {sum(p.year != RATING_YEAR for p in round_projects)} "
        f"in 2024; {talents} 睦邻达人; "
        f"{len(ADVISORS)} advisors."
    )


def _centres(district, *, rng):
    """The named centres (kept as the register made them) and 41 more, by street."""
    subdistricts = {}
    for name in SUBDISTRICTS:
        subdistricts[name], _ = Subdistrict.objects.get_or_create(district=district, name=name)
    existing = {c.name: c for c in Centre.objects.all()}
    new = []
    for sub, name, address, hours, organisation, _kind in NAMED:
        if name not in existing:
            new.append(Centre(subdistrict=subdistricts[sub], name=name, address=address,
                              hours=hours, operator=organisation))  # fmt: skip
    for sub, streets in STREETS.items():
        for street in streets:
            name = f"{street}睦邻中心"
            if name not in existing:
                number = rng.randint(10, 1800)
                new.append(
                    Centre(subdistrict=subdistricts[sub], name=name, address=f"{street}{number}号",
                           hours=rng.choice(["周一至周日 8:30–20:00", "周一至周六 8:30–17:30",
                                             "周二至周日 9:00–19:00"]))
                )  # fmt: skip
    Centre.objects.bulk_create(new)
    centres = list(Centre.objects.filter(subdistrict__district=district).order_by("pk"))
    for centre in centres:
        if not centre.phone:
            centre.phone = f"021-65{rng.randint(100000, 999999)}"
    Centre.objects.bulk_update(centres, ["phone"])
    return {centre.name: centre for centre in centres}


def _organisations(centres, *, rng):
    """29 organisations; each runs at least one centre, a few run several."""
    specs = [(org, kind) for *_, org, kind in NAMED] + ORGANISATIONS
    organisations = []
    for name, kind in specs:
        organisation, _ = SocialOrganisation.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "contact_person": rng.choice(CONTACTS),
                      "phone": f"021-55{rng.randint(100000, 999999)}"},
        )  # fmt: skip
        organisations.append(organisation)
    named = {centre: org for (_, centre, *_), org in zip(NAMED, organisations, strict=False)}
    others = [c for name, c in centres.items() if name not in named]
    rest = organisations[len(NAMED) :]
    for i, centre in enumerate(others):
        # Every other organisation first, then the rest shared out at random.
        centre.organisation = rest[i] if i < len(rest) else rng.choice(organisations)
    for name, organisation in named.items():
        centres[name].organisation = organisation
    for centre in centres.values():
        centre.operator = centre.organisation.name
    Centre.objects.bulk_update(centres.values(), ["organisation", "operator"])
    return organisations


def _contracts(centres, organisations, *, rng):
    """The current contract of each centre; a few centres changed hands in 2021."""
    contracts = []
    for centre in centres.values():
        start = datetime.date(rng.choice([2021, 2022, 2023]), rng.choice([1, 7]), 1)
        end = rng.choice([None, datetime.date(start.year + 3, start.month, 1)])
        if end and end < datetime.date(2025, 1, 1):
            end = None
        contracts.append(OperatingContract(organisation=centre.organisation, centre=centre,
                                           start=start, end=end))  # fmt: skip
        if rng.random() < 0.2:
            before = rng.choice([o for o in organisations if o != centre.organisation])
            contracts.append(OperatingContract(
                organisation=before, centre=centre, start=datetime.date(2018, 1, 1),
                end=start - datetime.timedelta(days=1)))  # fmt: skip
    OperatingContract.objects.bulk_create(contracts)


def _ratings(centres, *, rng):
    """2022 and 2023 ratings; 17 five-star centres in 2023, the named ones among them."""
    named = [name for _, name, *_ in NAMED]
    others = [name for name in centres if name not in named]
    five = set(named) | set(rng.sample(others, FIVE_STAR_CENTRES - len(named)))
    ratings = []
    for name, centre in centres.items():
        stars = 5 if name in five else rng.choice([2, 3, 3, 4, 4, 4])
        before = max(1, min(5, stars + rng.choice([-1, 0, 0, 1])))
        if stars < 5 and before == 5:
            before = 4
        ratings += [
            StarRating(centre=centre, year=RATING_YEAR, stars=stars),
            StarRating(centre=centre, year=RATING_YEAR - 1, stars=before),
        ]
    StarRating.objects.bulk_create(ratings)
    return len(five)


def _walks(centres, neighbourhoods):
    walks = []
    for neighbourhood_name, pairs in WALKS.items():
        neighbourhood = neighbourhoods.get(neighbourhood_name)
        if neighbourhood is None:
            continue
        for centre_name, minutes in pairs:
            centre = centres[centre_name]
            walks.append(WalkingDistance(neighbourhood=neighbourhood, centre=centre,
                                         minutes=minutes))  # fmt: skip
            if minutes <= 15:
                centre.neighbourhoods.add(neighbourhood)
    WalkingDistance.objects.bulk_create(walks)


def _service_projects(centres, *, rng, year):
    """This year's service projects: 10 to 14 a centre, fewer at the ones short of 1510."""
    projects = []
    for name, centre in centres.items():
        count = rng.randint(4, 8) if name in SHORT_OF_SERVICES else rng.randint(10, 14)
        for title in rng.sample(SERVICES, count):
            projects.append(Project(title=title, year=year, centre=centre, is_service=True,
                                    summary=f"{centre.name}常年开展的{title}服务。"))  # fmt: skip
    Project.objects.bulk_create(projects)
    return len(projects)


def _round_projects(centres, neighbourhoods, *, rng):
    """睦邻温度提升行动: 48 projects in 2023 (the ten best awarded) and five in 2024."""
    round_2023 = ProjectRound.objects.create(name=ROUND, year=RATING_YEAR, programme=PROGRAMME)
    round_2024 = ProjectRound.objects.create(name=ROUND, year=2024, programme=PROGRAMME)
    ordinary = [c for c in centres.values() if c.name not in {p[0] for p in TOP_PROJECTS}]
    specs = []
    for runner, title, summary in TOP_PROJECTS:
        specs.append((round_2023, runner, title, summary, True))
    for theme, centre in zip(OTHER_THEMES[:38], rng.sample(ordinary, 38), strict=False):
        specs.append((round_2023, centre.name, theme, f"{centre.name}的{theme}项目。", False))
    for theme in THEMES_2024:
        centre = rng.choice(list(centres.values()))
        specs.append((round_2024, centre.name, theme, f"{centre.name}的{theme}项目。", False))
    projects = []
    for round_, runner, title, summary, _best in specs:
        where = {"centre": centres[runner]} if runner in centres else {
            "neighbourhood": neighbourhoods.get(runner)}  # fmt: skip
        if not any(where.values()):
            continue  # a neighbourhood the register does not have
        projects.append(Project(title=title, summary=summary, year=round_.year, round=round_,
                                **where))  # fmt: skip
    Project.objects.bulk_create(projects)
    Award.objects.bulk_create(
        Award(project=project, title=TOP_TEN, year=RATING_YEAR)
        for project, spec in zip(projects, specs, strict=False)
        if spec[4]
    )
    _teams(projects, rng=rng)
    return projects


def _teams(projects, *, rng):
    members = []
    for project in projects:
        organisation = project.centre.organisation if project.centre else None
        members.append(TeamMember(project=project, name=rng.choice(CONTACTS), role="项目负责人",
                                  kind=TeamMember.Kind.WORKER))  # fmt: skip
        if organisation:
            members.append(TeamMember(project=project, name=organisation.name, role="运营支持",
                                      kind=TeamMember.Kind.ORGANISATION,
                                      organisation=organisation))  # fmt: skip
        for name in rng.sample(TALENT_NAMES, rng.randint(2, 4)):
            kind = rng.choice([TeamMember.Kind.RESIDENT, TeamMember.Kind.VOLUNTEER])
            members.append(TeamMember(project=project, name=name, kind=kind, role="骨干成员"))
    TeamMember.objects.bulk_create(members)


def _talents(centres, *, rng):
    """46 睦邻达人 of 2023; two did not agree to a public profile, so stay off the page."""
    agreed_at = timezone.make_aware(datetime.datetime(RATING_YEAR, 11, 20, 10, 0))
    talents = []
    for i, name in enumerate(TALENT_NAMES[:TALENTS_2023]):
        skill, story = TALENT_SKILLS[-1] if name == "凌建梅" else rng.choice(TALENT_SKILLS)
        centre = (
            centres["文化佳园睦邻中心"] if name == "凌建梅" else rng.choice(list(centres.values()))
        )
        consented = i < TALENTS_2023 - TALENTS_WITHOUT_CONSENT
        talents.append(Talent(display_name=name, skill=skill, story=story, year=RATING_YEAR,
                              centre=centre, consented=consented,
                              consented_at=agreed_at if consented else None))  # fmt: skip
    Talent.objects.bulk_create(talents)
    return len(talents)


def _advisors(projects, neighbourhoods, *, rng):
    for name, profession, field, affiliation in ADVISORS:
        advisor = Advisor.objects.create(
            name=name, profession=profession, field=field, affiliation=affiliation
        )
        advisor.neighbourhoods.set(rng.sample(list(neighbourhoods.values()), 2))
        advisor.projects.set(rng.sample(projects, 4))
