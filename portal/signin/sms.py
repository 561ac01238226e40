"""One-time codes by SMS, sent straight through the messaging system's gateway
(portal.messaging.gateways). Codes are never stored as messages and never logged; in
development and tests the outbox backend records them (`outbox`) and, with DEBUG, prints
the text on the console."""

from portal.messaging.gateways import outbox, sms_gateway

__all__ = ["outbox", "send_sms"]


def send_sms(*, to, text):
    return sms_gateway().send(to=to, text=str(text))
