"""Run the accessibility crawl (tests/e2e/test_accessibility.py) against a running server.

    DJANGO_SETTINGS_MODULE=portal.settings python scripts/a11y_crawl.py http://127.0.0.1:8000 \
        [--role huyun]
Prints each axe violation and each large-text measurement below the figures.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e import a11y  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--role", action="append")
    parser.add_argument("--password", default="demo12345")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=ARGS
        )
        problems, admin, stats = a11y.crawl(
            browser, args.base.rstrip("/"), args.password, args.role
        )
        browser.close()
    print("\n".join(problems))
    print(stats, "admin known:", sum(admin.values()), "in", len(admin), "loads")


if __name__ == "__main__":
    main()
