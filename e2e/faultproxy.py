"""A fault-injecting HTTP proxy in front of the moto server: the AWS that clients see.

Every AWS client of the local platform (scaler, workers, ``eulereye upload``/``status``) has
``AWS_ENDPOINT_URL`` pointing here. Requests are forwarded to moto unchanged, except a seeded
random fraction that is answered the way AWS answers when it is overloaded, before moto sees
them (so a refused request has no effect, exactly as with AWS):

- ECS ``RunTask``: HTTP 400 ``ThrottlingException``;
- S3 object ``PUT`` (uploads and outputs): HTTP 503 ``SlowDown``; also the first PUT of each
  key that ends with one of ``s3_put_fail_keys`` (a fault at a chosen point of a page);
- Textract ``DetectDocumentText``: HTTP 400 ``ThrottlingException`` (a fraction, and the first N
  calls for each document under the plan), or ``AccessDeniedException`` for every call from the Nth on (the task
  role lost its permission, or never had it).

No product code knows about this proxy. It also counts requests per service and operation,
which is how the runner reports RunTask calls, every Textract call per document (digest of
the image bytes) and what it was answered, and every object S3 stored (a 2xx answer to a
whole-object PUT), which is how a scenario counts the manifests written: the S3 side sees a
write even when the worker that made it is killed before it can log it.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import random
import re
import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

# Headers that describe one hop, not the message: never forwarded.
HOP_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "proxy-connection",
                         "te", "upgrade", "trailer"})
CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")
UPSTREAM_TIMEOUT_S = 90  # above SQS's 20 s long poll


@dataclass(frozen=True)
class FaultPlan:
    run_task_throttle: float = 0.0  # fraction of RunTask calls answered ThrottlingException
    # and at least the first N: a burst meets a throttled API at once, and a run with few
    # RunTask calls (they scale with tasks, not pages) still sees the retries work
    run_task_throttle_first: int = 0
    s3_put_slowdown: float = 0.0  # fraction of S3 object PUTs answered 503 SlowDown
    s3_put_fail_keys: tuple[str, ...] = ()  # the first PUT of a key ending so: 503 SlowDown
    textract_throttle: float = 0.0  # fraction of DetectDocumentText calls answered Throttling
    textract_throttle_first: int = 0  # and the first N calls for each document under this plan
    textract_deny_from: int = 0  # calls from the Nth (1-based) under this plan: AccessDenied
    seed: int = 0


THROTTLING = (400, "application/x-amz-json-1.1",
              b'{"__type":"ThrottlingException","message":"Rate exceeded (injected)"}')
ACCESS_DENIED = (400, "application/x-amz-json-1.1",
                 b'{"__type":"AccessDeniedException","message":"User is not authorized to perform: '
                 b'textract:DetectDocumentText (injected)"}')
SLOW_DOWN = (503, "application/xml",
             b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
             b"<Message>Please reduce your request rate. (injected)</Message></Error>")


def operation(method: str, path: str, headers) -> tuple[str, str]:
    """(service, operation) of a signed AWS request: the service from the SigV4 credential
    scope, the operation from X-Amz-Target (JSON protocols), else the HTTP method and whether
    the (path-style) S3 path names an object or a bucket: ``("s3", "PUT object")``."""
    scope = CREDENTIAL_SCOPE.search(headers.get("Authorization", ""))
    service = scope.group(1) if scope else "unsigned"
    target = headers.get("X-Amz-Target", "")
    if target:
        return service, target.rsplit(".", 1)[-1]
    has_key = "/" in urlsplit(path).path.lstrip("/").rstrip("/")
    return service, f"{method} {'object' if has_key else 'bucket'}"


class FaultProxy:
    """Forwards to ``upstream`` (``http://127.0.0.1:PORT``); serves on a free port of 127.0.0.1."""

    def __init__(self, upstream: str, plan: FaultPlan = FaultPlan()):
        self.upstream = urlsplit(upstream).netloc
        self.plan = plan
        self.requests: Counter[tuple[str, str]] = Counter()
        self.injected: Counter[tuple[str, str]] = Counter()
        self.stored: Counter[str] = Counter()  # "bucket/key" -> whole-object PUTs S3 accepted
        # (document digest, "answered" / "ThrottlingException" / "AccessDeniedException") -> calls
        self.textract_calls: Counter[tuple[str, str]] = Counter()
        self._under_plan: Counter[tuple[str, str]] = Counter()  # requests since the plan was set
        self._documents_under_plan: Counter[str] = Counter()  # Textract calls per document
        self._random = random.Random(plan.seed)
        self._keys_to_fail = set(plan.s3_put_fail_keys)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy",
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def set_plan(self, plan: FaultPlan) -> None:
        with self._lock:
            self.plan = plan
            self._random = random.Random(plan.seed)
            self._keys_to_fail = set(plan.s3_put_fail_keys)
            self._under_plan.clear()
            self._documents_under_plan.clear()

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.injected.clear()
            self.stored.clear()
            self.textract_calls.clear()

    def fault_for(self, op: tuple[str, str], path: str = "", body: bytes = b"") -> tuple[int, str, bytes] | None:
        """Counts the request and decides whether AWS "refuses" it."""
        with self._lock:
            self.requests[op] += 1
            self._under_plan[op] += 1
            if op == ("s3", "PUT object"):
                return self._s3_put_fault(op, path)
            if op == ("ecs", "RunTask"):
                first = self._under_plan[op] <= self.plan.run_task_throttle_first
                return self._injected(op, THROTTLING) if first or self._chance(self.plan.run_task_throttle) else None
            if op == ("textract", "DetectDocumentText"):
                return self._textract_fault(op, body)
            return None

    def _chance(self, fraction: float) -> bool:
        return bool(fraction) and self._random.random() < fraction

    def _injected(self, op: tuple[str, str], answer: tuple[int, str, bytes]) -> tuple[int, str, bytes]:
        self.injected[op] += 1
        return answer

    def _s3_put_fault(self, op, path: str):
        key = unquote(urlsplit(path).path)
        chosen = next((k for k in self._keys_to_fail if key.endswith(k)), None)
        if chosen is not None:
            self._keys_to_fail.discard(chosen)
            return self._injected(op, SLOW_DOWN)
        return self._injected(op, SLOW_DOWN) if self._chance(self.plan.s3_put_slowdown) else None

    def _textract_fault(self, op, body: bytes):
        document, plan = document_digest(body), self.plan
        self._documents_under_plan[document] += 1
        if plan.textract_deny_from and self._under_plan[op] >= plan.textract_deny_from:
            answer = ACCESS_DENIED
        elif self._documents_under_plan[document] <= plan.textract_throttle_first \
                or self._chance(plan.textract_throttle):
            answer = THROTTLING
        else:
            return None
        self.textract_calls[(document, json.loads(answer[2])["__type"])] += 1
        return self._injected(op, answer)

    def count_answer(self, op: tuple[str, str], path: str, body: bytes, status: int) -> None:
        """Counts what AWS did with a forwarded request: an object S3 stored (parts of a
        multipart upload are not whole objects), a document Textract answered."""
        url = urlsplit(path)
        if not 200 <= status < 300:
            return
        with self._lock:
            if op == ("s3", "PUT object") and "uploadId" not in url.query:
                self.stored[unquote(url.path).lstrip("/")] += 1
            elif op == ("textract", "DetectDocumentText"):
                self.textract_calls[(document_digest(body), "answered")] += 1


def document_digest(body: bytes) -> str:
    """SHA-256 of the image bytes a DetectDocumentText request sends (Document.Bytes)."""
    document = json.loads(body or b"{}").get("Document", {}).get("Bytes", "")
    return hashlib.sha256(base64.b64decode(document)).hexdigest()


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while size := int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16):
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
        while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return b"".join(chunks)
    return handler.rfile.read(int(handler.headers.get("Content-Length") or 0))


def _handler_for(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    local = threading.local()  # one upstream connection per proxy thread

    def upstream() -> http.client.HTTPConnection:
        if getattr(local, "conn", None) is None:
            local.conn = http.client.HTTPConnection(proxy.upstream, timeout=UPSTREAM_TIMEOUT_S)
        return local.conn

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # the proxy is quiet; moto has its own log
            pass

        def _answer(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
            try:
                self.send_response_only(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client is gone (a killed worker)

        def _forward(self) -> None:
            body = _read_body(self)
            op = operation(self.command, self.path, self.headers)
            fault = proxy.fault_for(op, self.path, body)
            if fault:
                status, content_type, payload = fault
                self._answer(status, [("Content-Type", content_type),
                                      ("Content-Length", str(len(payload)))], payload)
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
            headers["Content-Length"] = str(len(body))
            for attempt in (1, 2):  # a kept-alive upstream connection may have been closed
                try:
                    conn = upstream()
                    conn.request(self.command, self.path, body=body, headers=headers)
                    response = conn.getresponse()
                    payload = response.read()
                    break
                except (http.client.HTTPException, ConnectionError):
                    local.conn.close()
                    local.conn = None
                    if attempt == 2:
                        raise
            proxy.count_answer(op, self.path, body, response.status)
            reply = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_HEADERS]
            if self.command != "HEAD":
                reply = [(k, v) for k, v in reply if k.lower() != "content-length"]
                reply.append(("Content-Length", str(len(payload))))
            self._answer(response.status, reply, payload)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = _forward

    return Handler
