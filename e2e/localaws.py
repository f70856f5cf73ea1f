"""What a process needs to be a client of the local AWS, and the moto server with the gaps
``e2e/moto_server.py`` fills. The server lifecycle and ``terraform apply`` are
``tools/local_aws.py``'s; this only adds to them."""

from __future__ import annotations

import ctypes
import signal
import sys
from pathlib import Path

from tools.local_aws import FAKE_CREDENTIALS, REGION, MotoServer

LAUNCHER = Path(__file__).resolve().parent / "moto_server.py"
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class PlatformMotoServer(MotoServer):
    """moto server with the gaps of e2e/moto_server.py filled (Lambda targets, policy conditions,
    concurrent SQS receives)."""

    def command(self) -> list[str]:
        return [sys.executable, str(LAUNCHER), "-H", "127.0.0.1", "-p", str(self.port)]


def aws_env(endpoint: str) -> dict[str, str]:
    """What AWS gives every process (credentials, region) plus the local endpoint. The
    credentials are moto's dummies; nothing here can reach real AWS."""
    return {**FAKE_CREDENTIALS, "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": endpoint, "AWS_EC2_METADATA_DISABLED": "true"}


def die_with_parent() -> None:
    """``preexec_fn`` of the processes the runner starts: the kernel sends them SIGTERM when the
    runner dies, so a killed test run leaves no worker behind. (Linux ties this to the starting
    *thread*: the runner starts workers from its own thread, which lives as long as it does.)"""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
