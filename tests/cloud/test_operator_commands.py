"""What the operator commands check and show: upload's --prefix, status --failures, help texts."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from eulereye import ops
from eulereye.cli import build_parser, main
from eulereye.config import Settings

OPERATOR_VERBS = ("upload", "status", "retry")


@pytest.fixture
def s3():
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket="archive")
        yield client


def keys(s3) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket="archive").get("Contents", []))


@pytest.mark.parametrize("prefix", ["news/1890", "news/1890/", "input/news/1890"])
def test_upload_prefix_is_a_sub_folder_of_input(s3, tmp_path, prefix):
    (tmp_path / "p1.png").write_bytes(b"a" * 10)
    assert main(["upload", str(tmp_path), "--bucket", "archive", "--prefix", prefix]) == 0
    assert keys(s3) == ["input/news/1890/p1.png"]


@pytest.mark.parametrize("prefix", ["../news", "/news", "news//1890", "input/../x", "."])
def test_upload_refuses_a_prefix_outside_input(s3, tmp_path, prefix, capsys):
    (tmp_path / "p1.png").write_bytes(b"a" * 10)
    with pytest.raises(SystemExit) as stopped:
        main(["upload", str(tmp_path), "--bucket", "archive", "--prefix", prefix])
    assert stopped.value.code == 2 and "--prefix" in capsys.readouterr().err
    assert keys(s3) == []


def put_error(s3, name: str, error: str, message: str) -> None:
    record = {"status": "failed", "name": name, "input": {"key": f"input/{name}.tif"},
              "error": error, "message": message}
    s3.put_object(Bucket="archive", Key=f"output/errors/{name}.json", Body=json.dumps(record).encode())


def test_failures_are_grouped_by_class_largest_first(s3):
    put_error(s3, "1890/03/p1", "CorruptImage", "truncated TIFF")
    put_error(s3, "1890/03/p2", "CorruptImage", "truncated TIFF")
    put_error(s3, "1891/p9", "UnsupportedFormat", "GIF is not supported")
    s3.put_object(Bucket="archive", Key="output/manifest/1890/03/p3.json", Body=b"{}")
    groups = ops.failures(s3, "archive")
    assert list(groups) == ["CorruptImage", "UnsupportedFormat"]
    assert groups["CorruptImage"] == {"count": 2, "pages": ["1890/03/p1", "1890/03/p2"],
                                      "example": "truncated TIFF"}
    assert groups["UnsupportedFormat"]["pages"] == ["1891/p9"]


def test_status_failures_prints_counts_and_names(s3, capsys):
    for i in range(12):
        put_error(s3, f"1890/p{i:02d}", "CorruptImage", "truncated TIFF")
    assert main(["status", "--bucket", "archive", "--failures", "--show", "3"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:4] == ["CorruptImage: 12 page(s), e.g. truncated TIFF",
                                    "  1890/p00", "  1890/p01", "  1890/p02"]
    assert "... and 9 more" in out
    assert main(["status", "--bucket", "archive", "--failures", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["CorruptImage"]["pages"]) == 12


def options_of(verb: str):
    parser = build_parser(Settings(bucket="archive", queue_url="https://sqs.invalid/1/q"))
    subparsers = next(a for a in parser._actions if a.dest == "verb")
    return subparsers.choices[verb]._actions


@pytest.mark.parametrize("verb", OPERATOR_VERBS)
def test_every_operator_option_has_help(verb):
    missing = [a.option_strings or a.dest for a in options_of(verb) if a.dest != "help" and not a.help]
    assert missing == []
