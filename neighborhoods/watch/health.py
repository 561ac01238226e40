"""/healthz/watch: is the daily-watch alert job running? A check of its own, apart from
/healthz, so that a load balancer can keep sending traffic while the job is down and a
monitor can still page someone about it."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from .services import WATCH_JOB, WATCH_JOB_STALE_AFTER, watch_job_status


@require_safe
def healthz_watch(request):
    status = watch_job_status()
    if status.age is None:
        text, code = f"stale: {WATCH_JOB} has never succeeded\n", 503
    else:
        seconds = int(status.age.total_seconds())
        word, code = ("stale", 503) if status.stale else ("ok", 200)
        limit = int(WATCH_JOB_STALE_AFTER.total_seconds())
        text = f"{word}: {WATCH_JOB} last succeeded {seconds} s ago (limit {limit} s)\n"
    return HttpResponse(text, status=code, content_type="text/plain")
