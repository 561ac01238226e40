"""The accessibility crawl's pieces: find the pages a role can reach, run axe-core on a
page, measure large-text mode against the MIIT 适老化 figures.

Used by tests/e2e/test_accessibility.py (against the live server) and by
scripts/a11y_crawl.py (against a running dev server, while fixing what it finds).

The figures (MIIT 2021, 互联网网站适老化通用设计规范, and WCAG 2.2):
- large-text mode: the main text at least 18 pt (24 CSS px), no text below 21 px, line
  spacing at least 1.3, every tap target at least 60 × 60 CSS px;
- normal mode: every tap target at least 24 × 24 (WCAG 2.5.8).
A link inside a sentence is not a target of its own (WCAG 2.5.8's inline exception): it is
measured only when it stands alone in its block.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

LARGE_MAIN_PX = 24
LARGE_MIN_TEXT_PX = 21
LARGE_MIN_LINE_HEIGHT = 1.3
LARGE_MIN_TARGET_PX = 60
NORMAL_MIN_TARGET_PX = 24

# Links the crawl never follows: signing out ends the role's session; files, feeds and
# downloads are not pages.
SKIP_URL_NAMES = {
    "account_logout",
    "portal:text-size",
}
SKIP_SUFFIXES = ("-photo", "-photo-thumb", "-image", "-image-thumb", "-attachment", "-csv", "-feed")
SKIP_SUFFIXES += ("-calendar", "-export", "-sheet", "-poster", "-print")  # printed sheets (A4)


def axe_available():
    return AXE_JS.exists()


def url_name_of(url, base):
    """The URL name of a link of our own site, or None for other sites and unknown paths."""
    parts = urlsplit(url)
    if parts.scheme and f"{parts.scheme}://{parts.netloc}" != base.rstrip("/"):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return match.view_name


def followable(url_name):
    if url_name is None or url_name in SKIP_URL_NAMES:
        return False
    if url_name.startswith("admin:") and url_name != "admin:index":
        return False
    return not url_name.endswith(SKIP_SUFFIXES)


def page_links(page):
    return page.eval_on_selector_all(
        "a[href]", "els => els.map(e => e.href).filter(h => !h.includes('#') || h.split('#')[0])"
    )


def discover(page, base, starts, visit, limit=80):
    """Breadth-first from the start paths, one URL per URL name (the first one found).

    visit(name, path) is called on each page while it is open (the checks); returns
    {url_name: path?query}. Downloads ("format=") are skipped.
    """
    found = {}
    queue = [base + path for path in starts]
    seen = set()
    while queue and len(found) < limit:
        url = queue.pop(0).split("#")[0]
        if url in seen or "format=" in url:
            continue
        seen.add(url)
        name = url_name_of(url, base)
        if not followable(name) or name in found:
            continue
        response = page.goto(url)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if response.status >= 400 or urlsplit(page.url).path != urlsplit(url).path:
            continue  # refused or redirected: not a page of this role
        parts = urlsplit(url)
        found[name] = parts.path + (f"?{parts.query}" if parts.query else "")
        links = [link for link in page_links(page) if link.startswith(base)]
        visit(name, found[name])
        queue.extend(links)
    return found


def run_axe(page, contrast=True):
    """axe-core's WCAG 2.2 A/AA violations on the page: [(rule id, impact, count, sample)].

    contrast=False leaves out color-contrast, by far the slowest rule (seconds on a long
    page); the crawl runs it once per URL name, in normal text (where it is strictest).
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async ([tags, contrast]) => {
            const rules = contrast ? {} : {'color-contrast': {enabled: false}};
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, rules,
                                              resultTypes: ['violations']});
            const sample = v => v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | ');
            return r.violations.map(v => [v.id, v.impact, v.nodes.length, sample(v)]);
        }""",
        [AXE_TAGS, contrast],
    )
    return [tuple(item) for item in result]


MEASURE_JS = (Path(__file__).parent / "measure.js").read_text()


def measure(page):
    return page.evaluate(MEASURE_JS, "")


def measurement_failures(m, large):
    """What in the measurement falls short of the figures, as readable lines."""
    problems = []
    floor = LARGE_MIN_TARGET_PX if large else NORMAL_MIN_TARGET_PX
    for size, width, height, what, text in m["smallTargets"]:
        if size < floor:
            problems.append(f"tap target {width}×{height} < {floor}: {what} {text!r}")
    if m["sideways"]:
        problems.append("the page scrolls sideways")
    if large:
        if m["mainText"] is not None and m["mainText"] < LARGE_MAIN_PX:
            problems.append(f"main text {m['mainText']} px < {LARGE_MAIN_PX}")
        if m["minText"] and m["minText"][0] < LARGE_MIN_TEXT_PX:
            problems.append(f"text {m['minText'][0]} px < {LARGE_MIN_TEXT_PX}: {m['minText'][1:]}")
        if m["minLine"] and m["minLine"][0] < LARGE_MIN_LINE_HEIGHT:
            problems.append(
                f"line height {m['minLine'][0]} < {LARGE_MIN_LINE_HEIGHT}: {m['minLine'][1:]}"
            )
    return problems


def as_json(data):
    return json.dumps(data, ensure_ascii=False, indent=1)


# Who the crawl signs in as, and where each starts. The demo accounts (seed_demo --small).
ROLES = {
    "anonymous": ["/", "/accounts/login/", "/accounts/signup/"],
    "resident": ["/", "/me/"],
    "volunteer": ["/"],
    "huyun": ["/", "/staff/"],
    "yangying": ["/"],
    "centre": ["/"],
    "admin": ["/", "/admin/"],
}
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def sign_in(page, base, username, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        raise AssertionError(f"could not sign in as {username}")


def new_page(browser, base, role, viewport, large, password):
    context = browser.new_context(viewport=viewport, locale="zh-CN", bypass_csp=True)
    context.set_default_timeout(20_000)
    if large:
        context.add_cookies([{"name": "large_text", "value": "1", "url": base}])
    page = context.new_page()
    if role != "anonymous":
        sign_in(page, base, role, password)
    return context, page


def crawl(browser, base, password, roles=None, shots=None):
    """Find every page by following links as each role, and check them; returns
    (problems, admin_known, stats).

    What is checked where (a sample, to keep the crawl within a few minutes on two cores):
    - phone (360 px) in large text, the hardest case: every URL name, as the first role
      that reaches it, and each role's start pages (its header and navigation differ);
      axe without color-contrast, and the large-text measurements;
    - phone and desktop in normal text: each URL name once, alternating between the two;
      axe with every rule (color-contrast included) and the 24 × 24 target measurement;
    - desktop (1280 px) in large text: the start pages of a committee worker and of a
      resident; axe and the measurements.
    """
    roles = roles or list(ROLES)
    problems, admin_known, loads = [], {}, [0]

    def check(page, role, width_name, large, name, path, contrast):
        loads[0] += 1
        mode = "large" if large else "normal"
        where = f"{role} {width_name} {mode} {path} ({name})"
        violations = run_axe(page, contrast=contrast)
        if name.startswith("admin:"):
            admin_known[where] = sum(v[2] for v in violations)
            return
        for rule, impact, count, nodes in violations:
            problems.append(f"{where}: axe {rule} ({impact}) ×{count}: {nodes}")
        for line in measurement_failures(measure(page), large):
            problems.append(f"{where}: {line}")
        if shots is not None and width_name == "phone":
            shots(page, f"{role}_{name.replace(':', '-')}_{mode}")

    checked, once, starts = set(), [], {}
    for role in roles:
        context, page = new_page(browser, base, role, PHONE, True, password)
        start_paths = set(ROLES[role])

        def visit(name, path, page=page, role=role, start_paths=start_paths):
            if name not in checked or path in start_paths:
                check(page, role, "phone", True, name, path, contrast=False)
            if name not in checked:
                checked.add(name)
                once.append((role, name, path))
            if path in start_paths:
                starts.setdefault(role, []).append((name, path))

        discover(page, base, ROLES[role], visit)
        context.close()

    def check_all(viewport, width_name, large, items, contrast):
        by_role = {}
        for role, name, path in items:
            by_role.setdefault(role, []).append((name, path))
        for role, pages in by_role.items():
            context, page = new_page(browser, base, role, viewport, large, password)
            for name, path in pages:
                page.goto(base + path)
                check(page, role, width_name, large, name, path, contrast=contrast)
            context.close()

    check_all(PHONE, "phone", False, once[0::2], contrast=True)
    check_all(DESKTOP, "desktop", False, once[1::2], contrast=True)
    # Roles differ on a page by their navigation and buttons: the staff and resident homes.
    desktop_large = [
        (role, name, path)
        for role, pages in starts.items()
        if role in ("huyun", "resident")
        for name, path in pages
    ]
    check_all(DESKTOP, "desktop", True, desktop_large, contrast=False)
    stats = {"roles": len(roles), "url_names": len(once), "page_loads": loads[0]}
    return problems, admin_known, stats
