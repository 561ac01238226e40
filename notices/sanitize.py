"""Notice bodies: plain text or a little HTML in, only safe formatting out.

Staff type into a plain textarea (no editor, no JavaScript). Two ways of writing work:
- plain text: a blank line starts a new paragraph, lines starting with "- " make a list;
- simple HTML: <p>, <br>, <ul>, <ol>, <li>, <strong>/<b>, <a href>.

Everything else is removed by nh3 (the Rust "ammonia" sanitiser): <script> and <style> with
their content, event handlers (onclick…), style attributes, and links other than
http/https/mailto/tel (no javascript: or data: URLs). Links get rel="noopener noreferrer
nofollow". Bodies are cleaned when saved, so what is stored is what is shown.
"""

import re
from html import unescape

import nh3
from django.utils.html import escape, strip_tags

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_BULLET = re.compile(r"^\s*[-•·*]\s+")


def looks_like_html(text):
    return bool(_TAG.search(text))


def plain_to_html(text):
    """Blank-line paragraphs, "- " lists and line breaks, with everything escaped."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    html = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{escape(_BULLET.sub('', line))}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return "".join(html)


def sanitize_body(text):
    """The safe HTML to store and show for a notice body typed by staff."""
    text = text or ""
    html = text if looks_like_html(text) else plain_to_html(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def body_to_text(html):
    """Plain text of a stored body (for search snippets, feeds and the poster's summary)."""
    text = re.sub(r"</(p|li)>|<br\s*/?>", "\n", html or "")
    return unescape(strip_tags(text)).strip()


_BLOCK = re.compile(r"<p>(?P<p>.*?)</p>|<ul>(?P<ul>.*?)</ul>", re.S)


def editable_text(html):
    """What staff see in the edit box: the plain-text way of writing a stored body when it
    says exactly the same (paragraphs, line breaks, "- " lists), else the stored HTML."""
    parts = []
    for block in _BLOCK.finditer(html or ""):
        if block["p"] is not None:
            parts.append("\n".join(unescape(line) for line in re.split(r"<br\s*/?>", block["p"])))
        else:
            items = re.findall(r"<li>(.*?)</li>", block["ul"], re.S)
            parts.append("\n".join(f"- {unescape(item)}" for item in items))
    text = "\n\n".join(parts)
    return text if text and sanitize_body(text) == html else html
