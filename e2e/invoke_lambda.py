"""Runs one Lambda invocation the way the Lambda runtime does: imports ``HANDLER``
(``module.function``) from the function's code folder, calls it with the event read from stdin
and a context (stdout is the function's log; a failure exits non-zero, as the runtime reports it).

Usage: ``python e2e/invoke_lambda.py CODE_DIR HANDLER < event.json``
"""

from __future__ import annotations

import importlib
import json
import sys
import uuid
from types import SimpleNamespace


def main(code_dir: str, handler: str) -> None:
    sys.path.insert(0, code_dir)
    module_name, function_name = handler.rsplit(".", 1)
    function = getattr(importlib.import_module(module_name), function_name)
    context = SimpleNamespace(aws_request_id=str(uuid.uuid4()), function_name=module_name,
                              get_remaining_time_in_millis=lambda: 60_000)
    function(json.load(sys.stdin), context)


if __name__ == "__main__":
    main(*sys.argv[1:3])
