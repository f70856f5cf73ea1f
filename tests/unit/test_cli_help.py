"""Help and usage errors as a newcomer meets them: every command and option explains itself in
plain words; an unknown option is named with the closest valid one; a missing file names the
file and says what to do; exit status 2, no traceback."""

from __future__ import annotations

import argparse

import pytest

from eulereye.cli import build_parser, main
from eulereye.config import Settings


def verb_parsers():
    parser = build_parser(Settings())
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return parser, sub


def options_of(parser: argparse.ArgumentParser):
    return [a for a in parser._actions if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))]


def test_every_command_has_a_description_and_a_one_line_help():
    parser, sub = verb_parsers()
    helps = {choice.dest: choice.help for choice in sub._choices_actions}
    for verb, verb_parser in sub.choices.items():
        assert helps.get(verb), f"{verb}: no one-line help in `eulereye --help`"
        assert verb_parser.description, f"{verb}: no description in `eulereye {verb} --help`"


def test_every_option_has_help_in_plain_words():
    parser, sub = verb_parsers()
    for name, each in [("eulereye", parser), *sub.choices.items()]:
        for action in options_of(each):
            assert action.help, f"{name} {'/'.join(action.option_strings) or action.dest}: no help"
            assert "\n" not in action.help


def test_no_markup_in_any_help_text(capsys):
    parser, sub = verb_parsers()
    texts = [parser.format_help()] + [p.format_help() for p in sub.choices.values()]
    for text in texts:
        assert "`" not in text, text


@pytest.mark.parametrize("argv, message", [
    (["process", "pages", "--output", "out"], "eulereye process: error: unknown option --output; did you mean --out?"),
    (["--log-fromat", "json", "process"], "unknown option --log-fromat; did you mean --log-format?"),
    (["render", "p.png", "--out", "o.png", "--frames", "2"], "unknown option --frames; did you mean --frame?"),
    (["process", "pages", "-out", "out"], "eulereye process: error: unknown option -out; did you mean --out?"),
])
def test_an_unknown_option_is_named_with_the_closest_valid_one(argv, message, capsys):
    assert exit_status(argv) == 2
    assert message in capsys.readouterr().err


def exit_status(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exited:
        return exited.code


def test_a_missing_path_names_it_and_says_what_to_do(tmp_path, capsys):
    assert exit_status(["process", str(tmp_path / "no such"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"eulereye process: error: {tmp_path / 'no such'}: no such file or folder; check the path")
    assert "usage:" not in err, "a missing file is not a usage mistake worth the whole usage text"


def test_upload_of_a_missing_folder_names_it_and_says_what_to_do(tmp_path, capsys):
    assert exit_status(["upload", str(tmp_path / "no such"), "--bucket", "archive"]) == 2
    err = capsys.readouterr().err
    assert f"eulereye upload: error: {tmp_path / 'no such'}: not a folder; give the folder of page images" in err


def test_counts_only_is_for_a_bucket(tmp_path, capsys):
    assert exit_status(["status", "--out", str(tmp_path), "--counts-only"]) == 2
    assert "--counts-only goes with --bucket" in capsys.readouterr().err


def test_an_out_that_is_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "page.png").write_bytes(b"not yet scanned")
    (tmp_path / "out.txt").write_text("notes")
    assert exit_status(["process", str(tmp_path / "page.png"), "--out", str(tmp_path / "out.txt")]) == 2
    assert "--out " + str(tmp_path / "out.txt") + " is a file; give a folder" in capsys.readouterr().err


def test_an_output_folder_that_cannot_be_written_stops_with_one_line(tmp_path, capsys):
    (tmp_path / "page.png").write_bytes(b"not yet scanned")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "errors").write_text("a file where a folder must go")
    assert main(["process", str(tmp_path / "page.png"), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.splitlines()[-1]
    assert err.startswith("eulereye process: error: ") and str(tmp_path / "out" / "errors") in err
    assert err.endswith("check that the folder exists and that you may write there")
