"""For tests (and a shell): run the queue's worker until no task is due."""

from unittest import mock

from django.db import connection


def run_worker(worker_id="test-worker"):
    """The real worker of `manage.py db_worker --batch`: every task due now, then return.

    Inside a test's transaction the worker's periodic close_old_connections() would close
    the connection (autocommit is off there), so it is a no-op then.
    """
    from django_tasks_db.management.commands import db_worker

    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    if connection.in_atomic_block:
        with mock.patch.object(db_worker, "close_old_connections", lambda: None):
            worker.run()
    else:
        worker.run()
