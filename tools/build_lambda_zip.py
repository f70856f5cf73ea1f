"""Packs lambda_src/ into the scaler's deployment zip, byte-for-byte reproducible.

Same sources give the same zip (fixed timestamps and permissions, sorted entries), so
Terraform's source_code_hash changes only when the code does.

    python tools/build_lambda_zip.py [--src lambda_src] [--out build/scaler.zip] [--require scaler.py]
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
SKIPPED_PARTS = {"__pycache__", ".pytest_cache"}


def source_files(src: Path) -> list[Path]:
    """Files to ship: everything under src except caches and compiled bytecode."""
    return sorted(
        path for path in src.rglob("*")
        if path.is_file() and not SKIPPED_PARTS.intersection(path.parts) and path.suffix != ".pyc"
    )


def build(src: Path, out: Path) -> list[str]:
    names = []
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in source_files(src):
            name = path.relative_to(src).as_posix()
            info = zipfile.ZipInfo(name, date_time=FIXED_TIMESTAMP)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
            names.append(name)
    partial.replace(out)  # never leave a half-written zip where Terraform reads it
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=Path("lambda_src"))
    parser.add_argument("--out", type=Path, default=Path("build/scaler.zip"))
    parser.add_argument("--require", action="append", default=[],
                        help="file that must be in the package (e.g. scaler.py for a deployment)")
    args = parser.parse_args(argv)
    if not args.src.is_dir():
        print(f"build_lambda_zip: {args.src}/ does not exist", file=sys.stderr)
        return 2
    missing = [name for name in args.require if not (args.src / name).is_file()]
    if missing:
        print(f"build_lambda_zip: {args.src}/ lacks {', '.join(missing)}", file=sys.stderr)
        return 2
    names = build(args.src, args.out)
    print(f"{args.out}: {len(names)} file(s) from {args.src}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
