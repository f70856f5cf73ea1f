"""The local AWS: a moto server on a free port of 127.0.0.1, and the environment a client
(a Lambda, a Fargate task, a user's shell) needs to talk to it."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REGION = "us-east-1"
HERE = Path(__file__).resolve().parent
START_ATTEMPTS = 3
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent() -> None:
    """``preexec_fn`` of every child the platform starts: the kernel sends it SIGTERM when the
    process that started it dies, so a killed test run leaves no moto server or worker behind.
    (Linux ties this to the starting *thread*: the runner starts workers from its own thread,
    which lives as long as the runner.)"""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def aws_env(endpoint: str) -> dict[str, str]:
    """What AWS gives every process (credentials, region) plus the local endpoint. The
    credentials are moto's dummies; nothing here can reach real AWS."""
    return {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing", "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": endpoint, "AWS_EC2_METADATA_DISABLED": "true"}


def client(service: str, endpoint: str):
    import boto3

    env = aws_env(endpoint)
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint,
                        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
                        aws_session_token=env["AWS_SESSION_TOKEN"])


class MotoServer:
    """``e2e/moto_server.py`` as a child process; ``url`` once started."""

    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self, timeout_s: float = 30.0) -> MotoServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(START_ATTEMPTS):  # another process may take the free port first
            port = free_port()
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(
                    [sys.executable, str(HERE / "moto_server.py"), str(port)],
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    preexec_fn=die_with_parent,
                    env={**os.environ, **aws_env(f"http://127.0.0.1:{port}")})
            self.url = f"http://127.0.0.1:{port}"
            if self._wait_ready(timeout_s):
                return self
            self.stop()
        raise RuntimeError(f"the moto server did not start; see {self.log_path}")

    def _wait_ready(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                urllib.request.urlopen(f"{self.url}/moto-api/", timeout=2).close()
                return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
