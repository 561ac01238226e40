"""The shared page pieces of issue 15: error summary, fields tied to their help and errors,
filters folded with chips, the text-size toggle, words as people say them."""

import datetime
import re

import pytest
from django.utils import timezone

from portal.naturalorder import natural_sorted
from portal.templatetags.words import day, spoken_duration, stamp
from tests import factories as f
from tests.neighborhoods.visit_factories import NeedFactory


@pytest.fixture
def need(gjxc_household, huyun):
    return NeedFactory(household=gjxc_household, raised_by=huyun)


def ids(html):
    return re.findall(r'\bid="([^"]+)"', html)


def test_it_renders_every_id_that_aria_describedby_names(login, huyun, need):
    html = (
        login(huyun)
        .post(f"/staff/needs/{need.pk}/refer/", {"body": "other", "referred_to": ""})
        .content.decode()
    )
    present = set(ids(html))
    named = {
        name for group in re.findall(r'aria-describedby="([^"]+)"', html) for name in group.split()
    }
    assert named and named <= present, named - present
    assert "id_refer_referred_to_error" in named


def test_it_gives_the_need_pages_two_note_fields_their_own_ids(login, huyun, need):
    html = login(huyun).get(f"/staff/needs/{need.pk}/").content.decode()
    assert len(ids(html)) == len(set(ids(html)))
    assert 'id="id_note"' in html and 'id="id_refer_note"' in html


def test_it_puts_an_error_summary_linking_to_each_field_above_the_form(login, huyun, need):
    html = (
        login(huyun)
        .post(f"/staff/needs/{need.pk}/refer/", {"body": "other", "referred_to": ""})
        .content.decode()
    )
    summary = html[html.index('class="error-summary') :]
    assert summary.index('href="#id_refer_referred_to"') < summary.index('name="referred_to"')
    assert "请先改好下面几处" in summary


def test_it_shows_no_asterisk_on_optional_need_rows_of_the_visit_form(login, huyun):
    html = login(huyun).get("/staff/visits/new/").content.decode()
    rows = html[html.index("needs-0-") :]
    assert 'class="req"' not in rows[: rows.index("</fieldset>")]


def test_it_asks_to_choose_the_photo_again_after_an_error(login, resident):
    from tests.images import image_upload

    response = login(resident).post(
        "/me/needs/new/", {"category": "", "description": "", "photo": image_upload("门.jpg")}
    )
    assert response.status_code == 400
    assert "门.jpg" in response.content.decode() and "重新选一次" in response.content.decode()


def test_it_folds_the_filters_and_shows_the_ones_in_use_as_chips(login, huyun, places):
    html = login(huyun).get("/staff/households/?care=alone&q=吴").content.decode()
    assert '<details class="filter-box">' in html and "（已选 2 项）" in html
    chips = html[html.index('class="chips"') :]
    assert "独居老人 <span" in chips and "：吴 <span" in chips
    # Each chip drops its own filter and keeps the other.
    assert 'href="?q=%E5%90%B4"' in chips and 'href="?care=alone"' in chips


def test_it_keeps_the_text_size_button_label_and_tells_its_state(client, db):
    off = client.get("/").content.decode()
    client.cookies["large_text"] = "1"
    on = client.get("/").content.decode()
    assert 'aria-pressed="false"' in off and 'aria-pressed="true"' in on
    assert "长辈版" in off and "长辈版" in on and "标准字号" not in on


def test_it_keeps_sign_out_out_of_the_main_navigation(login, huyun):
    html = login(huyun).get("/").content.decode()
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert "退出登录" not in nav and "退出登录" in html[html.index("<footer") :]


def test_it_puts_the_messages_list_inside_a_status_region(login, huyun, need):
    html = login(huyun).post(f"/staff/needs/{need.pk}/take/", follow=True).content.decode()
    assert '<div class="messages" role="status"' in html and '<ul class="messages"' not in html


def test_it_offers_report_a_difficulty_on_the_residents_home(login, resident):
    html = login(resident).get("/").content.decode()
    assert 'href="/me/needs/new/"' in html and "反映困难" in html


@pytest.mark.parametrize(
    ("delta", "said"),
    [
        (datetime.timedelta(seconds=20), "不到 1 分钟"),
        (datetime.timedelta(hours=19, minutes=1), "19 小时"),
        (datetime.timedelta(days=3, hours=5), "3 天"),
        (datetime.timedelta(days=20), "2 周"),
        (datetime.timedelta(days=40), "超过 1 个月"),
        (datetime.timedelta(days=800), "超过 2 年"),
    ],
)
def test_it_says_durations_as_people_do(delta, said):
    assert spoken_duration(delta) == said


def test_it_writes_one_date_style_per_kind_of_date():
    when = timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 28))
    assert stamp(when) == "2026年12月1日 09:28"
    assert day(datetime.date(2025, 3, 4)) == "2025年3月4日 周二"
    today = timezone.localdate()
    assert day(today).startswith(f"{today.month}月{today.day}日 周")


def test_it_orders_zones_first_second_third():
    names = ["第三片区", "第一片区", "第十一片区", "第二片区", "第十片区"]
    assert natural_sorted(names) == ["第一片区", "第二片区", "第三片区", "第十片区", "第十一片区"]


def test_it_lists_zones_in_natural_order_in_the_register_filter(login, huyun, places):
    for name in ["第三片区", "第一片区", "第二片区"]:
        f.ZoneFactory(neighbourhood=places["gjxc"], name=name)
    html = login(huyun).get("/staff/households/").content.decode()
    positions = [html.index(name) for name in ["第一片区", "第二片区", "第三片区"]]
    assert positions == sorted(positions)
