"""Notice bodies: only paragraphs, lists, bold and links ever reach a page."""

import pytest

from notices.sanitize import sanitize_body
from tests.notices.notice_fixtures import make_notice

FORBIDDEN = [
    "<script", "alert(", "onclick", "onmouseover", "onerror", "onload", "javascript:", "data:",
    "style", "<img", "<iframe", "<svg", "<form", "<input",
]  # fmt: skip

ATTACKS = [
    '<p>停水</p><script>alert("x")</script>',
    '<p onclick="alert(1)" onmouseover="steal()">停水</p>',
    '<a href="javascript:alert(1)">点这里</a>',
    '<a href="JaVaScRiPt:alert(1)">点这里</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">点这里</a>',
    '<p style="background:url(javascript:alert(1))">停水</p>',
    "<style>body { display: none }</style><p>停水</p>",
    '<img src="x" onerror="alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(1)"></svg>',
    '<form action="https://evil.example"><input name="pw"></form>',
]


@pytest.mark.parametrize("html", ATTACKS)
def test_it_removes_scripts_handlers_javascript_links_and_styles(html):
    clean = sanitize_body(html).lower()
    for bad in FORBIDDEN:
        assert bad not in clean


def test_it_keeps_paragraphs_lists_bold_and_links():
    html = '<p>请<strong>提前</strong>储水</p><ul><li>一</li></ul><ol><li>二</li></ol><a href="https://example.org/x">详情</a>'
    clean = sanitize_body(html)
    for kept in ["<p>", "<strong>提前</strong>", "<ul><li>一</li></ul>", "<ol><li>二</li></ol>",
                 'href="https://example.org/x"', 'rel="noopener noreferrer nofollow"']:  # fmt: skip
        assert kept in clean


def test_it_turns_plain_text_into_paragraphs_and_lists_and_escapes_it():
    clean = sanitize_body("第一段\n第二行\n\n- 储水\n- 放流\n\n3 < 5 & 7 > 6")
    assert clean == (
        "<p>第一段<br>第二行</p><ul><li>储水</li><li>放流</li></ul><p>3 &lt; 5 &amp; 7 &gt; 6</p>"
    )


@pytest.mark.django_db
def test_it_cleans_the_body_when_saved_and_on_the_page(client, places):
    notice = make_notice(places["gjxc"], body='<p onclick="x()">停水</p><script>alert(1)</script>')
    notice.refresh_from_db()
    assert notice.body == "<p>停水</p>"
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "alert(1)" not in page and "onclick" not in page


@pytest.mark.parametrize(
    "typed",
    [
        "二号楼水箱清洗\n\n请提前储水。",
        "停水时间：\n上午9点至下午3点",
        "注意：\n\n- 关好水龙头\n- 储水 <2 桶> & 备用",
    ],
)
def test_it_gives_staff_back_the_plain_text_they_typed(typed):
    from notices.sanitize import editable_text

    stored = sanitize_body(typed)
    assert editable_text(stored) == typed
    assert sanitize_body(editable_text(stored)) == stored


def test_it_keeps_html_in_the_edit_box_when_plain_text_would_lose_something():
    from notices.sanitize import editable_text

    stored = sanitize_body('<p>请看<a href="https://example.org/">通知</a>，<b>务必</b>储水。</p>')
    assert editable_text(stored) == stored


@pytest.mark.django_db
def test_it_shows_the_typed_text_in_the_edit_form(login, places, huyun):
    notice = make_notice(places["gjxc"], body="本周六清洗水箱。\n\n- 提前储水\n- 关好龙头")
    page = login(huyun).get(f"/notices/{notice.pk}/edit/").content.decode()
    assert "- 提前储水\n- 关好龙头</textarea>" in page
    assert "&lt;p&gt;" not in page
