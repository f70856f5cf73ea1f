"""``eulereye`` command line. Exit codes: 0 all pages ok, 1 some pages failed, 2 bad usage."""

from __future__ import annotations

import argparse
import importlib
import sys

from eulereye import __version__
from eulereye.logs import configure, get_logger

# Verb modules under eulereye.commands, in the order `--help` lists them.
VERBS = ["process", "synth", "train", "eval", "render", "report", "worker", "upload", "status", "retry",
         "reconcile"]


class UsageError(Exception):
    """A mistake in how the command was called: reported in one line, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eulereye", description=__doc__)
    parser.add_argument("--version", action="version", version=f"eulereye {__version__}")
    parser.add_argument("--log-format", choices=("auto", "json", "console"), default=None,
                        help="log lines as JSON or readable text (default: EULEREYE_LOG_FORMAT, "
                             "else readable on a terminal, JSON otherwise)")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")
    for verb in VERBS:
        importlib.import_module(f"eulereye.commands.{verb}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from eulereye.config import Settings

    configure(args.log_format or Settings.from_env().log_format)
    try:
        return args.func(args)
    except UsageError as exc:
        parser.error(str(exc))  # exits 2 with the usage line
    except KeyboardInterrupt:
        get_logger().warning("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
