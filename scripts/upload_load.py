"""Upload load test: 10 near-limit photo uploads at once against gunicorn, production settings.

    .venv/bin/python scripts/upload_load.py [--uploads 10] [--workers 3] [--threads 8]

Goal (issue 16, finding 5): every gunicorn worker's resident memory stays under 300 MiB,
`/healthz` answers in under 1 s throughout, and no upload gets a 500.

What it does, and undoes at the end even on failure:

- creates a scratch database `<name of DATABASE_URL's database>_uploadload` on the same
  PostgreSQL server (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal), migrates
  it, adds one resident account per upload (each linked to a flat, each with a session) and
  drops it again afterwards;
- starts gunicorn as deployed (README, `make run`) with production settings: DEBUG off, N
  gthread workers with 8 threads each (`--threads 1`: plain sync workers, as before),
  --timeout 30, the connection pool opened at one connection a thread
  (DATABASE_POOL_MIN), CACHE_URL=locmem://, private files in a temporary directory;
- sends the uploads in parallel: each a resident reporting a need (POST /me/needs/new/) with
  one photo just under the pixel budget — a one-colour PNG (the finding's shape: a small
  file that decodes big) or a noisy JPEG of the same size (a real camera photo's cost) —
  while one thread asks /healthz every 100 ms and another samples every worker's RSS from
  /proc every 20 ms.

Prints a markdown table per kind of upload; the README's figures come from it.
"""

import argparse
import contextlib
import http.client
import io
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import psycopg
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
CSRF_TOKEN = secrets.token_hex(16)

FIXTURE = """
import datetime
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from neighborhoods import models as nb
from portal.models import User

district = nb.District.objects.create(name="杨浦区")
subdistrict = nb.Subdistrict.objects.create(district=district, name="四平路街道")
neighbourhood = nb.Neighbourhood.objects.create(subdistrict=subdistrict, name="公交新村居民区")
building = nb.Building.objects.create(neighbourhood=neighbourhood, number="1号")
for n in range(COUNT):
    household = nb.Household.objects.create(building=building, room=str(101 + n))
    user = User.objects.create_user(f"load{n}", first_name=f"居民{n}")
    nb.Resident.objects.create(
        household=household, name=f"居民{n}", birth_date=datetime.date(1980, 5, 1), user=user
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print(session.session_key)
"""


def near_limit_png():
    """One colour, 4,890 × 4,890 = 23.9 Mpx (the budget is 24 Mpx): ~80 KB on the wire."""
    buffer = io.BytesIO()
    Image.new("RGB", (4890, 4890), (200, 60, 40)).save(buffer, "PNG")
    return "bomb.png", "image/png", buffer.getvalue()


def near_limit_jpeg():
    """6,000 × 4,000 = 24 Mpx with some detail, just under the 5 MB file limit."""
    noise = Image.effect_noise((1500, 1000), 40).resize((6000, 4000)).convert("RGB")
    for quality in (60, 45, 30, 20, 10):
        buffer = io.BytesIO()
        noise.save(buffer, "JPEG", quality=quality)
        if buffer.tell() < 4.9 * 1024 * 1024:
            break
    return "camera.jpg", "image/jpeg", buffer.getvalue()


def multipart(fields, file_field, filename, content_type, data):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
    )
    body = "".join(parts).encode() + head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def request(port, method, path, *, session=None, body=None, content_type=None, timeout=60):
    headers = {"Host": "127.0.0.1", "Accept-Language": "zh-hans"}
    if session:
        headers["Cookie"] = f"sessionid={session}; csrftoken={CSRF_TOKEN}"
    if content_type:
        headers["Content-Type"] = content_type
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def worker_pids(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    with contextlib.suppress(OSError):
        return [int(pid) for pid in children.read_text().split()]
    return []


def rss_mib(pid):
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


def run_round(port, master_pid, sessions, upload):
    filename, content_type, data = upload
    stop = threading.Event()
    peaks, health, statuses = {}, [], []

    def sample_memory():
        while not stop.is_set():
            for pid in worker_pids(master_pid):
                value = rss_mib(pid)
                if value is not None:
                    peaks[pid] = max(peaks.get(pid, 0), value)
            time.sleep(0.02)

    def poll_health():
        while not stop.is_set():
            started = time.monotonic()
            try:
                status = request(port, "GET", "/healthz", timeout=30)
            except OSError:
                status = None
            health.append((time.monotonic() - started, status))
            time.sleep(0.1)

    def send(session, n):
        fields = {
            "csrfmiddlewaretoken": CSRF_TOKEN,
            "category": "housing",
            "urgency": "normal",
            "description": f"楼道灯坏了 {n}",
        }
        body, ctype = multipart(fields, "photo", filename, content_type, data)
        started = time.monotonic()
        try:
            status = request(
                port, "POST", "/me/needs/new/", session=session, body=body, content_type=ctype
            )
        except OSError as error:
            status = f"error: {error}"
        statuses.append((status, time.monotonic() - started))

    baseline = {pid: rss_mib(pid) for pid in worker_pids(master_pid)}
    threads = [threading.Thread(target=sample_memory), threading.Thread(target=poll_health)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    senders = [threading.Thread(target=send, args=(s, n)) for n, s in enumerate(sessions)]
    started = time.monotonic()
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join()
    elapsed = time.monotonic() - started
    time.sleep(0.3)
    stop.set()
    for thread in threads:
        thread.join()
    return {
        "file": f"{filename} ({len(data) / 1024:.0f} KB)",
        "baseline": baseline,
        "peaks": peaks,
        "health_max": max(latency for latency, _ in health),
        "health_bad": sum(1 for _, status in health if status != 200),
        "health_count": len(health),
        "statuses": sorted(str(status) for status, _ in statuses),
        "slowest": max(seconds for _, seconds in statuses),
        "elapsed": elapsed,
    }


def report(result):
    peak = max(result["peaks"].values())
    baseline = max(v for v in result["baseline"].values() if v)
    five_hundreds = sum(1 for s in result["statuses"] if s.startswith("5") or "error" in s)
    rows = [
        ("upload", result["file"]),
        ("answers", ", ".join(result["statuses"])),
        ("500s or dropped connections", str(five_hundreds)),
        ("all 10 done in", f"{result['elapsed']:.1f} s (slowest {result['slowest']:.1f} s)"),
        ("worker RSS before", f"{baseline:.0f} MiB (largest)"),
        ("worker RSS peak", ", ".join(f"{v:.0f}" for v in result["peaks"].values()) + " MiB"),
        ("/healthz slowest", f"{result['health_max'] * 1000:.0f} ms of "
         f"{result['health_count']} (non-200: {result['health_bad']})"),
        ("goal met", "yes" if peak < 300 and result["health_max"] < 1 and not five_hundreds
         else "NO"),
    ]  # fmt: skip
    lines = ["| measure | value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--threads", type=int, default=8, help="gthread threads per worker (1: sync workers)"
    )
    parser.add_argument("--web-port", type=int, default=58091)
    args = parser.parse_args()

    server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    parts = urllib.parse.urlsplit(server_url)
    scratch = f"{parts.path.lstrip('/') or 'portal'}_uploadload"
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    database_url = urllib.parse.urlunsplit(parts._replace(path=f"/{scratch}"))
    directory = Path(tempfile.mkdtemp(prefix="upload-load-"))
    gunicorn = None
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        connection.execute(f'CREATE DATABASE "{scratch}"')
    try:
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{args.web_port}",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "DATABASE_POOL": "true",
            "DATABASE_POOL_MIN": str(args.threads),  # as deployed: one connection a thread
            "CACHE_URL": "locmem://",
            "MEDIA_ROOT": str(directory / "media"),
            "PRIVATE_MEDIA_ROOT": str(directory / "private"),
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        manage = [sys.executable, str(ROOT / "manage.py")]
        print("migrating the scratch database…", flush=True)
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
        )
        fixture = FIXTURE.replace("COUNT", str(args.uploads * 2))
        sessions = subprocess.run(
            [*manage, "shell", "-c", fixture],
            env=env, check=True, cwd=ROOT, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        log = (directory / "gunicorn.log").open("w")
        gunicorn = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "portal.wsgi",
                "--bind", f"127.0.0.1:{args.web_port}",
                "--workers", str(args.workers), "--timeout", "30",
                "--worker-class", "gthread" if args.threads > 1 else "sync",
                "--threads", str(args.threads),
                "--no-control-socket",
            ],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                if request(args.web_port, "GET", "/healthz", timeout=2) == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer /healthz")
            time.sleep(0.2)
        for _ in range(args.workers * 2):  # warm every worker (imports, the pool)
            request(args.web_port, "GET", "/healthz")
        print(
            f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cores, gunicorn "
            f"{args.workers} workers × {args.threads} threads "
            f"({'gthread' if args.threads > 1 else 'sync'}), {args.uploads} uploads at once "
            "(one account each).\n",
            flush=True,
        )
        for n, make in enumerate([near_limit_png, near_limit_jpeg]):
            batch = sessions[n * args.uploads : (n + 1) * args.uploads]
            print(report(run_round(args.web_port, gunicorn.pid, batch, make())), flush=True)
            print(flush=True)
        errors = [line for line in (directory / "gunicorn.log").read_text().splitlines()
                  if "WORKER TIMEOUT" in line or "Traceback" in line]  # fmt: skip
        print(f"gunicorn log: {len(errors)} worker timeouts or tracebacks")
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                gunicorn.wait(timeout=15)
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


if __name__ == "__main__":
    main()
