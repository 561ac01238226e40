"""The task queue's side: Django's Tasks API (django-tasks backport until Django 6).

settings.TASKS chooses the backend: django_tasks_db.DatabaseBackend (the one PostgreSQL; the
worker is `manage.py db_worker`). On Django 6 the import below finds django.tasks and the
backend setting becomes "django_tasks_db.DatabaseBackend" still: a settings change only.
"""

try:
    from django.tasks import task
except ImportError:  # Django 5.2: the backport
    from django_tasks import task

from . import delivery


@task()
def deliver_task(delivery_id):
    return delivery.deliver(delivery_id)


@task()
def requeue_task():
    return len(delivery.requeue_due())


def enqueue_deliveries(delivery_ids, run_after=None):
    """One task per delivery (inside the caller's transaction: the database backend commits
    the task rows with the deliveries, or neither)."""
    queued = deliver_task.using(run_after=run_after) if run_after else deliver_task
    for pk in delivery_ids:
        queued.enqueue(pk)
