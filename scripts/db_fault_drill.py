"""Database fault drill: restart and stop PostgreSQL under a running portal, and measure.

    .venv/bin/python scripts/db_fault_drill.py [--outages 10,40]

Builds everything it needs and tears it all down at the end, even on failure:

- a private PostgreSQL cluster in a temporary directory (initdb from /usr/lib/postgresql/15/bin,
  trust authentication, a Unix socket in that directory only, no TCP), with a database that
  `manage.py migrate` fills and one resident account (李梅, linked to a household) for writes
  (`collectstatic` also runs, into var/static as `make run` does);
- gunicorn with production settings (DEBUG off, 3 sync workers, the connection pool on,
  CACHE_URL=locmem://) on 127.0.0.1.

Scenarios:

- idle restart: the portal has pooled connections, nobody uses it while PostgreSQL restarts
  (`pg_ctl stop -m fast`, then start), then requests come;
- outage under load: a few threads keep reading (`/healthz`, `/`) and writing while
  PostgreSQL is stopped for N seconds, then started again.

A write is a resident reporting a need (POST /me/needs/new/) with a description of its own;
it is acknowledged when the portal answers with the redirect to the list of needs. After
each scenario every acknowledged description must be in the database. "The database is
back" is the moment the drill's own connection first succeeds after the start; "first
success" is the first successful response received after that moment.

Prints a markdown table; the figures in the README's "Database faults" come from it. Only
the private cluster is ever stopped. Runs in under 3 minutes (mostly the migrations).
"""

import argparse
import contextlib
import http.client
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = "drill"
CSRF_TOKEN = secrets.token_hex(16)  # 32 characters, the form of Django's CSRF secret

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
household = nb.Household.objects.create(building=building, room="302")
user = User.objects.create_user("drill", first_name="李梅")
nb.Resident.objects.create(
    household=household, name="李梅", birth_date=datetime.date(1980, 5, 1), user=user
)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


@dataclass
class Result:
    kind: str  # "read" or "write"
    path: str
    started: float
    ended: float
    status: int | None  # None: no HTTP answer at all
    ok: bool
    description: str = ""

    @property
    def latency(self):
        return self.ended - self.started


@dataclass
class Cluster:
    directory: Path
    port: int
    as_postgres: list = field(default_factory=list)

    @property
    def data(self):
        return self.directory / "data"

    @property
    def socket_dir(self):
        return self.directory / "socket"

    def run(self, *args, **kwargs):
        return subprocess.run(
            [*self.as_postgres, *map(str, args)], check=True, capture_output=True, **kwargs
        )

    def create(self):
        self.data.mkdir()
        self.socket_dir.mkdir()
        if self.as_postgres:  # initdb refuses to run as root
            shutil.chown(self.directory, "postgres")
            shutil.chown(self.data, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self.run(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self.wait_until_back()
        self.run(
            PG_BIN / "createdb", "-h", self.socket_dir, "-p", self.port, "-U", "postgres", DATABASE
        )

    def start(self):
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=''"
        log = self.directory / "postgres.log"
        self.run(PG_BIN / "pg_ctl", "start", "-D", self.data, "-l", log, "-o", options, "-W")

    def stop(self, mode="fast"):
        self.run(PG_BIN / "pg_ctl", "stop", "-D", self.data, "-m", mode, "-w")

    def connect(self, dbname=DATABASE):
        return psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user="postgres",
            dbname=dbname,
            connect_timeout=2,
        )

    def wait_until_back(self, timeout=30):
        """The moment a new connection first succeeds (polled every 20 ms)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.connect("postgres").close()
                return time.monotonic()
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    @property
    def url(self):
        host = urllib.parse.quote(str(self.socket_dir), safe="")
        return f"postgres://postgres@{host}:{self.port}/{DATABASE}"


class Portal:
    def __init__(self, port, session_key):
        self.port = port
        self.session_key = session_key
        self.counter = 0
        self.lock = threading.Lock()

    def request(self, method, path, body=None, timeout=20):
        headers = {
            "Host": "127.0.0.1",
            "Accept-Language": "zh-hans",
            "Cookie": f"sessionid={self.session_key}; csrftoken={CSRF_TOKEN}",
        }
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status, response.getheader("Location", "")
        finally:
            connection.close()

    def read(self, path):
        started = time.monotonic()
        try:
            status, _ = self.request("GET", path)
        except OSError:
            status = None
        return Result("read", path, started, time.monotonic(), status, status == 200)

    def write(self, label):
        with self.lock:
            self.counter += 1
            description = f"drill {label} #{self.counter}: 楼道灯坏了"
        body = {
            "csrfmiddlewaretoken": CSRF_TOKEN,
            "category": "housing",
            "urgency": "normal",
            "description": description,
        }
        started = time.monotonic()
        try:
            status, location = self.request("POST", "/me/needs/new/", body)
        except OSError:
            status, location = None, ""
        acknowledged = status == 302 and location.rstrip("/").endswith("/me/needs")
        return Result(
            "write", "/me/needs/new/", started, time.monotonic(), status, acknowledged, description
        )

    def wait_until_up(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.read("/healthz").ok:
                return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz")


def load(portal, label, stop, results, readers=2, writers=2, pause=0.05):
    """Threads issuing one request after another (bounded: each waits for its answer)."""

    def reader(number):
        paths = ["/healthz", "/"]
        count = 0
        while not stop.is_set():
            results.append(portal.read(paths[(count + number) % 2]))
            count += 1
            time.sleep(pause)

    def writer():
        while not stop.is_set():
            results.append(portal.write(label))
            time.sleep(pause)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    threads += [threading.Thread(target=writer) for _ in range(writers)]
    for thread in threads:
        thread.start()
    return threads


def scenario(cluster, portal, label, outage, under_load):
    results = []
    stop = threading.Event()
    if under_load:
        threads = load(portal, label, stop, results)
        time.sleep(3)
    else:
        # Every worker takes pooled connections, then the portal is left alone.
        for _ in range(4):
            threads = load(portal, label, stop, results, readers=3, writers=1, pause=0)
            time.sleep(0.5)
            stop.set()
            for thread in threads:
                thread.join()
            stop.clear()
        results.clear()
        threads = []
    down = time.monotonic()
    cluster.stop("fast")
    time.sleep(outage)
    cluster.start()
    back = cluster.wait_until_back()
    if not under_load:
        threads = load(portal, label, stop, results)
    time.sleep(8)
    stop.set()
    for thread in threads:
        thread.join()

    stored = set()
    with cluster.connect() as connection:
        rows = connection.execute(
            "SELECT description FROM neighborhoods_need WHERE description LIKE %s",
            (f"drill {label} #%",),
        )
        stored = {row[0] for row in rows}

    during = [r for r in results if down <= r.started < back]
    after = [r for r in results if r.started >= back]
    first_success = min((r.ended for r in results if r.ok and r.ended >= back), default=None)
    acknowledged = [r for r in results if r.kind == "write" and r.ok]
    return {
        "scenario": label,
        "requests": len(results),
        "before failed": sum(not r.ok for r in results if r.started < down),
        "during": len(during),
        "during 503": sum(r.status == 503 for r in during),
        "during other": sum(r.status != 503 and not r.ok for r in during),
        "during max latency": max((r.latency for r in during), default=0.0),
        "after": len(after),
        "after failed": sum(not r.ok for r in after),
        "after max latency": max((r.latency for r in after), default=0.0),
        "to first success": None if first_success is None else first_success - back,
        "acknowledged": len(acknowledged),
        "lost": sum(r.description not in stored for r in acknowledged),
        "unacknowledged stored": sum(
            r.description in stored for r in results if r.kind == "write" and not r.ok
        ),
        "statuses": sorted({str(r.status) for r in results}),
    }


def table(rows):
    lines = [
        "| scenario | requests | during the outage: requests, 503, other failures, slowest "
        "| after the database is back: failed, first success, slowest "
        "| writes acknowledged, lost |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        first = row["to first success"]
        first = "never" if first is None else f"{first:.2f} s"
        lines.append(
            f"| {row['scenario']} | {row['requests']} "
            f"| {row['during']}, {row['during 503']}, {row['during other']}, "
            f"{row['during max latency']:.1f} s "
            f"| {row['after failed']} of {row['after']}, {first}, "
            f"{row['after max latency']:.2f} s "
            f"| {row['acknowledged']}, {row['lost']} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outages", default="10,40", help="outage lengths in seconds")
    parser.add_argument("--pg-port", type=int, default=55433)
    parser.add_argument("--web-port", type=int, default=58081)
    args = parser.parse_args()
    outages = [int(seconds) for seconds in args.outages.split(",") if seconds]

    directory = Path(tempfile.mkdtemp(prefix="db-fault-drill-"))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    cluster = Cluster(directory, args.pg_port, as_postgres)
    gunicorn = None
    gunicorn_log = directory / "gunicorn.log"
    started = time.monotonic()
    try:
        cluster.create()
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{args.web_port}",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": cluster.url,
            "DATABASE_POOL": "true",
            "CACHE_URL": "locmem://",
            "MEDIA_ROOT": str(directory / "media"),
            "PRIVATE_MEDIA_ROOT": str(directory / "private"),
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        manage = [sys.executable, str(ROOT / "manage.py")]
        print("migrating the private database…", flush=True)
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
        )
        session_key = subprocess.run(
            [*manage, "shell", "-c", FIXTURE],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        with gunicorn_log.open("w") as log:
            gunicorn = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "portal.wsgi",
                    "--bind",
                    f"127.0.0.1:{args.web_port}",
                    "--workers",
                    "3",
                    "--timeout",
                    "30",
                    # Not the shared ~/.gunicorn/gunicorn.ctl of other gunicorns on the machine.
                    "--no-control-socket",
                ],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        portal = Portal(args.web_port, session_key)
        portal.wait_until_up()

        rows = []
        print("idle restart…", flush=True)
        rows.append(scenario(cluster, portal, "idle restart", 0, under_load=False))
        for seconds in outages:
            print(f"{seconds} s outage under load…", flush=True)
            rows.append(scenario(cluster, portal, f"{seconds} s outage, load", seconds, True))

        log_text = gunicorn_log.read_text(errors="replace")
        print()
        print(
            f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cores, "
            f"{time.monotonic() - started:.0f} s in all; gunicorn 3 sync workers, "
            f"DATABASE_POOL_TIMEOUT={os.environ.get('DATABASE_POOL_TIMEOUT', '(default)')}; "
            "2 reader and 2 writer threads."
        )
        print()
        print(table(rows))
        print()
        for row in rows:
            print(
                f"- {row['scenario']}: statuses seen {', '.join(row['statuses'])}; failures "
                f"before the fault {row['before failed']}; writes answered as failed but "
                f"stored {row['unacknowledged stored']}"
            )
        print(
            f"- gunicorn log: {log_text.count('Database unavailable, answered 503')} "
            f"'Database unavailable' lines, {log_text.count('Traceback')} tracebacks, "
            f"{log_text.count('WORKER TIMEOUT')} worker timeouts"
        )
        failed = any(row["after failed"] or row["lost"] for row in rows)
        return 1 if failed else 0
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=15)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
                gunicorn.wait()
        if cluster.data.exists():
            with contextlib.suppress(subprocess.CalledProcessError):  # not running
                cluster.stop("immediate")
        if os.environ.get("DRILL_KEEP"):
            print(f"kept {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
