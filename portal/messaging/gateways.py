"""Gateways to the outside channels, chosen by settings.MESSAGING (see README).

    from portal.messaging.gateways import sms_gateway
    provider_id = sms_gateway().send(to="13800138000", text="…")

Every gateway has `send(to, text, *, subject="", url="", idempotency_key=None)` returning the
provider's message id, raises GatewayError when the provider refuses or cannot be reached,
and says whether it honours the idempotency key (`idempotent`): a provider that does drops a
second send with the same key, so the worker may safely try again after a crash.

Backends:
- SMS: `outbox` (development and tests: recorded in `outbox`, printed to the log) and
  `aliyun` (Alibaba Cloud SMS, dysmsapi SendSms, RPC signature v1).
- WeChat: `outbox` and `official_account` (the official account's template message to the
  openid of the person's Weixin social account).
- Email: Django's email backend (settings.EMAIL_BACKEND).
"""

import base64
import hashlib
import hmac
import json
import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

logger = logging.getLogger("portal.messaging")


class GatewayError(Exception):
    """The provider refused the message or could not be reached (the worker retries)."""


def messaging_setting(name, default=None):
    return getattr(settings, "MESSAGING", {}).get(name, default)


# -- the outbox: what the development/test backends "sent" -------------------------------------


@dataclass
class OutboxItem:
    channel: str
    to: str
    text: str
    subject: str = ""
    url: str = ""
    idempotency_key: str | None = None
    provider_id: str = field(default_factory=lambda: f"outbox-{uuid.uuid4().hex[:16]}")


class Outbox:
    """List-like record of sends by the outbox backends (`outbox.clear()` between tests).

    In one process it is a list in memory. With settings.MESSAGING["OUTBOX_FILE"] each send
    is also appended to that file (one JSON line), so sends by worker processes can be read
    back (`outbox.items()` reads the file then). A send with an idempotency key already in
    the outbox is not recorded again: it answers the first send's id, as a provider that
    honours the key would.
    """

    def __init__(self):
        self._items = []
        self._lock = threading.Lock()

    def _file(self):
        return messaging_setting("OUTBOX_FILE")

    def items(self):
        path = self._file()
        if not path:
            return list(self._items)
        try:
            with open(path, encoding="utf-8") as fh:
                return [OutboxItem(**json.loads(line)) for line in fh if line.strip()]
        except FileNotFoundError:
            return []

    def record(self, item):
        path = self._file()
        with self._lock:
            if path:
                import fcntl

                with open(path, "a+", encoding="utf-8") as fh:
                    fcntl.flock(fh, fcntl.LOCK_EX)
                    fh.seek(0)
                    for line in fh:
                        if not line.strip():
                            continue
                        earlier = OutboxItem(**json.loads(line))
                        if item.idempotency_key and earlier.idempotency_key == (
                            item.idempotency_key
                        ):
                            return earlier
                    fh.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
                    fh.flush()
                self._items.append(item)
                return item
            for earlier in self._items:
                if item.idempotency_key and earlier.idempotency_key == item.idempotency_key:
                    return earlier
            self._items.append(item)
            return item

    def for_channel(self, channel):
        return [item for item in self.items() if item.channel == channel]

    def clear(self):
        with self._lock:
            self._items.clear()
            path = self._file()
            if path:
                open(path, "w").close()  # noqa: SIM115 - truncate

    def __iter__(self):
        return iter(self.items())

    def __len__(self):
        return len(self.items())

    def __getitem__(self, index):
        return self.items()[index]

    def __bool__(self):
        return bool(self.items())


outbox = Outbox()


class OutboxBackend:
    """Development and tests: nothing leaves the machine; sends go to `outbox` and the log."""

    idempotent = True
    channel = ""

    def __init__(self, **options):
        self.options = options

    def send(self, to, text, *, subject="", url="", idempotency_key=None):
        item = outbox.record(
            OutboxItem(
                channel=self.channel,
                to=to,
                text=text,
                subject=subject,
                url=url,
                idempotency_key=idempotency_key,
            )
        )
        # No full number and no text in the log: a text may carry a one-time code. A developer
        # (DEBUG) sees the text on the console, which is how they read a sign-up code.
        from portal.phones import mask_phone

        if settings.DEBUG:
            logger.info("%s to %s: %s", self.channel, mask_phone(to), text)
        else:
            logger.info("%s to %s (%d characters)", self.channel, mask_phone(to), len(text))
        return item.provider_id


class OutboxSMSBackend(OutboxBackend):
    channel = "sms"


class OutboxWeChatBackend(OutboxBackend):
    channel = "wechat"


def _http(request, timeout):
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - https
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")[:300]
        raise GatewayError(f"HTTP {error.code}: {body}") from error
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        raise GatewayError(f"provider unreachable: {error}") from error


# -- Alibaba Cloud SMS -------------------------------------------------------------------------


def _aliyun_quote(value):
    # RFC 3986, as Alibaba Cloud's RPC signature asks: space %20, '*' %2A, '~' kept.
    return urllib.parse.quote(str(value), safe="~")


def aliyun_signature(params, secret, method="GET"):
    """Signature of an Alibaba Cloud RPC request (SignatureMethod HMAC-SHA1, version 1.0)."""
    canonical = "&".join(
        f"{_aliyun_quote(key)}={_aliyun_quote(params[key])}" for key in sorted(params)
    )
    string_to_sign = f"{method}&{_aliyun_quote('/')}&{_aliyun_quote(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSMSBackend:
    """Alibaba Cloud SMS (短信服务), API SendSms of dysmsapi 2017-05-25.

    Mainland SMS must use an approved sign (签名) and template: the deployment registers one
    notification template with a single variable, e.g. "${content}" (ALIYUN_SMS_TEMPLATE_PARAM
    names it), and the text goes in it. The idempotency key is sent as OutId, the provider's
    external serial number, so a resend after a crash can be matched in the delivery report;
    Alibaba Cloud does not promise to drop a second send with the same OutId, so this backend
    says it is not idempotent and the worker never retries a send whose outcome is unknown.
    """

    idempotent = False

    def __init__(
        self,
        access_key_id,
        access_key_secret,
        sign_name,
        template_code,
        template_param="content",
        endpoint="https://dysmsapi.aliyuncs.com/",
        region="cn-hangzhou",
        timeout=10,
    ):
        if not (access_key_id and access_key_secret and sign_name and template_code):
            raise GatewayError("Alibaba Cloud SMS is not configured (see README)")
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.sign_name = sign_name
        self.template_code = template_code
        self.template_param = template_param
        self.endpoint = endpoint
        self.region = region
        self.timeout = timeout

    def request_params(self, to, text, idempotency_key=None, *, nonce=None, timestamp=None):
        params = {
            "AccessKeyId": self.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": to,
            "RegionId": self.region,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({self.template_param: text}, ensure_ascii=False),
            "Timestamp": timestamp or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        if idempotency_key:
            params["OutId"] = idempotency_key
        params["Signature"] = aliyun_signature(params, self.access_key_secret)
        return params

    def send(self, to, text, *, subject="", url="", idempotency_key=None):
        params = self.request_params(to, text, idempotency_key)
        request = urllib.request.Request(  # noqa: S310 - the configured https endpoint
            f"{self.endpoint}?{urllib.parse.urlencode(params, quote_via=urllib.parse.quote)}"
        )
        answer = _http(request, self.timeout)
        if answer.get("Code") != "OK":
            raise GatewayError(f"{answer.get('Code')}: {answer.get('Message')}")
        return answer.get("BizId", "")


# -- WeChat official account -------------------------------------------------------------------


class OfficialAccountBackend:
    """WeChat official account (公众号) template message to a person's openid.

    The access token (cgi-bin/token, client_credential) is cached in the process until a
    minute before it expires. The template (WECHAT_MP_TEMPLATE_ID) has the fields `first`
    (subject), `keyword1` (text) and `remark`; the message opens the portal page `url`.
    WeChat has no idempotency key for template messages: not idempotent.
    """

    idempotent = False

    def __init__(
        self, app_id, app_secret, template_id, api_base="https://api.weixin.qq.com", timeout=10
    ):
        if not (app_id and app_secret and template_id):
            raise GatewayError("the WeChat official account is not configured (see README)")
        self.app_id = app_id
        self.app_secret = app_secret
        self.template_id = template_id
        self.api_base = api_base.rstrip("/")
        self.timeout = timeout

    _tokens: dict = {}

    def access_token(self):
        import time

        cached = self._tokens.get(self.app_id)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        query = urllib.parse.urlencode(
            {"grant_type": "client_credential", "appid": self.app_id, "secret": self.app_secret}
        )
        answer = _http(
            urllib.request.Request(f"{self.api_base}/cgi-bin/token?{query}"),  # noqa: S310
            self.timeout,
        )
        if "access_token" not in answer:
            raise GatewayError(f"token: {answer.get('errcode')} {answer.get('errmsg')}")
        expires = time.monotonic() + int(answer.get("expires_in", 7200)) - 60
        self._tokens[self.app_id] = (answer["access_token"], expires)
        return answer["access_token"]

    def send(self, to, text, *, subject="", url="", idempotency_key=None):
        payload = {
            "touser": to,
            "template_id": self.template_id,
            "url": url,
            "data": {
                "first": {"value": subject[:20] or text[:20]},
                "keyword1": {"value": text[:200]},
                "remark": {"value": ""},
            },
        }
        token = urllib.parse.quote(self.access_token())
        request = urllib.request.Request(  # noqa: S310 - the configured https endpoint
            f"{self.api_base}/cgi-bin/message/template/send?access_token={token}",
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        answer = _http(request, self.timeout)
        if answer.get("errcode", 0) != 0:
            if answer.get("errcode") in (40001, 42001):  # token expired or revoked
                self._tokens.pop(self.app_id, None)
            raise GatewayError(f"{answer.get('errcode')}: {answer.get('errmsg')}")
        return str(answer.get("msgid", ""))


# -- email ---------------------------------------------------------------------------------------


class DjangoEmailBackend:
    """Email through Django's email backend (settings.EMAIL_BACKEND). Not idempotent."""

    idempotent = False

    def __init__(self, **options):
        self.options = options

    def send(self, to, text, *, subject="", url="", idempotency_key=None):
        message_id = f"<{idempotency_key or uuid.uuid4().hex}@mulin-portal>"
        email = EmailMessage(
            subject=subject, body=text, to=[to], headers={"Message-ID": message_id}
        )
        try:
            email.send(fail_silently=False)
        except Exception as error:  # noqa: BLE001 - any transport failure is retried
            raise GatewayError(f"email: {error}") from error
        return message_id


# -- choosing them by settings -------------------------------------------------------------------

_DEFAULTS = {
    "sms": {"BACKEND": "portal.messaging.gateways.OutboxSMSBackend"},
    "wechat": {"BACKEND": "portal.messaging.gateways.OutboxWeChatBackend"},
    "email": {"BACKEND": "portal.messaging.gateways.DjangoEmailBackend"},
}


def gateway_settings(channel):
    """settings.MESSAGING["GATEWAYS"][channel]; None (or missing) turns the channel off."""
    gateways = messaging_setting("GATEWAYS")
    if gateways is None:
        return _DEFAULTS[channel]
    return gateways.get(channel)


def channel_enabled(channel):
    return bool(gateway_settings(channel))


def gateway(channel):
    """The configured gateway of one outside channel ("sms", "wechat", "email")."""
    conf = gateway_settings(channel)
    if not conf:
        raise GatewayError(f"no gateway is configured for {channel}")
    return import_string(conf["BACKEND"])(**conf.get("OPTIONS", {}))


def sms_gateway():
    return gateway("sms")


def wechat_gateway():
    return gateway("wechat")


def email_gateway():
    return gateway("email")
