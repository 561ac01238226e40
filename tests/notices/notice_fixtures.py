"""Fixtures and helpers for notices (imported by tests/notices/test_notice_*.py).

- make_notice(scope, **fields): a published public notice of `scope` (district, subdistrict
  or neighbourhood), published an hour ago
- gjxc_notice: 二号楼水箱清洗通知 of 公交新村 (public, published)
- gjxc_private: a residents-only notice of 公交新村
- dhg_private: a residents-only notice of 定海港路
- other_resident: a linked resident of 定海港路 (another neighbourhood)
- image bytes makers for uploads (jpeg_bytes, png_upload, upload)
"""

import datetime

import pytest
from django.utils import timezone

from notices.models import Notice
from tests import factories as f


def make_notice(scope, **fields):
    fields.setdefault("title", "二号楼水箱清洗通知")
    fields.setdefault("body", "本周六对二号楼水箱进行清洗。")
    fields.setdefault("publish_at", timezone.now() - datetime.timedelta(hours=1))
    notice = Notice(**fields)
    notice.set_scope(scope)
    notice.save()
    return notice


@pytest.fixture
def gjxc_notice(places, huyun):
    return make_notice(places["gjxc"], author=huyun, category=Notice.Category.WATER)


@pytest.fixture
def gjxc_private(places, huyun):
    return make_notice(
        places["gjxc"], title="居民代表会议", audience=Notice.Audience.RESIDENTS, author=huyun
    )


@pytest.fixture
def dhg_private(places, yangying):
    return make_notice(
        places["dhg"], title="定海港路加装电梯征询", audience=Notice.Audience.RESIDENTS
    )


@pytest.fixture
def other_resident(places, dhg_household):
    user = f.UserFactory(username="dhgreader", first_name="赵强")
    f.ResidentFactory(household=dhg_household, name="赵强", user=user)
    return user
