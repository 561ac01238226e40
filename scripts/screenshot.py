"""Take headless-Chromium screenshots of pages, at phone width and desktop.

    python scripts/screenshot.py http://127.0.0.1:8000 / /notices/ --login huyun --large
Screenshots go to var/screenshots/. Used by developers to look at what they build.
"""

import argparse
import os
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--login")
    parser.add_argument("--password", default="demo12345")
    parser.add_argument("--large", action="store_true", help="large-text mode")
    parser.add_argument("--out", default="var/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width, height, label in [(360, 780, "phone"), (1280, 900, "desktop")]:
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="zh-CN"
            )
            page = context.new_page()
            if args.login:
                page.goto(args.base + "/accounts/login/")
                page.fill("input[name=login]", args.login)
                page.fill("input[name=password]", args.password)
                page.click("form.card button[type=submit]")
            if args.large:
                context.add_cookies([{"name": "large_text", "value": "1", "url": args.base}])
            for path in args.paths:
                page.goto(args.base + path)
                name = re.sub(r"[^a-z0-9]+", "_", path.lower()).strip("_") or "home"
                who = args.login or "anon"
                suffix = "_large" if args.large else ""
                target = out / f"{name}_{who}_{label}{suffix}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
