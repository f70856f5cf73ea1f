"""Release tags: a dirty tree is refused (or tagged -dirty on purpose), an image already in the
repository is found (deploy skips the build), a rollback names an image that is there."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timezone

import boto3
import pytest
from moto import mock_aws

from tests.terraform.helpers import run
from tools import release


@pytest.fixture
def repo(tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / ".gitignore").write_text("build/\n")
    (tmp_path / "app.py").write_text("print(1)\n")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "first")
    return tmp_path


def test_a_clean_tree_is_tagged_with_its_commit(repo):
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=repo, capture_output=True,
                            text=True).stdout.strip()
    (repo / "build").mkdir()
    (repo / "build" / "scaler.zip").write_bytes(b"ignored output")
    assert release.release_tag(repo) == commit


def test_a_dirty_tree_is_refused_or_tagged_dirty_by_its_changes(repo):
    (repo / "app.py").write_text("print(2)\n")
    (repo / "new.py").write_text("x = 1\n")
    with pytest.raises(release.ReleaseError, match=r"uncommitted changes \(app.py, new.py\)"):
        release.release_tag(repo)
    said = []
    first = release.release_tag(repo, allow_dirty=True, warn=said.append)
    assert "-dirty-" in first and first in said[0]
    (repo / "app.py").write_text("print(3)\n")
    assert release.release_tag(repo, allow_dirty=True) != first  # other changes, other tag


@pytest.fixture
def ecr():
    with mock_aws():
        client = boto3.client("ecr", region_name="eu-central-1")
        client.create_repository(repositoryName="eulereye", imageTagMutability="IMMUTABLE")
        yield client


def push(ecr, tag: str, digest: str) -> None:
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {"digest": "sha256:" + digest * 64, "size": 1,
                           "mediaType": "application/vnd.docker.container.image.v1+json"}, "layers": []}
    ecr.put_image(repositoryName="eulereye", imageManifest=json.dumps(manifest), imageTag=tag)


def test_an_image_already_pushed_is_found_and_a_missing_one_explained(ecr):
    push(ecr, "aaa111", "a")
    push(ecr, "bbb222", "b")
    assert release.has_image(ecr, "eulereye", "aaa111") and not release.has_image(ecr, "eulereye", "ccc333")
    release.check_rollback(ecr, "eulereye", "aaa111")
    with pytest.raises(release.ReleaseError, match="no image ccc333 in eulereye") as refused:
        release.check_rollback(ecr, "eulereye", "ccc333")
    assert "aaa111" in str(refused.value) and "bbb222" in str(refused.value)


def test_image_tags_are_listed_newest_first():
    class Pages:
        def paginate(self, repositoryName):  # noqa: N803 - boto3's name
            yield {"imageDetails": [
                {"imageTags": ["old"], "imagePushedAt": datetime(2026, 1, 1, tzinfo=timezone.utc)},
                {"imageTags": ["new"], "imagePushedAt": datetime(2026, 3, 1, tzinfo=timezone.utc)}]}

    class Client:
        def get_paginator(self, name):
            return Pages()

    assert release.image_tags(Client(), "eulereye") == ["new", "old"]


def test_make_rollback_needs_the_tag_named():
    result = run(["make", "--no-print-directory", "rollback"])
    assert result.returncode != 0 and "make rollback IMAGE_TAG=<tag>" in result.stderr
