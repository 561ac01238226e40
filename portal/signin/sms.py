"""One-time codes by SMS, sent straight through the messaging system's gateway.

Codes are never stored as messages and never logged. Until the messaging package
(portal.messaging, branch `msg`) is part of the tree, a development outbox of the same shape
stands in for its gateway, so that sign-up by phone works and tests can read what was sent.
"""

try:  # pragma: no cover - depends on whether portal.messaging is installed
    from portal.messaging.gateways import outbox, sms_gateway
except ImportError:  # pragma: no cover
    import itertools

    class _Outbox(list):
        pass

    outbox = _Outbox()
    _ids = itertools.count(1)

    class _DevelopmentGateway:
        def send(self, *, to, text):
            outbox.append({"to": to, "text": str(text)})
            return f"dev-{next(_ids)}"

    def sms_gateway():
        return _DevelopmentGateway()


def send_sms(*, to, text):
    return sms_gateway().send(to=to, text=str(text))
