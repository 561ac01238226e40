"""Security events as one structured line each, on the ``portal.security`` logger.

Sign-in successes and failures, lockouts, MFA events, permission refusals and upload
rejections: a JSON object with the UTC time, the actor, the client address (as allauth's
trusted-proxy setting resolves it) and the request id. Never a code, a password or a full
phone number: logins that look like a mobile number are masked (138****5678), emails keep
their first letter and domain.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from .phones import mask_phone, normalise_mobile

logger = logging.getLogger("portal.security")

request_id_var = contextvars.ContextVar("request_id", default="-")
# The request being answered, for events raised where no request is at hand (a form
# field's validator rejecting an upload).
current_request = contextvars.ContextVar("current_request", default=None)
REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def mask_login(login):
    """A login fit for the log: masked mobile number or email; a username as typed."""
    login = (login or "").strip()
    if not login:
        return ""
    phone = normalise_mobile(login)
    if phone:
        return mask_phone(phone)
    if "@" in login:
        local, _, domain = login.partition("@")
        return f"{local[:1]}***@{domain}"
    if any(ch.isdigit() for ch in login) and sum(ch.isdigit() for ch in login) >= 7:
        return mask_phone("".join(ch for ch in login if ch.isdigit()))
    return login[:50]


def client_address(request):
    if request is None:
        return "-"
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # no address, or a malformed X-Forwarded-For: still log the event
        return request.META.get("REMOTE_ADDR") or "-"


def actor(request, user=None):
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"{user.pk}:{user.get_username()}"
    return "-"


def event(name, request=None, *, user=None, login=None, phone=None, **fields):
    """Log one security event. `login` and `phone` are masked before they are written."""
    if request is None:
        request = current_request.get()
    record = {
        "event": name,
        "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "actor": actor(request, user),
        "client": client_address(request),
        "request_id": getattr(request, "request_id", None) or request_id_var.get(),
    }
    if request is not None:
        record["path"] = request.path
    if login is not None:
        record["login"] = mask_login(login)
    if phone is not None:
        record["phone"] = mask_phone(normalise_mobile(phone) or phone)
    for key, value in fields.items():
        if key in ("code", "password", "secret", "text"):
            continue
        record[key] = value if isinstance(value, int | float | bool | None) else str(value)
    logger.info(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return record


class RequestIdMiddleware:
    """Give every request an id: the proxy's X-Request-ID (nginx's $request_id) when it
    looks like one, else a fresh one; echoed on the response and put in every security line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = given if _VALID_REQUEST_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        request_token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(request_token)
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


def upload_rejected(upload, error):
    """An upload refused by its validator: its size and the reason's code, not its name."""
    event(
        "upload.rejected",
        size=getattr(upload, "size", None),
        reason=getattr(error, "code", None) or "invalid",
    )
