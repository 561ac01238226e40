"""Measure the figures the issues ask for, on a fresh PostgreSQL database (full demo district).

    make benchmark            (or: python benchmarks/run.py [--database-url …] [--repeat 20])

It drops and creates the database `portal_bench` (by default), migrates, times `seed_demo`
(issue: "finishes in well under a minute"; budget SEED_BUDGET_SECONDS, which the test suite
used to assert and no longer does: timings belong here, not in tests), then signs in as the
demo accounts and times the main pages with Django's test client (median and worst of
--repeat requests, and the number of SQL queries per request). Results are printed and
written to benchmarks/RESULTS.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED_BUDGET_SECONDS = 20  # the full district; the issue asks for "well under a minute"
PAGES = [
    # (who, path) — paths resolved after seeding; "{household}" is one of huyun's households.
    ("anonymous", "/"),
    ("resident", "/"),
    ("resident", "/me/"),
    ("huyun", "/staff/"),
    ("huyun", "/staff/households/"),
    ("huyun", "/staff/households/?care=alone"),
    ("huyun", "/staff/households/?q=302"),
    ("huyun", "/staff/households/{household}/"),
    ("yangying", "/staff/households/"),
    ("admin", "/staff/households/"),
]
OPTIONAL_PAGES = [
    ("huyun", "/staff/watch/"),
    ("huyun", "/staff/needs/"),
    ("huyun", "/staff/map/"),
    ("anonymous", "/notices/"),
    ("resident", "/notices/"),
    ("anonymous", "/topics/"),
    ("admin", "/dashboard/"),
    ("huyun", "/dashboard/"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/portal_bench")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "true",
        "ALLOWED_HOSTS": "testserver,localhost",
    }
    name = args.database_url.rsplit("/", 1)[1]
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "createcachetable"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run([*manage, "seed_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    seed_seconds = time.perf_counter() - started

    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    from neighborhoods.models import Household
    from portal.models import User

    household = Household.objects.filter(building__neighbourhood__name="公交新村居民区").first()
    rows = []
    pages = PAGES + [p for p in OPTIONAL_PAGES if _exists(resolve, Resolver404, p[1])]
    for who, path in pages:
        path = path.format(household=household.pk)
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        if who != "anonymous":
            client.force_login(User.objects.get(username=who))
        client.get(path)  # warm up
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
        rows.append(
            (
                who,
                path,
                response.status_code,
                statistics.median(timings),
                max(timings),
                len(queries),
            )
        )

    lines = [
        "# Benchmark results",
        "",
        f"Measured by `benchmarks/run.py` on {time.strftime('%Y-%m-%d %H:%M')} Asia/Shanghai "
        f"({os.cpu_count()} cores), PostgreSQL, full demo district "
        f"({Household.objects.count()} households).",
        "",
        f"- `seed_demo` on an empty database: **{seed_seconds:.1f} s** "
        f"(budget {SEED_BUDGET_SECONDS} s: "
        f"{'within' if seed_seconds < SEED_BUDGET_SECONDS else 'OVER'})",
        "",
        "| who | page | status | median ms | worst ms | SQL queries |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {w} | `{p}` | {s} | {m:.1f} | {x:.1f} | {q} |" for w, p, s, m, x, q in rows]
    text = "\n".join(lines) + "\n"
    (ROOT / "benchmarks" / "RESULTS.md").write_text(text)
    print(text)


def _exists(resolve, Resolver404, path):
    try:
        resolve(path.split("?")[0])
        return True
    except Resolver404:
        return False


if __name__ == "__main__":
    main()
