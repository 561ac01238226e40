from portal.permissions import is_neighbourhood_staff

from .watch.services import watch_job_stale_for


def watch_job(request):
    """`watch_job_stale` for the red banner of staff pages when open_watch_alerts has
    stopped (templates/base.html). Nothing to compute for residents and visitors."""
    user = getattr(request, "user", None)
    if user is None or not is_neighbourhood_staff(user):
        return {}
    return {"watch_job_stale": watch_job_stale_for(user)}
