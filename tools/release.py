"""Which worker image a deployment runs: the tag `make deploy` builds, and whether an image
with a tag is already in the repository (`make deploy` then skips the build and push;
`make rollback` needs it there).

    python tools/release.py tag [--allow-dirty]          # prints the tag of the working tree
    python tools/release.py exists --tag T [--chdir terraform]   # exit 0 if T is in ECR, 1 if not
    python tools/release.py rollback-check --tag T [--chdir terraform]  # same, saying what there is

The tag is the commit (12 hex digits). A tree with uncommitted changes is refused: its image
would carry a commit's name without being that commit. `--allow-dirty` tags it
`<commit>-dirty-<hash of the changes>` instead (and says so), so two different dirty builds
never share a tag in the immutable repository.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class ReleaseError(Exception):
    """The release cannot go on; the message says why and what to do."""


def git(*args: str, cwd: Path = REPO) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def dirty_files(cwd: Path = REPO) -> list[str]:
    """Changed, staged or new (not ignored) files of the working tree."""
    return [line[3:] for line in git("status", "--porcelain", "--untracked-files=all", cwd=cwd).splitlines()]


def changes_digest(files: list[str], cwd: Path) -> str:
    digest = hashlib.sha256(git("diff", "HEAD", "--binary", cwd=cwd).encode())
    for name in sorted(files):
        path = cwd / name
        digest.update(name.encode() + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()[:8]


def release_tag(cwd: Path = REPO, allow_dirty: bool = False, warn=lambda text: None) -> str:
    commit = git("rev-parse", "--short=12", "HEAD", cwd=cwd).strip()
    files = dirty_files(cwd)
    if not files:
        return commit
    shown = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
    if not allow_dirty:
        raise ReleaseError(f"the working tree has uncommitted changes ({shown}): commit or stash "
                           "them, or deploy them on purpose with ALLOW_DIRTY=1 (tagged -dirty)")
    tag = f"{commit}-dirty-{changes_digest(files, cwd)}"
    warn(f"deploying uncommitted changes ({shown}) as image tag {tag}")
    return tag


def repository(chdir: Path) -> tuple[str, str]:
    """Name and region of the deployment's image repository, from Terraform's outputs."""
    result = subprocess.run(["terraform", f"-chdir={chdir}", "output", "-raw", "ecr_repository_url"],
                            capture_output=True, text=True)
    url = result.stdout.strip()
    if result.returncode != 0 or "/" not in url:
        raise ReleaseError("no deployed image repository (terraform output ecr_repository_url is empty): "
                           "run `make deploy` first")
    host, name = url.split("/", 1)
    return name, host.split(".")[3]


def image_tags(ecr, name: str) -> list[str]:
    """Tags in the repository, most recently pushed first."""
    images = []
    for page in ecr.get_paginator("describe_images").paginate(repositoryName=name):
        images += page["imageDetails"]
    images.sort(key=lambda image: image["imagePushedAt"], reverse=True)
    return [tag for image in images for tag in image.get("imageTags", [])]


def has_image(ecr, name: str, tag: str) -> bool:
    try:
        ecr.describe_images(repositoryName=name, imageIds=[{"imageTag": tag}])
    except ecr.exceptions.ImageNotFoundException:
        return False
    return True


def check_rollback(ecr, name: str, tag: str) -> None:
    if not has_image(ecr, name, tag):
        recent = image_tags(ecr, name)[:10]
        raise ReleaseError(f"no image {tag} in {name} (lifecycle policy keeps the newest keep_images); "
                           f"newest first: {', '.join(recent) or 'none'}")


def ecr_client(region: str):
    import boto3

    return boto3.client("ecr", region_name=region)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    tag = sub.add_parser("tag", help="print the image tag of the working tree")
    tag.add_argument("--allow-dirty", action="store_true", help="tag uncommitted changes -dirty-<hash>")
    exists = sub.add_parser("exists", help="exit 0 when the tag is in the repository, 1 when not")
    check = sub.add_parser("rollback-check", help="like exists, but explains a missing tag with the recent ones")
    for command in (exists, check):
        command.add_argument("--tag", required=True, help="image tag to look for")
        command.add_argument("--chdir", type=Path, default=Path("terraform"), help="root module")
    args = parser.parse_args(argv)
    try:
        if args.command == "tag":
            print(release_tag(allow_dirty=args.allow_dirty, warn=lambda text: print(f"WARNING: {text}", file=sys.stderr)))
            return 0
        name, region = repository(args.chdir)
        ecr = ecr_client(region)
        if args.command == "rollback-check":
            check_rollback(ecr, name, args.tag)
        return 0 if has_image(ecr, name, args.tag) else 1
    except ReleaseError as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
