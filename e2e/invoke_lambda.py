"""Runs one Lambda invocation the way the Lambda runtime does: imports ``HANDLER``
(``module.function``) from the function's code folder, calls it with the event read from stdin
and a context, and writes the JSON result to RESULT_FILE (stdout is the function's log).

Usage: ``python e2e/invoke_lambda.py CODE_DIR HANDLER RESULT_FILE < event.json``
"""

from __future__ import annotations

import importlib
import json
import sys
import uuid
from types import SimpleNamespace


def main(code_dir: str, handler: str, result_file: str) -> None:
    sys.path.insert(0, code_dir)
    module_name, function_name = handler.rsplit(".", 1)
    function = getattr(importlib.import_module(module_name), function_name)
    context = SimpleNamespace(aws_request_id=str(uuid.uuid4()), function_name=module_name,
                              get_remaining_time_in_millis=lambda: 60_000)
    result = function(json.load(sys.stdin), context)
    with open(result_file, "w") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main(*sys.argv[1:4])
