"""The fault proxy's bookkeeping: which object writes reached S3. Scenario b's "each manifest
written once" rests on it, so it is checked here against a stand-in upstream."""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from e2e.faultproxy import FaultPlan, FaultProxy

S3_AUTH = "AWS4-HMAC-SHA256 Credential=test/20261124/us-east-1/s3/aws4_request, Signature=x"


class Upstream(BaseHTTPRequestHandler):
    """Accepts every request, as S3 does a valid one."""
    protocol_version = "HTTP/1.1"

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
