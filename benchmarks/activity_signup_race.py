"""Race 100+ residents for 20 places over real HTTP, against gunicorn with 3 workers.

    python benchmarks/activity_signup_race.py [--people 120] [--places 20] [--port 8941]

It creates a uniquely named scratch database on the shared PostgreSQL server (never
restarting it), migrates it, makes one activity with --places places and --people resident
accounts (sessions written straight into the session store, so no sign-in is timed), starts
gunicorn with 3 sync workers on 127.0.0.1, fires every sign-up POST at once from as many
threads (each connection to 127.0.0.1 only, with a timeout), then counts: confirmed,
waitlisted, duplicates, errors, and the time it took. The database is dropped at the end,
whatever happens. Append the printed section to benchmarks/RESULTS.md with --record.
"""

import argparse
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSRF = "bench" + "x" * 27  # a 32-character CSRF secret, sent as cookie and header


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--people", type=int, default=120)
    parser.add_argument("--places", type=int, default=20)
    parser.add_argument("--port", type=int, default=8941)
    parser.add_argument("--record", action="store_true", help="append to benchmarks/RESULTS.md")
    args = parser.parse_args()

    name = f"portal_race_{uuid.uuid4().hex[:10]}"
    url = f"{args.server.rstrip('/')}/{name}"
    host = args.server.split("@")[-1].split(":")[0]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{args.port}",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_POOL": "false",
        "CACHE_URL": "locmem://",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(["createdb", "-h", host, "-U", "postgres", name], check=True)
    server = None
    try:
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
        import django

        django.setup()
        activity_pk, cookies = prepare(args.people, args.places)
        server = start_gunicorn(env, args.port)
        outcome = race(args.port, activity_pk, cookies)
        report = summarise(outcome, activity_pk, args)
        print(report)
        if args.record:
            with open(ROOT / "benchmarks" / "RESULTS.md", "a", encoding="utf-8") as results:
                results.write("\n" + report)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        subprocess.run(["dropdb", "--if-exists", "-h", host, "-U", "postgres", name], check=True)


def prepare(people, places):
    """One activity and `people` signed-in residents; returns (activity pk, session cookies)."""
    import datetime
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from neighborhoods.models import (
        Activity,
        Building,
        Centre,
        District,
        Household,
        Neighbourhood,
        Resident,
        Subdistrict,
    )
    from portal.models import User

    district = District.objects.create(name="杨浦区")
    subdistrict = Subdistrict.objects.create(district=district, name="四平路街道")
    neighbourhood = Neighbourhood.objects.create(subdistrict=subdistrict, name="公交新村居民区")
    building = Building.objects.create(neighbourhood=neighbourhood, number="1号")
    centre = Centre.objects.create(subdistrict=subdistrict, name="阜新路社区睦邻中心")
    staff = User.objects.create(username="bench-staff")
    start = timezone.now() + datetime.timedelta(days=3)
    activity = Activity.objects.create(
        centre=centre,
        title="家庭急救小课堂",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="多功能厅",
        capacity=places,
        audience=Activity.Audience.AREA,
        created_by=staff,
    )
    engine = import_module(settings.SESSION_ENGINE)
    cookies = []
    for i in range(people):
        user = User.objects.create(username=f"race{i}", first_name=f"居民{i}")
        household = Household.objects.create(building=building, room=str(1000 + i))
        Resident.objects.create(household=household, name=f"居民{i}", user=user)
        session = engine.SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={CSRF}"
        )
    return activity.pk, cookies


def start_gunicorn(env, port):
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "3",
        "--timeout",
        "60",
        "--backlog",
        "512",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    else:
        raise SystemExit("gunicorn did not start")
    # Warm every worker (imports, first database connection) before the race.
    for _ in range(9):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/healthz")
        connection.getresponse().read()
        connection.close()
    return server


def race(port, activity_pk, cookies):
    path = f"/activities/{activity_pk}/signup/"
    barrier = threading.Barrier(len(cookies))
    statuses, errors = [None] * len(cookies), []

    def post(i):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            barrier.wait(30)
            connection.request(
                "POST",
                path,
                body="",
                headers={
                    "Cookie": cookies[i],
                    "X-CSRFToken": CSRF,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            response = connection.getresponse()
            response.read()
            statuses[i] = response.status
            connection.close()
        except Exception as error:  # noqa: BLE001 - counted as an error
            errors.append(repr(error))

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(cookies))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return {"statuses": statuses, "errors": errors, "seconds": time.perf_counter() - started}


def summarise(outcome, activity_pk, args):
    from django.db.models import Count

    from neighborhoods.models import SignUp

    rows = SignUp.objects.filter(activity_id=activity_pk)
    confirmed = rows.filter(status="confirmed").count()
    waitlisted = rows.filter(status="waitlisted").count()
    duplicates = sum(
        n - 1 for n in rows.values("user").annotate(n=Count("pk")).values_list("n", flat=True)
    )
    redirects = sum(1 for s in outcome["statuses"] if s == 302)
    bad = [s for s in outcome["statuses"] if s not in (302, None)]
    errors = len(outcome["errors"]) + len(bad)
    stamp = time.strftime("%Y-%m-%d %H:%M")
    return (
        f"## Activity sign-up race over HTTP ({stamp} Asia/Shanghai)\n\n"
        f"`benchmarks/activity_signup_race.py`: gunicorn with 3 sync workers on 127.0.0.1, a "
        f"scratch PostgreSQL database, one activity with {args.places} places, {args.people} "
        f"residents each POSTing the sign-up form at the same moment (one thread and "
        f"connection each, released by a barrier).\n\n"
        f"| sign-ups sent | answered 302 | confirmed | waitlisted | duplicates | errors | "
        f"time |\n|---|---|---|---|---|---|---|\n"
        f"| {args.people} | {redirects} | {confirmed} | {waitlisted} | {duplicates} | "
        f"{errors} | {outcome['seconds']:.2f} s |\n"
    )


if __name__ == "__main__":
    main()
