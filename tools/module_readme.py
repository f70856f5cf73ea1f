"""Keeps each module's README inputs/outputs tables in step with variables*.tf and outputs.tf.

    python tools/module_readme.py [--check] [modules/storage ...]

Rewrites the part of README.md between the INPUTS/OUTPUTS markers; --check only reports
READMEs that are out of date (exit 1), as the tests do.

Why not terraform-docs: it is a Go binary published only as GitHub release downloads and
container images; no package registry our machines and CI install from carries it (PyPI, npm
and Debian have no terraform-docs package; checked with `pip download`, `npm view` and
`apt-cache search`), and an install step that downloads a release binary fails here. So this
generator stays: it reads only what a module README shows (name, description, type, default of
each variable and output) and the tests keep every README in step with it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- BEGIN GENERATED: inputs and outputs -->", "<!-- END GENERATED -->"
BLOCK = re.compile(r'^(variable|output) "([^"]+)" \{\n(.*?)^\}', re.S | re.M)
ATTRIBUTE = re.compile(r'^  (description|type|default)\s*=\s*(.+)$', re.M)


def blocks(path: Path) -> list[tuple[str, dict[str, str]]]:
    if not path.exists():
        return []
    found = []
    for _, name, body in BLOCK.findall(path.read_text()):
        top_level = "\n".join(line for line in body.splitlines() if re.match(r"^  \S", line))
        attributes = {key: value.strip() for key, value in ATTRIBUTE.findall(top_level)}
        description = attributes.get("description", '""')
        attributes["description"] = description[1:-1].replace('\\"', '"') if description.startswith('"') else description
        found.append((name, attributes))
    return found


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def tables(module: Path) -> str:
    lines = ["## Inputs", "", "| name | description | type | default |", "|---|---|---|---|"]
    for name, a in (b for path in sorted(module.glob("variables*.tf")) for b in blocks(path)):
        default = f"`{cell(a['default'])}`" if "default" in a else "required"
        lines.append(f"| `{name}` | {cell(a['description'])} | `{cell(a.get('type', 'any'))}` | {default} |")
    lines += ["", "## Outputs", "", "| name | description |", "|---|---|"]
    lines += [f"| `{name}` | {cell(a['description'])} |" for name, a in blocks(module / "outputs.tf")]
    return "\n".join([BEGIN, *lines, END])


def updated(readme: str, module: Path) -> str:
    if BEGIN in readme:
        head, rest = readme.split(BEGIN, 1)
        return head + tables(module) + rest.split(END, 1)[1]
    return readme.rstrip("\n") + "\n\n" + tables(module) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("modules", nargs="*", type=Path)
    args = parser.parse_args(argv)
    modules = args.modules or sorted(p.parent for p in REPO.glob("modules/*/main.tf")) + [REPO / "terraform"]
    stale = []
    for module in modules:
        readme = module / "README.md"
        current = readme.read_text() if readme.exists() else f"# {module.name}\n"
        fresh = updated(current, module)
        if fresh != current:
            stale.append(str(readme))
            if not args.check:
                readme.write_text(fresh)
    if args.check and stale:
        print("out of date (run `python tools/module_readme.py`):\n  " + "\n  ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
