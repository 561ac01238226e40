"""Per-account limits on what residents post and upload: one rule, counted in the cache.

Without them a resident's account (or a script holding its session) could post hundreds of
needs, suggestions or questions a minute, each landing in a committee's queue, or keep the
workers decoding photos. The limits are generous for a person and tight for a script.

Counting: a fixed window per account and action in Django's cache (the database cache in
production, shared by every worker; `cache.incr` there is a read and a write, so two
requests at the same instant may both pass: a limit for floods, not an exact quota).
Sign-in limits are allauth's (settings.ACCOUNT_RATE_LIMITS), not these.
"""

import time

from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS as NON_FIELD
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# action: (how many, per so many seconds)
LIMITS = {
    "need": (5, 3600),
    "suggestion": (10, 3600),
    "question": (10, 3600),
    # photo and PDF files in uploads, counted one by one
    "upload": (60, 3600),
    # passwords checked outside sign-in (closing one's account)
    "password_check": (5, 3600),
}


def consume(user, action, amount=1):
    """Count `amount` more of `action` for `user`; False when that goes over the limit.

    Refused attempts are counted too: hammering on does not reopen the window.
    """
    limit, period = LIMITS[action]
    window = int(time.time() // period)
    key = f"ratelimit:{action}:{user.pk}:{window}"
    cache.add(key, 0, timeout=period + 60)
    try:
        count = cache.incr(key, amount)
    except ValueError:  # evicted between add and incr: start again
        cache.set(key, amount, timeout=period + 60)
        count = amount
    return count <= limit


def reset(user, action):
    """Forget the current window's count (for tests and for staff lifting a block)."""
    limit, period = LIMITS[action]
    cache.delete(f"ratelimit:{action}:{user.pk}:{int(time.time() // period)}")


def over_limit(request, form, action):
    """For a valid form about to be posted: count it, and if over the limit put the
    refusal on the form (everything typed stays) and answer True."""
    if consume(request.user, action):
        return False
    form.add_error(
        None,
        ValidationError(
            _(
                "You have sent many of these in the last hour. Please wait a while and "
                "send it again; what you typed is still here."
            ),
            code="rate_limited",
        ),
    )
    return True


def form_status(request, form):
    """The status of a form page: 200 for GET, 429 when rate-limited, 400 for other errors."""
    if request.method != "POST":
        return 200
    if any(error.code == "rate_limited" for error in form.errors.as_data().get(NON_FIELD, [])):
        return 429
    return 400
