"""The HTTP gateways against fake providers on loopback (http.server in a thread)."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.messaging.gateways import (
    AliyunSMSBackend,
    GatewayError,
    OfficialAccountBackend,
    aliyun_signature,
)

SECRET = "fake-secret-for-tests"


class FakeProvider:
    """A loopback HTTP server; `answer(handler, path, query, body)` returns (status, json)."""

    def __init__(self, answer):
        self.requests = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                provider.requests.append((self.command, parts.path, query, body))
                status, payload = answer(self.command, parts.path, query, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def aliyun_answer(method, path, query, body):
    """Checks the signature as Alibaba Cloud does; OK with a BizId, or its error codes."""
    signature = query.pop("Signature", "")
    if signature != aliyun_signature(query, SECRET) or query.get("AccessKeyId") != "ak-id":
        return 400, {
            "Code": "SignatureDoesNotMatch",
            "Message": "Specified signature is not matched",
        }
    if query["PhoneNumbers"] == "13800000000":
        return 200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "invalid mobile"}
    return 200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "r"}


def aliyun(url, secret=SECRET):
    return AliyunSMSBackend(
        access_key_id="ak-id",
        access_key_secret=secret,
        sign_name="睦邻社区云",
        template_code="SMS_0001",
        endpoint=f"{url}/",
    )


def test_aliyun_sms_signs_the_request_and_returns_the_biz_id():
    with FakeProvider(aliyun_answer) as provider:
        biz_id = aliyun(provider.url).send(
            "13800138000", "您的求助已办结 http://x/me/", idempotency_key="mulin-delivery-7"
        )
    assert biz_id == "900619746936498440^0"
    ((method, path, query, _body),) = provider.requests
    assert method == "GET" and path == "/"
    assert query["Action"] == "SendSms" and query["Version"] == "2017-05-25"
    assert query["SignName"] == "睦邻社区云" and query["TemplateCode"] == "SMS_0001"
    assert json.loads(query["TemplateParam"]) == {"content": "您的求助已办结 http://x/me/"}
    assert query["OutId"] == "mulin-delivery-7"


def test_aliyun_signature_matches_the_documented_example():
    # The worked example of Alibaba Cloud's RPC signature documentation (secret "testsecret").
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert aliyun_signature(params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_aliyun_refusals_and_bad_credentials_are_gateway_errors():
    with FakeProvider(aliyun_answer) as provider:
        with pytest.raises(GatewayError, match="MOBILE_NUMBER_ILLEGAL"):
            aliyun(provider.url).send("13800000000", "x")
        with pytest.raises(GatewayError, match="SignatureDoesNotMatch"):
            aliyun(provider.url, secret="wrong").send("13800138000", "x")


def test_unreachable_provider_is_a_gateway_error():
    with FakeProvider(aliyun_answer) as provider:
        url = provider.url
    with pytest.raises(GatewayError, match="unreachable"):
        aliyun(url).send("13800138000", "x")


def test_unconfigured_aliyun_refuses_to_start():
    with pytest.raises(GatewayError, match="not configured"):
        AliyunSMSBackend(access_key_id="", access_key_secret="", sign_name="", template_code="")


def test_wechat_official_account_template_message():
    tokens = []

    def answer(method, path, query, body):
        if path == "/cgi-bin/token":
            assert query == {"grant_type": "client_credential", "appid": "wx-app", "secret": "s"}
            tokens.append(1)
            return 200, {"access_token": "TOKEN-1", "expires_in": 7200}
        if path == "/cgi-bin/message/template/send":
            assert query["access_token"] == "TOKEN-1"
            payload = json.loads(body)
            if payload["touser"] == "blocked-openid":
                return 200, {"errcode": 43004, "errmsg": "require subscribe"}
            return 200, {"errcode": 0, "errmsg": "ok", "msgid": 200228332}
        return 404, {}

    with FakeProvider(answer) as provider:
        backend = OfficialAccountBackend(
            app_id="wx-app", app_secret="s", template_id="TPL", api_base=provider.url
        )
        OfficialAccountBackend._tokens.clear()
        msgid = backend.send("openid-1", "正文", subject="标题", url="http://x/me/inbox/")
        with pytest.raises(GatewayError, match="43004"):
            backend.send("blocked-openid", "正文", subject="标题")
    assert msgid == "200228332"
    assert tokens == [1]  # the token is cached between sends
    sent = json.loads(provider.requests[1][3])
    assert sent["template_id"] == "TPL" and sent["url"] == "http://x/me/inbox/"
    assert sent["data"]["first"]["value"] == "标题"
