"""Take headless-Chromium screenshots of pages, at phone width and desktop.

    python scripts/screenshot.py http://127.0.0.1:8000 / /notices/ --login huyun --large
Screenshots go to var/screenshots/. Used by developers to look at what they build.
Staff accounts are asked for a TOTP code: the script types the one for DEMO_TOTP_SECRET (the
demo's, by default), signing in once and reusing the session for both widths.
"""

import argparse
import base64
import hashlib
import hmac
import os
import re
import struct
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DEMO_TOTP_SECRET = os.environ.get("DEMO_TOTP_SECRET", "MULINSHEQUYUNDEMOSTAFFTOTP234567")
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
        state = sign_in(browser, args) if args.login else None
        for width, height, label in [(360, 780, "phone"), (1280, 900, "desktop")]:
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="zh-CN", storage_state=state
            )
            page = context.new_page()
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


def sign_in(browser, args):
    """Sign in once (password, then the TOTP code for staff); the session for both widths."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(args.base + "/accounts/login/")
    page.fill("input[name=login]", args.login)
    page.fill("input[name=password]", args.password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        page.fill("input[name=code]", totp_now(DEMO_TOTP_SECRET))
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    if "/accounts/" in page.url:
        raise SystemExit(f"could not sign in as {args.login}: still on {page.url}")
    state = context.storage_state()
    context.close()
    return state


def totp_now(secret):
    """RFC 6238: the 6-digit code an authenticator app shows now (30-second steps, SHA-1)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


if __name__ == "__main__":
    main()
