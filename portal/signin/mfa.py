"""MFA for the people who see personal data: committee staff, centre staff, district admins.

allauth.mfa does the work (TOTP with recovery codes; WebAuthn/passkeys where the browser has
them). What this adds is the rule: such a person's session must hold an MFA step (allauth
records one in the session after a TOTP code, a recovery code or a security key) before any
page outside the sign-in pages. Without one they are sent to enrol (no authenticator yet) or
to enter a code (an authenticator, but this session never used it).
"""

import time
from urllib.parse import urlencode

from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
    record_authentication,
)
from allauth.mfa.models import Authenticator
from django.shortcuts import redirect

from portal import security_log

# Pages a person without an MFA step may still open: the sign-in and MFA pages themselves
# (allauth's), static files, the health checks, the language and text-size switches.
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/me/text-size/")


def needs_mfa(user):
    """Does this account see personal data through its role? (Django-admin users too.)"""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.is_district_admin or user.is_committee_staff or user.is_centre_staff


def session_has_mfa(request, user):
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


class StaffMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not session_has_mfa(request, user)
            and needs_mfa(user)
        ):
            return self.refuse(request, user)
        return self.get_response(request)

    def refuse(self, request, user):
        from .sessions import mark_staff

        mark_staff(request, user)
        enrolled = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
        security_log.event("mfa.required", request, outcome="verify" if enrolled else "enrol")
        target = "mfa_reauthenticate" if enrolled else "mfa_activate_totp"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        response = redirect(target)
        if query:
            response["Location"] += f"?{query}"
        return response


def record_mfa_on_enrolment(sender, instance, created, **kwargs):
    """post_save of an Authenticator: enrolling a TOTP authenticator in a request means the
    person just typed a code from it, which is that session's MFA step (allauth records none
    at enrolment). Done on save rather than on allauth's authenticator_added signal, which
    fires only once the transaction commits."""
    request = security_log.current_request.get()
    if not created or instance.type != Authenticator.Type.TOTP or request is None:
        return
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.pk != instance.user_id:
        return
    record_authentication(request, user, "mfa", id=instance.pk, type="totp")


def log_authenticator_added(sender, request, user, authenticator, **kwargs):
    security_log.event("mfa.enrolled", request, user=user, kind=authenticator.type)


def log_authenticator_removed(sender, request, user, authenticator, **kwargs):
    security_log.event("mfa.removed", request, user=user, kind=authenticator.type)


def log_authenticator_used(sender, request, user, authenticator, **kwargs):
    security_log.event(
        "mfa.success",
        request,
        user=user,
        kind=authenticator.type,
        reauthenticated=bool(kwargs.get("reauthenticated")),
    )


def mark_session_as_password_and_totp(session, user):
    """What allauth leaves in the session after a password and a TOTP code. Test clients'
    force_login uses it (tests/conftest.py): there, force_login stands for password + TOTP."""
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "username": user.get_username()},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)


def log_authentication_failed(sender, request, user, authenticator, **kwargs):
    security_log.event(
        "mfa.failure",
        request,
        user=user,
        kind=authenticator.type,
        reauthentication=bool(kwargs.get("reauthentication")),
    )
