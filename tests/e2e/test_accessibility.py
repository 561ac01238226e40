"""The accessibility crawl: every page of the portal, as each demo role, checked by axe-core
(WCAG 2.2 A and AA) and measured against the 长辈版 figures (MIIT 适老化).

What runs where is in tests/e2e/a11y.py (crawl): every URL name on a 360 px phone in large
text, each once more in normal text (phone or desktop, alternating, with the contrast
rule), and each role's start pages on a desktop in large text. Django admin's own pages
are listed as known, with their count of violations printed, not failed.

Screenshots of the first screen of every page checked on the phone go to
tests/e2e/screenshots/test_it_meets_wcag_and_the_large_text_figures/ (git-ignored).
axe-core comes from npm, pinned in package-lock.json (scripts/install-axe.sh, `make test`).
"""

import pytest

from tests.e2e import a11y
from tests.e2e.conftest import DEMO_PASSWORD, SCREENSHOTS

pytestmark = pytest.mark.e2e


@pytest.fixture
def first_screens(request):
    folder = SCREENSHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)

    def _shot(page, name):
        page.screenshot(path=str(folder / f"{name}.png"))

    return _shot


def test_it_meets_wcag_and_the_large_text_figures(browser, live_url, first_screens):
    if not a11y.axe_available():
        pytest.fail(f"axe-core missing at {a11y.AXE_JS}: run scripts/install-axe.sh", pytrace=False)
    problems, admin_known, stats = a11y.crawl(browser, live_url, DEMO_PASSWORD, shots=first_screens)
    print(f"accessibility crawl: {stats}")
    print(f"Django admin (known, not failed): {sum(admin_known.values())} violations")
    for where, count in admin_known.items():
        print(f"  {where}: {count}")
    # The crawl reached the pages of every role (a broken sign-in would check only a few).
    assert stats["url_names"] >= 40, stats
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
