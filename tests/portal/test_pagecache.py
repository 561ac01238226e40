"""Visitors' public pages from the cache (portal/pagecache.py): served without a query,
each visitor with a CSRF token of their own, apart by language and text size, never to a
signed-in user, and stale at once when a notice changes."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notices.models import Notice

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.VISITOR_PAGE_SECONDS = 30


def notice(places, title, **fields):
    now = timezone.now()
    return Notice.objects.create(
        district=places["district"], title=title, body="<p>水箱清洗</p>", publish_at=now,
        created=now, updated=now, **fields
    )  # fmt: skip


def get(client, path="/notices/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    return response, len(queries)


def test_a_second_visitor_gets_the_page_without_a_query(places):
    notice(places, "二号楼水箱清洗通知")
    first, first_queries = get(Client())
    second, second_queries = get(Client())
    assert first_queries > 0
    assert second_queries == 0
    assert "二号楼水箱清洗通知" in second.content.decode()
    assert second.content.decode().count("二号楼水箱清洗通知") == first.content.decode().count(
        "二号楼水箱清洗通知"
    )


def test_each_visitor_has_a_working_csrf_token_of_their_own(places):
    get(Client())  # cached by someone else
    visitor = Client(enforce_csrf_checks=True)
    page, _ = get(visitor)
    tokens = set(TOKEN.findall(page.content.decode()))
    assert tokens and "__pagecache_csrf_token__" not in page.content.decode()
    response = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens.pop()}
    )
    assert response.status_code == 302


def test_a_published_change_is_seen_by_the_next_request(places):
    get(Client())
    notice(places, "换管道施工公告")
    page, queries = get(Client())
    assert queries > 0
    assert "换管道施工公告" in page.content.decode()
    changed = Notice.objects.get(title="换管道施工公告")
    changed.title = "换管道施工公告（延期）"
    changed.save()
    assert "（延期）" in get(Client())[0].content.decode()
    changed.delete()
    assert "换管道施工公告" not in get(Client())[0].content.decode()


def test_language_and_text_size_have_pages_of_their_own(places):
    get(Client())
    english = Client().get("/notices/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en"' in english.content.decode()
    large = Client()
    large.cookies["large_text"] = "1"
    page, _ = get(large)
    assert "large-text" in page.content.decode().split(">", 2)[1]
    assert "large-text" not in get(Client())[0].content.decode().split(">", 2)[1]


def test_signed_in_users_never_get_a_cached_page(places, resident):
    get(Client())
    client = Client()
    client.force_login(resident)
    page, queries = get(client)
    assert queries > 0
    assert page.status_code == 200


# --- The home page's cards of signed-in residents (pagecache.fragment) ---------------------


def resident_of(household, username):
    from tests import factories as f

    user = f.UserFactory(username=username, first_name=username)
    f.ResidentFactory(
        household=household, name=username, birth_date=f.born_years_ago(40), user=user
    )
    return user


def home_of(user):
    client = Client()
    client.force_login(user)
    return get(client, "/")


def test_neighbours_share_the_cards_and_no_one_else_sees_them(
    places, gjxc_household, dhg_household
):
    neighbour_a, neighbour_b = (resident_of(gjxc_household, n) for n in ("邻居甲", "邻居乙"))
    elsewhere = resident_of(dhg_household, "定海居民")
    now = timezone.now()
    Notice.objects.create(
        neighbourhood=places["gjxc"], title="公交新村居民会议", body="<p>周五</p>",
        audience=Notice.Audience.RESIDENTS, publish_at=now, created=now, updated=now,
    )  # fmt: skip
    first, first_queries = home_of(neighbour_a)
    second, second_queries = home_of(neighbour_b)
    assert "公交新村居民会议" in first.content.decode()
    assert "公交新村居民会议" in second.content.decode()
    assert second_queries < first_queries  # the cards came from the cache
    other, _ = home_of(elsewhere)  # another neighbourhood: cards of its own
    assert "公交新村居民会议" not in other.content.decode()


def test_a_resident_sees_a_new_notice_on_the_next_request(places, resident):
    home_of(resident)
    notice(places, "停水通知：周六上午")
    assert "停水通知：周六上午" in home_of(resident)[0].content.decode()
    Notice.objects.filter(title="停水通知：周六上午").delete()
    assert "停水通知：周六上午" not in home_of(resident)[0].content.decode()


def test_staff_cards_are_made_for_them(places, resident, huyun):
    home_of(resident)
    staff_page, staff_queries = home_of(huyun)
    again, again_queries = home_of(huyun)
    assert staff_page.status_code == again.status_code == 200
    assert again_queries == staff_queries  # never from the residents' cache


def test_another_processs_change_is_seen_once_the_memo_expires(places, monkeypatch):
    """A page asked for again within half a second comes from this process's memory; a
    change made by another process (the version raised in the cache, not by this process's
    bump) is seen as soon as the version memo expires (VERSION_MEMO_SECONDS)."""
    from django.core.cache import cache

    from portal import pagecache

    get(Client())
    assert get(Client())[1] == 0  # from memory or the cache: no query either way
    fresh = notice(places, "楼道灯维修通知")  # bump() in this process: seen at once
    assert "楼道灯维修通知" in get(Client())[0].content.decode()
    # Another process's change: its save bumped the shared version, not our memo.
    Notice.objects.filter(pk=fresh.pk).update(title="楼道灯维修通知（已修好）")
    cache.incr(pagecache.VERSION_KEY)
    assert "（已修好）" not in get(Client())[0].content.decode()  # within the memo: as before
    monkeypatch.setitem(pagecache._memo, "until", 0.0)  # half a second later
    assert "（已修好）" in get(Client())[0].content.decode()


def test_a_lost_version_starts_again_at_a_value_never_used(places):
    """After the cache lost the version (evicted, flushed), the new one is a millisecond
    timestamp: no page kept under an old key can come back."""
    from django.core.cache import cache

    from portal import pagecache

    get(Client())
    before = pagecache.version()
    cache.delete(pagecache.VERSION_KEY)
    pagecache.forget()
    assert pagecache.version() > before
