"""`manage.py run_jobs`: the scheduled jobs in one process, for `make run`."""

import io

import pytest
from django.core.management import call_command

from neighborhoods.models import JobHeartbeat
from portal.management.commands import run_jobs

pytestmark = pytest.mark.django_db


def test_it_runs_the_alert_job_and_records_its_heartbeat():
    call_command("run_jobs", once=True, stdout=io.StringIO())
    heartbeat = JobHeartbeat.objects.get(name="open_watch_alerts")
    assert heartbeat.last_succeeded is not None


def test_a_failing_job_does_not_stop_the_schedule(monkeypatch, caplog):
    monkeypatch.setattr(run_jobs, "EVERY", [("no_such_command", 5), ("open_watch_alerts", 5)])
    call_command("run_jobs", once=True, stdout=io.StringIO())
    assert "scheduled job no_such_command failed" in caplog.text
    assert JobHeartbeat.objects.filter(name="open_watch_alerts").exists()
