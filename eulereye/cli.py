"""``eulereye`` command line. Exit codes: 0 all pages ok, 1 some pages failed, 2 bad usage.

The edge of the package: the settings are built here, once, from the environment
(``eulereye.environment``), and passed down: to each verb's flags as their defaults and to its
``run`` as ``args.settings``.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys

from eulereye import __version__
from eulereye.errors import UsageError
from eulereye.config import Settings
from eulereye.logs import LOG_FORMATS, configure, get_logger

# Verb modules under eulereye.commands, in the order `--help` lists them.
VERBS = ["process", "synth", "train", "eval", "render", "report", "worker", "upload", "status", "retry",
         "reconcile"]


DESCRIPTION = ("Turn scanned newspaper pages into searchable text, section by section. "
               "Exit status: 0 when every page succeeded, 1 when some failed, 2 on bad usage.")


class Parser(argparse.ArgumentParser):
    """An argument parser that names an unknown option, with the closest valid one, before
    complaining about anything else (a misspelt --out is not "required: --out")."""

    def parse_known_args(self, args=None, namespace=None):
        args = list(sys.argv[1:] if args is None else args)
        self._refuse_unknown_options(args)
        return super().parse_known_args(args, namespace)

    def _refuse_unknown_options(self, args: list[str]) -> None:
        known = sorted(self._option_string_actions)
        verbs = {name for action in self._actions if isinstance(action, argparse._SubParsersAction)
                 for name in action.choices}
        for token in args:
            if token == "--" or token in verbs:  # what follows a verb is the verb's to check
                return
            flag = token.split("=", 1)[0]
            if _is_unknown(flag, known):
                close = difflib.get_close_matches(flag if flag.startswith("--") else "-" + flag, known, n=1)
                self.error(f"unknown option {flag}; " + (f"did you mean {close[0]}?" if close
                                                         else f"see {self.prog} --help"))


def _is_unknown(flag: str, known: list[str]) -> bool:
    """An option no command has: a misspelt or ambiguous --name, or a word after one dash
    (-out meant as --out; a value such as -5 is not a word)."""
    if flag.startswith("--"):
        return flag not in known and sum(k.startswith(flag) for k in known) != 1
    return flag.startswith("-") and len(flag) > 2 and flag[1].isalpha() and flag[:2] not in known


def build_parser(settings: Settings) -> argparse.ArgumentParser:
    parser = Parser(prog="eulereye", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"eulereye {__version__}")
    parser.add_argument("--log-format", choices=LOG_FORMATS, default=settings.log_format,
                        help="log lines as JSON or readable text (default: EULEREYE_LOG_FORMAT, "
                             "else readable on a terminal, JSON otherwise)")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND",
                                title="commands (eulereye COMMAND --help for each)")
    for verb in VERBS:
        importlib.import_module(f"eulereye.commands.{verb}").register(sub, settings)
    return parser


def main(argv: list[str] | None = None) -> int:
    from eulereye.environment import SettingError, settings_from

    try:
        settings = settings_from(os.environ)
    except SettingError as exc:
        print(f"eulereye: error: {exc}", file=sys.stderr)
        return 2
    args = build_parser(settings).parse_args(argv)
    args.settings = settings
    configure(args.log_format)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"eulereye {args.verb}: error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None  # as argparse does for the mistakes it finds
    except OSError as exc:  # e.g. an output folder that cannot be written: stop, say where
        print(f"eulereye {args.verb}: error: {exc.filename or ''}: {exc.strerror or exc}; check that "
              "the folder exists and that you may write there", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        get_logger().warning("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
