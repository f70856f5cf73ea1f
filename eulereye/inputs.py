"""The page images a local run reads: files given, and folders searched for page images (used
by ``eulereye process`` and ``eulereye upload``)."""

from __future__ import annotations

import os
from pathlib import Path

from eulereye.errors import UsageError
from eulereye.imaging import PAGE_SUFFIXES


def find_inputs(paths: list[str], exclude: Path | None = None) -> list[tuple[Path, str]]:
    """(file, relative name) for each input: a file given directly is named by its file name,
    a file found in a folder by its path below that folder. Hidden files and folders, and the
    folder ``exclude`` (the output folder) with everything under it, are never inputs."""
    found: list[tuple[Path, str]] = []
    for arg in paths:
        root = Path(arg)
        if exclude and _within(root, exclude):
            raise UsageError(f"{arg} is inside the output folder {exclude}: outputs are never read "
                             "as pages; give the folder of the scans, or another --out")
        if root.is_dir():
            found += [(path, path.relative_to(root).as_posix()) for path in _pages_below(root, exclude)]
        elif root.exists() or root.is_symlink():
            found.append((root, root.name))
        else:
            raise UsageError(f"{arg}: no such file or folder; check the path (quote names with spaces)")
    seen: dict[str, Path] = {}
    for path, rel in found:
        if rel in seen:
            raise UsageError(f"{seen[rel]} and {path} would write the same outputs ({rel}); "
                             "process them into separate --out folders")
        seen[rel] = path
    return found


def _within(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _pages_below(root: Path, exclude: Path | None) -> list[Path]:
    """Page images under ``root``, sorted, leaving out hidden entries and ``exclude``."""
    pages = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")
                   and not (exclude and _within(Path(folder, d), exclude))]
        pages += [Path(folder, f) for f in files
                  if not f.startswith(".") and Path(f).suffix.lower() in PAGE_SUFFIXES]
    return sorted(pages)
