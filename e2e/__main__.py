"""``python -m e2e up|down``: keep the local platform running for manual use.

``up`` applies the platform to a fresh moto server, writes ``e2e/work/local/env`` (the
variables a shell needs to use it) and runs until it gets SIGTERM or SIGINT; ``down`` sends
that to the running ``up``.
"""

from __future__ import annotations

import os
import shlex
import signal
import sys
import threading
from pathlib import Path

from e2e.localcloud import LocalCloud

STATE = Path(__file__).resolve().parent / "work" / "local"
PID_FILE, ENV_FILE = STATE / "pid", STATE / "env"


def env_file_text(env: dict[str, str], bin_dir: Path = Path(sys.executable).parent) -> str:
    """Shell lines that export ``env`` and put this virtualenv's commands (``eulereye``) first
    on PATH, so the README's ``source e2e/work/local/env; eulereye upload ...`` works as written."""
    lines = [f"export {k}={shlex.quote(v)}\n" for k, v in sorted(env.items())]
    return "".join(lines) + f'export PATH={shlex.quote(str(bin_dir))}:"$PATH"\n'


def up() -> int:
    if PID_FILE.exists():
        print(f"already running (pid {PID_FILE.read_text().strip()}); `make local-down` first",
              file=sys.stderr)
        return 1
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    STATE.mkdir(parents=True, exist_ok=True)
    PID_FILE.write_text(str(os.getpid()))
    try:
        with LocalCloud(STATE) as cloud:
            env = {**{k: v for k, v in cloud.client_env().items() if k.startswith("AWS_")},
                   "EULEREYE_BUCKET": cloud.bucket, "EULEREYE_QUEUE_URL": cloud.outputs["queue_url"]}
            ENV_FILE.write_text(env_file_text(env))
            print(f"local platform up: bucket {cloud.bucket}, AWS endpoint {cloud.proxy.url}; "
                  f"`source {ENV_FILE.relative_to(Path.cwd())}`", flush=True)
            stop.wait()
    finally:
        ENV_FILE.unlink(missing_ok=True)
        PID_FILE.unlink(missing_ok=True)
    return 0


def down() -> int:
    if not PID_FILE.exists():
        print("the local platform is not running", file=sys.stderr)
        return 0
    os.kill(int(PID_FILE.read_text()), signal.SIGTERM)
    return 0


if __name__ == "__main__":
    verbs = {"up": up, "down": down}
    if len(sys.argv) != 2 or sys.argv[1] not in verbs:
        sys.exit("usage: python -m e2e up|down")
    sys.exit(verbs[sys.argv[1]]())
