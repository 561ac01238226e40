"""`make benchmark`: the main pages under gunicorn and wrk on the district-sized demo,
each compared with a bare Django view in the same run (issue 14).

    make benchmark      (or: python benchmarks/run.py [--duration 4] [--pages notices] …)

1. The database (default portal_bench) is made, migrated and seeded with
   `seed_demo --scale district` when it has no district yet (the seed is timed).
2. gunicorn boots with the production settings (DEBUG off; benchmarks.settings adds only
   the yardsticks of benchmarks/urls.py: the bare view /__hello__/, which every page is
   compared with, and two floors measured like pages: the bare view signed in, and a
   staff page's checks and access record alone), 3 sync workers, Redis as the cache
   (CACHE_URL).
   The dashboards' figures are computed once (manage.py refresh_dashboards, the job the
   scheduler runs every 5 minutes in production) and kept for the run.
3. `open_watch_alerts` and `ANALYZE` run before the first page and every 4 minutes
   between pages, as the scheduler and autovacuum do in production (class Upkeep).
   For each page, as the right signed-in user (sessions made here with SessionStore and
   marked MFA-passed for staff, as after a password and a TOTP code), wrk runs against the
   bare view, then the page, at 32 connections, then the same at 1 connection. The ratio
   is the page's requests per second over the bare view's, measured back to back so that
   the other load on the machine weighs on both.
4. Query counts per page come from Django's test client with CaptureQueriesContext, on
   the district and (--small-database-url) on the ordinary demo; every SELECT a page runs
   is EXPLAINed, and a sequential scan of a table over 10,000 rows is reported.
5. Unless --no-small, a second gunicorn (next port) serves the ordinary demo, its sessions
   made in that database by a child run, and each page is measured there and then on the
   district, back to back, --repeats times (default 3): the tables show the medians, and
   the district's c1 p50 over the small demo's (the median of the pairs' ratios) against
   issue 14's target, no page slower on the district by more than 20 %.

Results are printed and written at the top of benchmarks/RESULTS.md (the sections below
the first "## " heading after ours are kept).
"""

import argparse
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BIG_TABLE_ROWS = 10_000
MARKER = "<!-- benchmarks/run.py: district results (kept above the other sections) -->"
SMALL_LIMIT = 1.20  # issue 14: no page slower on the district than on the small demo by > 20 %

# (who, path, target ratio); "{notice}", "{household}", "{deep}" are filled in after setup.
PAGES = [
    ("anonymous", "/", 0.60),
    ("anonymous", "/notices/", 0.60),
    ("anonymous", "/notices/{notice}/", 0.60),
    ("anonymous", "/activities/", 0.60),
    ("anonymous", "/topics/", 0.60),
    ("anonymous", "/centres/", 0.60),
    # The floors: a bare view signed in, and a staff page's checks and access record alone.
    ("resident", "/__hello__/signed-in/", 0.25),
    ("huyun", "/__hello__/staff/", 0.25),
    ("resident", "/", 0.25),
    ("resident", "/me/", 0.25),
    ("huyun", "/staff/", 0.25),
    ("huyun", "/staff/households/", 0.25),
    ("huyun", "/staff/households/?care=alone", 0.25),
    ("huyun", "/staff/households/?page={deep}", 0.25),
    ("huyun", "/staff/households/{household}/", 0.25),
    ("huyun", "/staff/watch/", 0.25),
    ("huyun", "/staff/needs/", 0.25),
    ("huyun", "/staff/map/", 0.25),
    ("huyun", "/dashboard/", 0.25),
    ("admin", "/dashboard/", 0.25),
]
HELLO = "/__hello__/"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/portal_bench")
    parser.add_argument(
        "--small-database-url",
        default="postgres://postgres@127.0.0.1:5432/portal_bench_small",
        help="the ordinary demo, for the query counts small → district (made if missing)",
    )
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/9",
        help="a Redis database of the benchmark's own: it is emptied (FLUSHDB) at the start",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--duration", type=int, default=4, help="seconds per wrk run")
    parser.add_argument(
        "--pages", default="", help='only pages whose "who path" contains this ("anonymous ")'
    )
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--label", default="", help="a note for RESULTS.md (e.g. 'before')")
    parser.add_argument(
        "--no-small",
        action="store_true",
        help="do not measure the pages on the small demo too (district against small)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=0,
        help="runs of each page (small, then district), of which the median: "
        "default 3, or 1 with --no-small",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--replica-url",
        default="",
        help="a streaming replica of --database-url: measure visitors' pages (their cache "
        "off) without and with reads from it (benchmarks/replica.sh makes the two clusters)",
    )
    args = parser.parse_args()
    if args.replica_url:
        return main_replica(args)

    env = bench_env(args.database_url, args.cache_url, args.port)
    if args.child:  # a child run on the small demo: its query counts, paths and sessions
        setup_django(env)
        pages = resolve_pages(PAGES, args.pages)
        print(json.dumps({
            "counts": query_counts(pages),
            "paths": {f"{who} {pattern}": path for who, pattern, path, _ in pages},
            "cookies": make_sessions({who for who, *_ in pages}),
        }))  # fmt: skip
        return
    args.repeats = args.repeats or (1 if args.no_small else 3)

    seed_seconds = ensure_seeded(args.database_url, env, scale="district")
    ensure_seeded(args.small_database_url, bench_env(args.small_database_url, args.cache_url,
                                                     args.port), scale="demo")  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    subprocess.run(["redis-cli", "-u", args.cache_url, "FLUSHDB"], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    small_env = {**bench_env(args.small_database_url, args.cache_url, args.port + 1),
                 "BENCHMARK_CACHE_PREFIX": "small"}  # fmt: skip
    setup_django(env)
    pages = resolve_pages(PAGES, args.pages)
    cookies = make_sessions({who for who, *_ in pages})
    counts = query_counts(pages)
    small = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--child", "--database-url", args.small_database_url,
             "--cache-url", args.cache_url, "--pages", args.pages],
            env=env, check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
    )  # fmt: skip
    scans = seq_scans(pages)
    # The small demo's own gunicorn (small_env: its cache keys apart from the district's)
    small_args = argparse.Namespace(**{**vars(args), "port": args.port + 1})
    small_server = nullcontext() if args.no_small else gunicorn(small_env, args.port + 1)
    # The dashboards' figures, as the scheduler's refresh_dashboards keeps them in
    # production (every 5 minutes): computed once here (after the query counts, which
    # empty the cache) and kept for the whole run.
    for each_env in (env, small_env):
        subprocess.run([sys.executable, "manage.py", "refresh_dashboards"], cwd=ROOT,
                       env=each_env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    upkeep = Upkeep([env] if args.no_small else [env, small_env])
    with gunicorn(env, args.port), small_server:
        rows = []
        for who, pattern, path, target in pages:
            upkeep.keep_fresh()
            key = f"{who} {pattern}"
            small_path, small_runs, runs = small["paths"][key], [], []
            for _ in range(args.repeats):
                if not args.no_small:  # right before the district: the same load on both
                    small_runs.append(
                        measure(small_args, who, small_path, small["cookies"].get(who))
                    )
                runs.append(measure(args, who, path, cookies.get(who)))
            c1_p50s = [(s[1]["page"]["p50"], d[1]["page"]["p50"])  # none with --no-small
                       for s, d in zip(small_runs, runs, strict=False)]  # fmt: skip
            row = median_of(runs)
            row.update(
                who=who, path=path, target=target, queries=counts[key][1],
                status=counts[key][0], small_queries=small["counts"][key][1],
                scans=scans.get(key, []), small_path=small_path,
                small=median_of(small_runs) if small_runs else None,
                vs_small=versus_small(c1_p50s),
            )  # fmt: skip
            rows.append(row)
            print(format_row(row), flush=True)
            if row["vs_small"]:
                print(format_small_row(row), flush=True)
    text = report(rows, seed_seconds, args)
    print(text)
    if not args.no_write and not args.pages:
        write_results(text)


class Upkeep:
    """What runs beside the portal in production, run here between pages (never during a
    measurement), every 4 minutes:

    - `open_watch_alerts`, as the scheduler runs it: staff pages are then measured as staff
      see them, without the red "the watch job has stopped" banner;
    - `ANALYZE`, as autovacuum does: this machine's PostgreSQL runs with autovacuum off,
      and the requests grow the access log by a million rows in a run. Without fresh
      statistics, each worker's connection kept the plan it made for the foreign-key check
      of every access-log row while the table was nearly empty, a sequential scan: by the
      end of a full run the map, which records 430 households a request, took 137 ms at
      one connection instead of 34 (320,526 scans reading 1.3 billion rows).
    """

    EVERY = 4 * 60  # seconds; the banner comes after 15 minutes without a success

    def __init__(self, envs):
        self.envs, self.last = envs, None

    def keep_fresh(self):
        if self.last is not None and time.monotonic() - self.last < self.EVERY:
            return
        for each_env in self.envs:
            subprocess.run([sys.executable, "manage.py", "open_watch_alerts"], cwd=ROOT,
                           env=each_env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
            subprocess.run(["psql", each_env["DATABASE_URL"], "-qc", "ANALYZE"], check=True)
        self.last = time.monotonic()


def main_replica(args):
    """Visitors' pages, their page cache off, from two gunicorns on the same primary: one
    reading only the primary, one sending visitors' reads to the replica (portal/dbrouter)."""
    base = {**bench_env(args.database_url, args.cache_url, args.port), "VISITOR_PAGE_SECONDS": "0"}
    with_replica = {**base, "DATABASE_REPLICA_URL": args.replica_url}
    setup_django(base)
    pages = [p for p in resolve_pages(PAGES, args.pages) if p[0] == "anonymous"]
    rows = []
    with gunicorn(base, args.port), gunicorn(with_replica, args.port + 1):
        for _who, _pattern, path, _target in pages:
            row = {"path": path}
            for name, port in (("primary", args.port), ("replica", args.port + 1)):
                args_port = argparse.Namespace(**{**vars(args), "port": port})
                row[name] = measure(args_port, "anonymous", path, None)
            rows.append(row)
            print(row, flush=True)
    lines = [
        f"## Read replica: visitors' pages without and with it "
        f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        "",
        "`python benchmarks/run.py --replica-url …` on the same machine: a private primary "
        "and a streaming replica (benchmarks/replica.sh; the shared 5432 server untouched), "
        "the visitors' page cache off (VISITOR_PAGE_SECONDS=0) so that every request reads "
        "the database; two gunicorns (3 sync workers each, one at a time under load), one "
        "reading the primary only, one sending visitors' reads to the replica "
        "(portal/dbrouter.py). Ratio to the bare view of the same gunicorn.",
        "",
        "| page | primary only: ratio c32 | req/s | p99 ms c1 | with replica: ratio c32 "
        "| req/s | p99 ms c1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        p, r = row["primary"], row["replica"]
        lines.append(
            f"| `{row['path']}` | {p[32]['ratio']:.3f} | {p[32]['page']['rps']:.0f} | "
            f"{p[1]['page']['p99']:.1f} | {r[32]['ratio']:.3f} | {r[32]['page']['rps']:.0f} | "
            f"{r[1]['page']['p99']:.1f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        write_section(text, "## Read replica")


def write_section(text, heading):
    """Replace the section that starts with `heading` (or add it after ours)."""
    path = ROOT / "benchmarks" / "RESULTS.md"
    sections = re.split(r"(?m)^(?=## )", path.read_text())
    kept = [s for s in sections if not s.startswith(heading)]
    kept.insert(min(2, len(kept)), text + "\n")
    path.write_text("".join(s if s.endswith("\n\n") else s.rstrip() + "\n\n" for s in kept))


# --- Setup -----------------------------------------------------------------------------


def bench_env(database_url, cache_url, port):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        # refresh_dashboards runs once before the measurements: its figures last the run.
        "DASHBOARD_FIGURES_SECONDS": "7200",
    }


def ensure_seeded(database_url, env, *, scale):
    """Make, migrate and seed the database if it has no district; returns the seconds the
    seed took (None if it was there)."""
    name = database_url.rsplit("/", 1)[1]
    exists = subprocess.run(
        ["psql", database_url.rsplit("/", 1)[0] + "/postgres", "-Atc",
         f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608 (our own name)
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if exists:
        has_district = subprocess.run(
            ["psql", database_url, "-Atc",
             "SELECT count(*) FROM neighborhoods_neighbourhood"],
            capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        if has_district and has_district != "0":
            # The code's own migrations (a new index) on a database seeded before them.
            subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env,
                           check=True)  # fmt: skip
            return None
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name],
                       check=True)  # fmt: skip
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "createcachetable"], cwd=ROOT, env=env, check=True)
    started = time.perf_counter()
    subprocess.run([*manage, "seed_demo", "--scale", scale], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()


def resolve_pages(pages, only):
    from neighborhoods.models import Household
    from notices.models import Notice

    household = Household.objects.filter(building__neighbourhood__name="公交新村居民区").first()
    from django.db.models import Q
    from django.utils import timezone

    now = timezone.now()
    notice = (
        Notice.objects.filter(audience="public", publish_at__lte=now)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("-publish_at")
        .first()
    )
    count = Household.objects.filter(building__neighbourhood__name="公交新村居民区").count()
    deep = max(1, count // 25 - 1)
    return [
        (who, pattern, pattern.format(household=household.pk, notice=notice.pk, deep=deep),
         target)
        for who, pattern, target in pages
        if only in f"{who} {pattern}"
    ]  # fmt: skip


def make_sessions(users):
    """A session cookie per demo account, staff marked as past the TOTP step."""
    from django.conf import settings
    from django.test import Client

    from portal.models import User
    from portal.signin.mfa import mark_session_as_password_and_totp

    cookies = {}
    for who in users - {"anonymous"}:
        client = Client()
        user = User.objects.get(username=who)
        client.force_login(user)
        session = client.session
        mark_session_as_password_and_totp(session, user)
        session.save()
        cookies[who] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return cookies


def client_for(who):
    from django.test import Client

    from portal.models import User
    from portal.signin.mfa import mark_session_as_password_and_totp

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if who != "anonymous":
        user = User.objects.get(username=who)
        client.force_login(user)
        session = client.session
        mark_session_as_password_and_totp(session, user)
        session.save()
    return client


def query_counts(pages):
    """{"who path": [status, queries]} from the test client (second request: warm)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal import pagecache

    result = {}
    for who, pattern, path, _ in pages:
        client = client_for(who)
        cache.clear()  # the first request: what a visitor's page costs when not cached
        pagecache.forget()  # and this process's memo of the version, which outlives it
        with CaptureQueriesContext(connection) as cold:
            client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        count = str(len(queries)) if len(cold) == len(queries) else f"{len(queries)} ({len(cold)})"
        result[f"{who} {pattern}"] = [response.status_code, count]
    return result


def seq_scans(pages):
    """{"who path": ["table (rows)", …]}: sequential scans of tables over BIG_TABLE_ROWS in
    the plans of the page's SELECTs (first request, so that cached pages show their
    queries too)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal import pagecache

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        rows = dict(cursor.fetchall())
    found = {}
    for who, pattern, path, _ in pages:
        client = client_for(who)
        cache.clear()
        pagecache.forget()
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        big = set()
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            with connection.cursor() as cursor:
                try:
                    cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                except Exception as error:  # a query that cannot be re-run as text: say so
                    big.add(f"not explained: {type(error).__name__}")
                    continue
                plan = cursor.fetchone()[0]
            for table in scanned(plan[0]["Plan"] if isinstance(plan, list) else plan):
                if rows.get(table, 0) > BIG_TABLE_ROWS:
                    big.add(f"{table} ({int(rows[table]):,})")
        found[f"{who} {pattern}"] = sorted(big)
    return found


def scanned(node):
    if node.get("Node Type") == "Seq Scan":
        yield node["Relation Name"]
    for child in node.get("Plans", []):
        yield from scanned(child)


# --- gunicorn and wrk --------------------------------------------------------------------


class gunicorn:
    def __init__(self, env, port):
        self.env, self.port = env, port

    def __enter__(self):
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "portal.wsgi", "--workers", "3",
             "--worker-class", "sync", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning"],
            cwd=ROOT, env=self.env, start_new_session=True,
        )  # fmt: skip
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        # warm every worker: imports, template cache, connection pool
        for _ in range(30):
            subprocess.run(["curl", "-s", "-o", "/dev/null", self.url(HELLO)], check=False)
        return self

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(url, *, connections, duration, cookie=None):
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
               "--timeout", "10s",
               "-H", "Accept-Language: zh-hans"]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "bad": int(bad.group(1)) if bad else 0,
    }


def to_ms(text):
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def drain(url, limit=120):
    """Wait until the workers have finished what wrk left queued (a slow page's backlog
    would otherwise be measured as the next run's latency): the bare view answers fast
    three times in a row."""
    deadline, fast = time.monotonic() + limit, 0
    while fast < 3 and time.monotonic() < deadline:
        started = time.perf_counter()
        subprocess.run(["curl", "-s", "-o", "/dev/null", "-m", "60", url + HELLO], check=False)
        fast = fast + 1 if time.perf_counter() - started < 0.05 else 0


def measure(args, who, path, cookie):
    url = f"http://127.0.0.1:{args.port}"
    # One request first, as a warm cache would have it (the dashboards' figures take
    # seconds to compute once).
    curl = ["curl", "-s", "-o", "/dev/null", "-m", "120", "-H", "Accept-Language: zh-hans"]
    subprocess.run([*curl, *(["-H", f"Cookie: {cookie}"] if cookie else []), url + path],
                   check=False)  # fmt: skip
    row = {}
    for connections in (32, 1):
        hello = wrk(url + HELLO, connections=connections, duration=args.duration)
        page = wrk(url + path, connections=connections, duration=args.duration, cookie=cookie)
        drain(url)
        ratio = page["rps"] / hello["rps"] if hello["rps"] else 0.0
        row[connections] = {"hello": hello, "page": page, "ratio": ratio}
    return row


def median_of(runs):
    """measure()'s figures over repeated runs: the median of each (non-2xx answers: the sum)."""
    if isinstance(runs[0], dict):
        return {
            key: sum(r[key] for r in runs) if key == "bad" else median_of([r[key] for r in runs])
            for key in runs[0]
        }
    return statistics.median(runs)


def versus_small(pairs, limit=SMALL_LIMIT):
    """The district against the small demo from [(small c1 p50, district c1 p50), …], each
    pair measured back to back: the medians, the median of the pairs' ratios (the machine's
    other load moves both of a pair alike, not one pair and the next) and the verdict."""
    if not pairs:
        return None
    small, district = (statistics.median(p50s) for p50s in zip(*pairs, strict=True))
    if not all(s and d for s, d in pairs):  # wrk's p50 is 0 when no request finished
        return {"small": small, "district": district, "ratio": None,
                "verdict": "not measured: a run finished no request"}  # fmt: skip
    ratio = statistics.median(d / s for s, d in pairs)
    verdict = "ok" if ratio <= limit else f"slower by {(ratio - 1) * 100:.0f} %"
    return {"small": small, "district": district, "ratio": ratio, "verdict": verdict}


# --- Report ----------------------------------------------------------------------------


def format_row(row):
    c32, c1 = row[32], row[1]
    ok = "ok" if c32["ratio"] >= row["target"] and c1["page"]["p99"] <= 50 else "below target"
    bad = c32["page"]["bad"] + c1["page"]["bad"]
    return (
        f"| {row['who']} | `{row['path']}` | {row['status']} | {c32['ratio']:.3f} | "
        f"{c32['page']['rps']:.0f} / {c32['hello']['rps']:.0f} | {c32['page']['p50']:.1f} | "
        f"{c32['page']['p99']:.1f} | {c1['ratio']:.3f} | {c1['page']['p50']:.1f} | "
        f"{c1['page']['p99']:.1f} | {row['small_queries']} → {row['queries']} | "
        f"{', '.join(row['scans']) or 'none'} | {row['target']:.2f}: {ok}"
        f"{f' ({bad} non-2xx)' if bad else ''} |"
    )


def format_small_row(row):
    vs, page = row["vs_small"], f"`{row['path']}`"
    if row["small_path"] != row["path"]:
        page += f" (small: `{row['small_path']}`)"
    ratio = "—" if vs["ratio"] is None else f"{vs['ratio']:.2f}"
    bad = row["small"][32]["page"]["bad"] + row["small"][1]["page"]["bad"]
    bad = f" ({bad} non-2xx on the small demo)" if bad else ""
    return (
        f"| {row['who']} | {page} | {vs['small']:.1f} | {vs['district']:.1f} | {ratio} | "
        f"{row['small'][32]['page']['rps']:.0f} → {row[32]['page']['rps']:.0f} | "
        f"{SMALL_LIMIT:.2f}: {vs['verdict']}{bad} |"
    )


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}"


def report(rows, seed_seconds, args):
    from django.db import connection

    from portal import demo_district

    counts = demo_district.counts()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    seed = (
        f"`seed_demo --scale district` on an empty database: **{seed_seconds:.0f} s**."
        if seed_seconds
        else "The district database was already seeded (seed time: see the last full run)."
    )
    lines = [
        MARKER,
        "# Benchmark results",
        "",
        f"## Pages on the district dataset ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        f"{', ' + args.label if args.label else ''})",
        "",
        f"`make benchmark` (benchmarks/run.py) on {machine()}, PostgreSQL {pg}, Redis cache, "
        "gunicorn with 3 sync workers and production settings (DEBUG off), wrk "
        f"{args.duration} s per run, each page right after the bare view "
        "(`/__hello__/`, same middleware) at the same connections"
        f"{f'; the median of {args.repeats} runs' if args.repeats > 1 else ''}. Other agents "
        "shared the 2 cores, so absolute figures move between runs; the ratio much less.",
        "",
        f"District: {counts['neighbourhoods']} neighbourhoods, {counts['households']:,} "
        f"households, {counts['residents']:,} residents, {counts['workers']:,} workers, "
        f"{counts['visits']:,} visits, {counts['needs']:,} needs, {counts['notices']:,} "
        f"notices, {counts['activities']:,} activities, {counts['signups']:,} sign-ups, "
        f"{counts['messages']:,} messages. {seed}",
        "",
        "| who | page | status | ratio c32 | req/s page / bare | p50 ms c32 | p99 ms c32 | "
        "ratio c1 | p50 ms c1 | p99 ms c1 | queries small → district (not cached) | "
        "seq scans > 10k rows "
        "| target |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *[format_row(row) for row in rows],
        "",
    ]
    if any(row["vs_small"] for row in rows):
        lines += [
            "### The district against the small demo",
            "",
            "The same pages, the same users, on the ordinary demo (`seed_demo`, "
            f"{args.small_database_url.rsplit('/', 1)[1]}) under a second gunicorn like the "
            "first, each page measured there and right after on the district, "
            f"{args.repeats} times: the medians, and the median of the {args.repeats} "
            "pairs' ratios (district ÷ small c1 p50) against issue 14's target: no page "
            "slower on the district by more than 20 %. A path that names a row or a page "
            "number is the small demo's own there.",
            "",
            "| who | page | c1 p50 ms small | c1 p50 ms district | district / small "
            "| req/s c32 small → district | target |",
            "|---|---|---|---|---|---|---|",
            *[format_small_row(row) for row in rows if row["vs_small"]],
            "",
        ]
    return "\n".join(lines)


def write_results(text):
    """Our section first; then every section of the old file that is not ours."""
    path = ROOT / "benchmarks" / "RESULTS.md"
    old = path.read_text() if path.exists() else ""
    kept = []
    for section in re.split(r"(?m)^(?=## )", old):
        if section.startswith("## ") and not section.startswith("## Pages on the district"):
            kept.append(section.rstrip() + "\n")
    path.write_text(text + "\n" + "\n".join(kept))


if __name__ == "__main__":
    main()
