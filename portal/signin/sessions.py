"""How long a session lasts.

- Staff (committee staff, centre staff, district admins, Django-admin users): signed out
  after 30 minutes without a request (idle) and 12 hours after signing in (absolute),
  whatever the cookie says.
- Residents: a browser session, or 30 days when they tick "remember me" (allauth's
  ACCOUNT_SESSION_REMEMBER = None offers the box; SESSION_COOKIE_AGE is 30 days).
- Disabling an account (is_active off) or changing its password ends its other sessions:
  Django checks both on every request (the session's password hash, ModelBackend's
  user_can_authenticate); the person changing their own password stays signed in.

Times live in the session; the idle clock is written at most once a minute, so that a run of
requests does not write the session each time.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import security_log

from .mfa import needs_mfa

STAFF_KEY = "portal.staff_session"
STARTED_KEY = "portal.signed_in_at"
SEEN_KEY = "portal.last_seen_at"
SEEN_RESOLUTION = 60


def staff_idle_seconds():
    return getattr(settings, "STAFF_SESSION_IDLE_SECONDS", 30 * 60)


def staff_absolute_seconds():
    return getattr(settings, "STAFF_SESSION_ABSOLUTE_SECONDS", 12 * 3600)


def start_session(sender, request, user, **kwargs):
    """user_logged_in: note when, and whether the staff rules apply."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[STARTED_KEY] = now
    request.session[SEEN_KEY] = now
    mark_staff(request, user)
    security_log.event("signin.success", request, user=user)


def mark_staff(request, user):
    if needs_mfa(user):
        request.session[STAFF_KEY] = True
        # The cookie need not outlive the idle limit either.
        request.session.set_expiry(staff_idle_seconds())


class SessionRulesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if request.user.is_authenticated and session.get(STAFF_KEY):
            now = time.time()
            started = session.get(STARTED_KEY, now)
            seen = session.get(SEEN_KEY, started)
            if now - started > staff_absolute_seconds() or now - seen > staff_idle_seconds():
                reason = "absolute" if now - started > staff_absolute_seconds() else "idle"
                security_log.event("session.expired", request, reason=reason)
                logout(request)
                messages.info(
                    request,
                    _("For your security you were signed out. Please sign in again."),
                )
                url = reverse("account_login")
                if request.method == "GET":
                    url += "?" + urlencode({"next": request.get_full_path()})
                return redirect(url)
            if now - seen >= SEEN_RESOLUTION:
                session[SEEN_KEY] = now
                session.set_expiry(staff_idle_seconds())
        return self.get_response(request)
