"""The fault proxy's bookkeeping: which object writes reached S3. Scenario b's "each manifest
written once" rests on it, so it is checked here against a stand-in upstream."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from e2e.faultproxy import FaultPlan, FaultProxy

S3_AUTH = "AWS4-HMAC-SHA256 Credential=test/20261124/us-east-1/s3/aws4_request, Signature=x"
TEXTRACT = {"Authorization": S3_AUTH.replace("/s3/", "/textract/"),
            "X-Amz-Target": "Textract.DetectDocumentText"}


class Upstream(BaseHTTPRequestHandler):
    """Accepts every request, as S3 does a valid one."""
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.do_PUT()

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def proxy():
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    proxy = FaultProxy(f"http://127.0.0.1:{upstream.server_address[1]}").start()
    yield proxy
    proxy.stop()
    upstream.shutdown()
    upstream.server_close()


def put(proxy: FaultProxy, path: str) -> int:
    conn = http.client.HTTPConnection(proxy.url.removeprefix("http://"), timeout=10)
    conn.request("PUT", path, body=b"{}", headers={"Authorization": S3_AUTH})
    status = conn.getresponse().status
    conn.close()
    return status


def test_counts_whole_objects_s3_accepted_by_decoded_key(proxy):
    assert put(proxy, "/bkt/output/manifest/1890/p%20one%2B%C3%A9.json") == 200
    assert put(proxy, "/bkt/output/manifest/1890/p%20one%2B%C3%A9.json") == 200
    assert put(proxy, "/bkt/big.tif?partNumber=1&uploadId=abc") == 200  # a part, not an object
    assert put(proxy, "/bkt") == 200  # a bucket, not an object
    assert proxy.stored == {"bkt/output/manifest/1890/p one+é.json": 2}


def test_a_refused_put_is_not_stored(proxy):
    proxy.set_plan(FaultPlan(s3_put_slowdown=1.0))
    assert put(proxy, "/bkt/output/manifest/p.json") == 503
    assert not proxy.stored and proxy.injected[("s3", "PUT object")] == 1


def detect(proxy: FaultProxy, document: bytes) -> int:
    conn = http.client.HTTPConnection(proxy.url.removeprefix("http://"), timeout=10)
    body = json.dumps({"Document": {"Bytes": base64.b64encode(document).decode()}})
    conn.request("POST", "/", body=body, headers=TEXTRACT)
    status = conn.getresponse().status
    conn.close()
    return status


def test_textract_calls_are_counted_per_document_and_answer(proxy):
    """Throttling hits each document's first call; denial starts at the Nth call under a plan."""
    proxy.set_plan(FaultPlan(textract_throttle_first=1))
    assert [detect(proxy, b"page one"), detect(proxy, b"page one"), detect(proxy, b"page two")] == [400, 200, 400]
    proxy.set_plan(FaultPlan(textract_deny_from=2))
    assert [detect(proxy, b"page two"), detect(proxy, b"page one")] == [200, 400]
    one, two = (hashlib.sha256(d).hexdigest() for d in (b"page one", b"page two"))
    assert proxy.textract_calls == {(one, "ThrottlingException"): 1, (one, "answered"): 1,
                                    (two, "ThrottlingException"): 1, (two, "answered"): 1,
                                    (one, "AccessDeniedException"): 1}
