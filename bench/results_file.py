"""bench/RESULTS.md holds one section per benchmark script; each script rewrites its own
section between markers and leaves the others as they are."""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, name: str, text: str) -> None:
    """Put ``text`` in section ``name`` of ``path``: replacing the section where the file has
    it, else appended (the file is created when missing)."""
    start = f"<!-- begin {name}: written by bench/, do not edit by hand -->"
    end = f"<!-- end {name} -->"
    block = f"{start}\n{text.rstrip()}\n{end}\n"
    old = path.read_text() if path.exists() else ""
    if start in old and end in old:
        head, rest = old.split(start, 1)
        tail = rest.split(end, 1)[1].lstrip("\n")
        new = head + block + ("\n" + tail if tail else "")
    else:
        new = old + ("\n" if old else "") + block
    path.write_text(new)
