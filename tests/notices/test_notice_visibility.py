"""Who sees which notice when: scheduling, expiry, residents-only, what concerns me, search."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from notices.models import Notice
from tests.notices.notice_fixtures import make_notice

pytestmark = pytest.mark.django_db

LIST = reverse("notices:notice-list")


def titles(response):
    return [notice.title for notice in response.context["page"].object_list]


def test_it_hides_a_scheduled_notice_until_its_time_then_shows_it(client, places):
    start = timezone.now()
    notice = make_notice(
        places["gjxc"], title="中秋游园会报名", publish_at=start + datetime.timedelta(days=2)
    )
    assert client.get(notice.get_absolute_url()).status_code == 404
    assert "中秋游园会报名" not in titles(client.get(LIST))
    with time_machine.travel(start + datetime.timedelta(days=2, minutes=1)):
        assert client.get(notice.get_absolute_url()).status_code == 200
        assert "中秋游园会报名" in titles(client.get(LIST))


def test_it_hides_an_expired_notice(client, places):
    start = timezone.now()
    notice = make_notice(places["gjxc"], expires_at=start + datetime.timedelta(days=1))
    assert client.get(notice.get_absolute_url()).status_code == 200
    with time_machine.travel(start + datetime.timedelta(days=1, seconds=1)):
        assert client.get(notice.get_absolute_url()).status_code == 404
        assert titles(client.get(LIST)) == []


def test_it_shows_scheduled_and_expired_notices_to_their_editor(login, places, huyun):
    start = timezone.now()
    future = make_notice(
        places["gjxc"], title="未来", publish_at=start + datetime.timedelta(days=3)
    )
    past = make_notice(
        places["gjxc"], title="过期", publish_at=start - datetime.timedelta(days=9),
        expires_at=start - datetime.timedelta(days=2),
    )  # fmt: skip
    client = login(huyun)
    assert client.get(future.get_absolute_url()).status_code == 200
    page = client.get(past.get_absolute_url()).content.decode()
    assert "已过期" in page or "Expired" in page
    assert {"未来", "过期"} <= set(titles(client.get(LIST)))


def test_it_hides_scheduled_notices_from_staff_of_another_neighbourhood(login, places, yangying):
    notice = make_notice(places["gjxc"], publish_at=timezone.now() + datetime.timedelta(days=1))
    assert login(yangying).get(notice.get_absolute_url()).status_code == 404


def test_it_shows_residents_only_subdistrict_notices_to_its_residents(login, places, resident):
    siping = places["gjxc"].subdistrict
    notice = make_notice(siping, title="街道居民通知", audience=Notice.Audience.RESIDENTS)
    assert login(resident).get(notice.get_absolute_url()).status_code == 200


def test_it_hides_residents_only_notices_of_another_subdistrict(login, places, other_resident):
    siping = places["gjxc"].subdistrict
    notice = make_notice(siping, title="街道居民通知", audience=Notice.Audience.RESIDENTS)
    assert login(other_resident).get(notice.get_absolute_url()).status_code == 404


def test_it_lists_what_concerns_me_only(login, places, resident):
    """My neighbourhood, my subdistrict and my district; not another neighbourhood."""
    make_notice(places["gjxc"], title="本居民区")
    make_notice(places["gjxc"].subdistrict, title="本街道")
    make_notice(places["district"], title="全区")
    make_notice(places["dhg"], title="别的居民区")
    make_notice(places["dhg"].subdistrict, title="别的街道")
    assert set(titles(login(resident).get(LIST))) == {"本居民区", "本街道", "全区"}


def test_it_shows_a_visitor_the_whole_district_and_lets_them_choose(client, places, dhg_private):
    make_notice(places["gjxc"], title="公交新村通知")
    make_notice(places["dhg"], title="定海港路通知")
    make_notice(places["district"], title="全区通知")
    assert set(titles(client.get(LIST))) == {"公交新村通知", "定海港路通知", "全区通知"}
    chosen = client.get(LIST, {"neighbourhood": places["dhg"].pk})
    assert set(titles(chosen)) == {"定海港路通知", "全区通知"}


def test_it_puts_pinned_first_then_newest(client, places):
    now = timezone.now()
    make_notice(places["gjxc"], title="旧", publish_at=now - datetime.timedelta(days=5))
    make_notice(places["gjxc"], title="新", publish_at=now - datetime.timedelta(hours=2))
    make_notice(
        places["gjxc"], title="置顶", pinned=True, publish_at=now - datetime.timedelta(days=9)
    )
    assert titles(client.get(LIST)) == ["置顶", "新", "旧"]


def test_it_finds_a_chinese_substring(client, places):
    make_notice(places["gjxc"], title="二号楼水箱清洗通知", body="本周六停水。")
    make_notice(places["gjxc"], title="换管道工程", body="施工期间注意安全，不涉及水箱。")
    make_notice(places["gjxc"], title="文艺活动", body="合唱队排练。")
    response = client.get(LIST, {"q": "水箱"})
    assert set(titles(response)) == {"二号楼水箱清洗通知", "换管道工程"}
    assert 'value="水箱"' in response.content.decode()


def test_it_filters_by_category_and_kind(client, places):
    make_notice(places["gjxc"], title="水", category="water")
    make_notice(places["gjxc"], title="修", category="works")
    make_notice(places["gjxc"], title="新闻", category="works", kind="news")
    assert titles(client.get(LIST, {"category": "works", "kind": "notice"})) == ["修"]


def test_it_reports_a_bad_filter_and_keeps_the_search(client, places):
    response = client.get(LIST, {"category": "nonsense", "q": "水箱"})
    assert response.status_code == 400
    assert 'value="水箱"' in response.content.decode()
    assert response.context["form"].errors["category"]


def test_it_paginates(client, places):
    for i in range(25):
        make_notice(places["gjxc"], title=f"通知{i}")
    first, second = client.get(LIST), client.get(LIST, {"page": 2})
    assert len(titles(first)) == 20 and len(titles(second)) == 5


def test_it_shows_the_notice_and_its_scope_on_the_detail_page(client, gjxc_notice):
    page = client.get(gjxc_notice.get_absolute_url()).content.decode()
    assert "二号楼水箱清洗通知" in page and "公交新村居民区" in page
    assert "<p>本周六对二号楼水箱进行清洗。</p>" in page


def test_it_enforces_exactly_one_scope_in_the_database(places):
    from django.db import IntegrityError, transaction

    notice = Notice(title="x", body="y", district=places["district"], neighbourhood=places["gjxc"])
    with pytest.raises(IntegrityError), transaction.atomic():
        notice.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice(title="x", body="y").save()
