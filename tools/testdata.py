"""The real pages, Textract responses and book pages the tests read, in a git-ignored cache.

Every file is listed in ``tools/testdata.json`` under its path below ``shared/data`` with its
SHA-256 and its public source (a repository at a pinned commit, a file in it, and how the file
was made from it). ``python -m tools.testdata`` (``make testdata``) fills ``.testdata/`` from
exactly one origin:

1. ``../shared/data`` beside the repository, when it is there (CI, the project's machines);
2. else ``EULEREYE_TESTDATA_MIRROR=<base URL>``: each file at ``<base>/<path below shared/data>``;
3. else the public sources on GitHub.

A file is stored only when its SHA-256 matches the manifest. When the origin cannot be reached
at all, the run stops at once with one line naming what is missing and how to get it.
Tests read the cache through :func:`data_path` and :func:`data_paths`.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
import os
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tools.testdata_extract import EXTRACTORS

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "tools" / "testdata.json"
CACHE = REPO / ".testdata"
SHARED_DATA = REPO.parent / "shared" / "data"
MIRROR_VARIABLE = "EULEREYE_TESTDATA_MIRROR"
GITHUB_RAW = "https://raw.githubusercontent.com"
TIMEOUT_SECONDS = 30
HOW_TO_GET = (f"put the project's shared/data folder at {SHARED_DATA}, or set {MIRROR_VARIABLE}=<base URL "
              "of a copy of shared/data>, or connect to the internet (the public sources are on GitHub); "
              "then run make testdata")


class FetchError(Exception):
    """Test data could not be put in the cache; the message is one line."""


class OriginUnreachable(FetchError):
    """The origin gave no answer at all (offline, wrong host): no point asking it for more files."""


@dataclass(frozen=True)
class Entry:
    path: str  # below shared/data, '/'-separated
    sha256: str
    source: dict  # repo, commit, path, and 'extract' when the file is made from the source file


@functools.cache
def load_manifest(manifest: Path = MANIFEST) -> dict[str, Entry]:
    files = json.loads(manifest.read_text())["files"]
    return {path: Entry(path, item["sha256"], item["source"]) for path, item in files.items()}


def data_path(relative: str, manifest: Path = MANIFEST, cache: Path = CACHE) -> Path:
    """Where the test file ``relative`` (its path below shared/data) lies once fetched."""
    if relative not in load_manifest(manifest):
        raise KeyError(f"{relative} is not listed in {manifest.name}: add it there (path, SHA-256, source)")
    return cache / relative


def data_paths(pattern: str, manifest: Path = MANIFEST, cache: Path = CACHE) -> list[Path]:
    """The listed test files whose path below shared/data matches ``pattern`` (fnmatch), sorted.
    Reads only the manifest, so tests can be parametrized before anything is fetched."""
    return [cache / path for path in sorted(load_manifest(manifest)) if fnmatch.fnmatchcase(path, pattern)]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_cached(entry: Entry, cache: Path) -> bool:
    target = cache / entry.path
    return target.is_file() and sha256_of(target.read_bytes()) == entry.sha256


def store(entry: Entry, data: bytes, origin: str, cache: Path) -> None:
    """Write ``data`` under the cache only if its SHA-256 is the manifest's (atomically, so two
    test workers filling the cache at once never see half a file)."""
    digest = sha256_of(data)
    if digest != entry.sha256:
        raise FetchError(f"{entry.path} from {origin} refused: SHA-256 {digest}, the manifest "
                            f"expects {entry.sha256}")
    target = cache / entry.path
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, target)


def download(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise FetchError(f"{url}: HTTP {error.code} {error.reason}") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise OriginUnreachable(f"{url} could not be reached ({reason})") from error


def from_shared(entry: Entry, shared: Path) -> tuple[bytes, str]:
    source = shared / entry.path
    if not source.is_file():
        raise FetchError(f"{entry.path} is not in {shared}")
    return source.read_bytes(), str(source)


def from_mirror(entry: Entry, mirror: str) -> tuple[bytes, str]:
    url = f"{mirror.rstrip('/')}/{entry.path}"
    return download(url), url


def from_public_source(entry: Entry, raw_base: str = GITHUB_RAW) -> tuple[bytes, str]:
    source = entry.source
    url = f"{raw_base}/{source['repo']}/{source['commit']}/{source['path']}"
    data = download(url)
    extract = source.get("extract")
    if extract:
        data = EXTRACTORS[extract](data, source)
    return data, url


def fetch_one(entry: Entry, cache: Path, shared: Path | None, mirror: str | None, raw_base: str) -> None:
    if shared is not None:
        data, origin = from_shared(entry, shared)
    elif mirror:
        data, origin = from_mirror(entry, mirror)
    else:
        data, origin = from_public_source(entry, raw_base)
    store(entry, data, origin, cache)


def origin_name(shared: Path | None, mirror: str | None) -> str:
    if shared is not None:
        return str(shared)
    return f"{MIRROR_VARIABLE}={mirror}" if mirror else "the public sources"


def missing_line(missing: list[Entry], shared: Path | None, mirror: str | None, reason: str) -> str:
    named = ", ".join(entry.path for entry in missing[:3])
    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
    if shared is None and not mirror:
        origins = f"no {SHARED_DATA}, {MIRROR_VARIABLE} unset, and the public sources"
    else:
        origins = origin_name(shared, mirror)
    return (f"test data missing: {len(missing)} file(s) ({named}{more}); {origins} could not be "
            f"reached: {reason}. To get them: {HOW_TO_GET}")


def fill_cache(entries: dict[str, Entry], cache: Path = CACHE, shared: Path | None = None,
               mirror: str | None = None, raw_base: str = GITHUB_RAW) -> list[str]:
    """Put every missing or damaged entry in the cache from the one origin. Returns the paths
    fetched; raises FetchError with one line per file that could not be stored, or one line
    for all of them when the origin cannot be reached."""
    missing = [entry for entry in entries.values() if not is_cached(entry, cache)]
    fetched, failures = [], []
    for index, entry in enumerate(missing):
        try:
            fetch_one(entry, cache, shared, mirror, raw_base)
        except OriginUnreachable as error:
            raise FetchError(missing_line(missing[index:], shared, mirror, str(error))) from error
        except FetchError as error:
            failures.append(str(error))
        else:
            fetched.append(entry.path)
    if failures:
        raise FetchError("\n".join(failures))
    return fetched


def chosen_shared(shared: Path = SHARED_DATA) -> Path | None:
    return shared if shared.is_dir() else None


def ensure(manifest: Path = MANIFEST, cache: Path = CACHE) -> list[str]:
    """Fill the cache from the origin this machine has (see the module docstring)."""
    return fill_cache(load_manifest(manifest), cache, chosen_shared(), os.environ.get(MIRROR_VARIABLE))


def main() -> int:
    shared, mirror = chosen_shared(), os.environ.get(MIRROR_VARIABLE)
    try:
        fetched = ensure()
    except FetchError as error:
        print(error, file=sys.stderr)
        return 1
    if fetched:
        print(f"test data: {len(fetched)} file(s) from {origin_name(shared, mirror)} into {CACHE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
