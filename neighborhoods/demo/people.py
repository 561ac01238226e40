"""Demo people: names, phone numbers and the shapes of households, drawn from one seeded
random.Random.

Ages are drawn as of the report's award day (REFERENCE_DAY), not as of today, so that the
register is the same whenever it is seeded. People then grow older with the calendar, as
real ones do, and the nightly refresh_care_flags keeps the care flags in step.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from ..models import (
    Resident,
    birth_date_for_age,
)

Female, Male = Resident.Gender.FEMALE, Resident.Gender.MALE
Present, Deceased, MovedOut = (
    Resident.Status.PRESENT,
    Resident.Status.DECEASED,
    Resident.Status.MOVED_OUT,
)


# Ages are drawn as of the report's award day, not as of today, so that the register is
# the same whenever it is seeded. People then grow older with the calendar, as real ones
# do, and the nightly refresh_care_flags keeps the care flags in step.
REFERENCE_DAY = date(2024, 1, 31)


@dataclass(frozen=True)
class Member:
    name: str
    gender: str
    birth_date: date
    relation: str
    phone: str = ""
    status: str = Present
    status_changed_on: date | None = None


# Common surnames, the Shanghai ones (沈, 陆, 顾, 钱, 徐…) a little more often.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙朱胡沈陆顾钱马高林何郭罗郑梁谢宋唐许韩冯邓曹彭"
    "曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任姚卢姜崔钟谭汪范金石贾夏方邹孟秦江严戴"
)


FREQUENT_SURNAMES = "王李张陈徐沈陆顾钱朱周吴"


# Given names by generation, as they were fashionable when these people were born.
GIVEN_NAMES = {
    (1900, Female): "秀英 桂英 玉兰 秀珍 凤英 美华 金妹 兰英 月娥 彩娣 杏娣 惠珍 雅琴 "
    "淑芬 素珍 根娣 玉珍 佩华 美娟 琴芳",
    (1900, Male): "国强 建国 志明 德明 福根 金根 海林 国华 文华 根宝 永福 荣生 伟民 "
    "德兴 宝林 家栋 长根 建平 兴华 云龙",
    (1960, Female): "丽 敏 静 红 燕 萍 丽华 晓红 海燕 慧 芳 莉 琳 雯 洁 颖 红梅 丽娟 春燕 晓燕",
    (1960, Male): "伟 强 军 勇 斌 磊 杰 涛 明 浩 俊 峰 刚 华 健 立新 卫东 海涛 建华 志刚",
    (1990, Female): "欣怡 梓涵 诗涵 雨桐 子涵 思彤 佳怡 语嫣 一诺 可馨 佳琪 雨萱 诗琪 "
    "婉清 梦瑶 晨曦 若曦 心怡",
    (1990, Male): "浩然 子轩 宇轩 俊杰 梓睿 一鸣 天佑 博文 睿 晨阳 皓轩 奕辰 思远 宇航 "
    "嘉豪 子墨 逸飞 明轩",
}


MOBILE_PREFIXES = "133 135 136 137 138 139 150 151 152 158 159 177 180 181 186 187 188 189"


class Family:
    """Draws the members of one household. Children take the husband's surname."""

    def __init__(self, rng):
        self.rng = rng
        self.surname = surname(rng)
        self.members = []

    def add(self, relation, gender, age, *, own_surname=False, status=Present):
        rng = self.rng
        family_name = surname(rng) if own_surname else self.surname
        born = birth_date_for_age(age, REFERENCE_DAY) - timedelta(days=rng.randrange(365))
        # A death or a move out some months or years before the reference day.
        changed = REFERENCE_DAY - timedelta(days=rng.randrange(30, 3000))
        self.members.append(
            Member(
                name=family_name + given_name(rng, gender, born.year),
                gender=gender,
                birth_date=born,
                relation=relation,
                phone=mobile(rng) if rng.random() < phone_share(age) else "",
                status=status,
                status_changed_on=None if status == Present else changed,
            )
        )

    def couple(self, relation, age, *, wife_first=False):
        """Husband and wife, he up to five years older; the first listed is `relation`.

        Returns the younger one's age, from which children's ages are drawn.
        """
        wife_age = max(18, age - self.rng.randint(0, 5))
        if wife_first:
            self.add(relation, Female, wife_age, own_surname=True)
            self.add("配偶", Male, age)
        else:
            self.add(relation, Male, age)
            self.add("配偶", Female, wife_age, own_surname=True)
        return min(age, wife_age)


def surname(rng):
    return rng.choice(FREQUENT_SURNAMES) if rng.random() < 0.4 else rng.choice(SURNAMES)


def given_name(rng, gender, birth_year):
    generation = 1990 if birth_year >= 1990 else 1960 if birth_year >= 1960 else 1900
    return rng.choice(GIVEN_NAMES[generation, gender].split())


def mobile(rng):
    return rng.choice(MOBILE_PREFIXES.split()) + f"{rng.randrange(10**8):08d}"


def phone_share(age):
    """The share of people of this age with a mobile number in the register."""
    if age < 16:
        return 0
    return 0.8 if age < 70 else 0.45 if age < 80 else 0.2


def elderly_age(rng, *, alone=False):
    # People living alone are mostly widowed, so older than the elderly as a whole.
    weights = (25, 30, 33, 12) if alone else (42, 30, 22, 6)
    low = rng.choices((60, 70, 80, 90), weights)[0]
    return rng.randint(low, min(low + 9, 95))


def gender(rng):
    return rng.choice((Female, Male))


# Household shapes of an old Shanghai neighbourhood and how often each occurs. Together
# they give about 35% of residents aged 60 or more, a fifth of them 80 or more.
def _alone(family):
    rng = family.rng
    who = rng.choices((Female, Male), (7, 3))[0]  # widows outnumber widowers
    age = elderly_age(rng, alone=True)
    family.add("户主", who, age)
    if rng.random() < 0.4:  # the late spouse stays in the register as deceased
        other = Male if who == Female else Female
        family.add("配偶", other, age + rng.randint(-2, 5), own_surname=True, status=Deceased)


def _elderly_couple(family):
    rng = family.rng
    youngest = family.couple("户主", elderly_age(rng) + 2, wife_first=rng.random() < 0.2)
    if rng.random() < 0.3:  # a grown child who has moved away
        family.add("子女", gender(rng), max(30, youngest - 28), status=MovedOut)


def _elderly_with_child(family):
    rng = family.rng
    youngest = family.couple("户主", elderly_age(rng) + 2)
    if rng.random() < 0.35:  # widowed: only the parent is left
        family.members.pop()
    family.add("子女", gender(rng), max(25, youngest - rng.randint(24, 32)))


def _three_generations(family):
    rng = family.rng
    youngest = family.couple("户主", rng.randint(36, 55))
    family.add("子女", gender(rng), max(1, youngest - rng.randint(24, 34)))
    family.add("父母", rng.choices((Female, Male), (3, 2))[0], youngest + rng.randint(25, 32))


def _grandparents_and_grandchild(family):
    rng = family.rng
    youngest = family.couple("户主", elderly_age(rng))
    family.add("孙子女", gender(rng), max(3, min(17, youngest - 52)))


def _parents_and_children(family):
    rng = family.rng
    youngest = family.couple("户主", rng.randint(30, 52), wife_first=rng.random() < 0.15)
    for _ in range(rng.choices((1, 2), (4, 1))[0]):
        family.add("子女", gender(rng), max(0, youngest - rng.randint(24, 36)))


def _couple(family):
    family.couple("户主", family.rng.randint(27, 62))


def _single(family):
    family.add("户主", gender(family.rng), family.rng.randint(22, 58))


SHAPES = [
    (_alone, 12),
    (_elderly_couple, 16),
    (_elderly_with_child, 9),
    (_three_generations, 12),
    (_grandparents_and_grandchild, 4),
    (_parents_and_children, 25),
    (_couple, 13),
    (_single, 9),
]


def random_members(rng):
    shapes, weights = zip(*SHAPES, strict=True)
    family = Family(rng)
    rng.choices(shapes, weights)[0](family)
    return family.members


def landline(rng):
    return f"65{rng.randrange(10**6):06d}"
