"""Fixtures for the discussion hall and guides (imported by test_topics/suggestions/guides).

- topic: an open topic of 公交新村 (deadline in two weeks), opened by huyun
- neighbour: a second linked resident of 公交新村 (room 1号 401), with an email
- dhg_resident: a linked resident of 定海港路 (another neighbourhood)
- suggestion: neighbour's suggestion on `topic`
"""

import datetime

import pytest
from django.utils import timezone

from notices.models import Guide, Suggestion, Topic
from tests import factories as f
from tests.images import image_upload


def png_upload(name="photo.png", size=(64, 48), color="seagreen"):
    return image_upload(name, "PNG", size=size, color=color, exif=False)


def make_topic(neighbourhood, opened_by, **fields):
    fields.setdefault("title", "如何设计一个更让人满意的花园")
    fields.setdefault("background", "红屋顶花园即将修葺，请大家出主意。")
    fields.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=14))
    return Topic.objects.create(neighbourhood=neighbourhood, opened_by=opened_by, **fields)


@pytest.fixture
def topic(places, huyun):
    return make_topic(places["gjxc"], huyun)


@pytest.fixture
def neighbour(places, huyun):
    return f.linked_resident(places["gjxc"], "neighbour", "401", "王芳", "wangfang@example.com")


@pytest.fixture
def dhg_resident(places, dhg_household):
    user = f.UserFactory(username="dhgresident", first_name="赵强")
    f.ResidentFactory(household=dhg_household, name="赵强", user=user)
    return user


@pytest.fixture
def suggestion(topic, neighbour):
    return Suggestion.objects.create(
        topic=topic, author=neighbour, text="多种一些月季，再放几张长椅。"
    )


@pytest.fixture
def guide(places):
    return Guide.objects.create(
        district=places["district"],
        title="加装电梯",
        summary="多层住宅加装电梯怎么办",
        body="<p>第一步：征询本门栋业主意见。</p><script>alert(1)</script>",
        published=True,
    )


@pytest.fixture
def gjxc_guide(places):
    return Guide.objects.create(
        district=places["district"],
        neighbourhood=places["gjxc"],
        title="文明养宠",
        body="遛狗请牵绳。",
        published=True,
    )
