"""``eulereye train``: train the page-segmentation FCN on generated pages."""

from __future__ import annotations

import argparse
import json
import shlex
from dataclasses import asdict, fields
from pathlib import Path

from eulereye.training.settings import TrainSettings


def register(subparsers, settings) -> None:
    parser = subparsers.add_parser(
        "train", help="train the segmentation FCN on generated pages",
        description="Train the page-segmentation FCN on synthetic pages (eulereye.synth). "
                    "Resumable; logs loss and validation metrics; --export writes the weights "
                    "and a JSON record of how they were made.")
    parser.add_argument("--out", default="runs/fcn", help="run folder: cached data, checkpoints, log")
    defaults = TrainSettings(out="")
    for field in fields(TrainSettings):
        if field.name != "out":
            flag = "--" + field.name.replace("_", "-")
            parser.add_argument(flag, type=type(getattr(defaults, field.name)),
                                default=getattr(defaults, field.name), help="(default %(default)s)")
    parser.add_argument("--resume", action="store_true", help="continue from <out>/last.pt")
    parser.add_argument("--smoke", action="store_true",
                        help="a tiny run (seconds) that exercises the whole loop; for CI")
    parser.add_argument("--export-only", action="store_true",
                        help="do not train: export the best weights of the run in --out as it "
                             "stands (e.g. one stopped early), recording the step it reached")
    parser.add_argument("--export", metavar="PATH", type=Path,
                        help="copy the best weights to PATH (e.g. eulereye/weights/fcn.pt) and "
                             "write PATH with .json: command, seed, data size, metrics")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from eulereye.training.fcn import train

    if args.export_only:
        return export_stopped_run(Path(args.out), args.export)
    if args.smoke:
        settings = TrainSettings.smoke(args.out)
    else:
        settings = TrainSettings(**{f.name: getattr(args, f.name) for f in fields(TrainSettings)})
    best = train(settings, resume=args.resume)
    if args.export:
        export(Path(settings.out) / "best.pt", args.export, settings, best)
    print(json.dumps(best, indent=2))
    return 0


def command_line(settings: TrainSettings) -> str:
    """The ``eulereye train`` command that reproduces ``settings``."""
    flags = [f"--{f.name.replace('_', '-')}={getattr(settings, f.name)}" for f in fields(settings)]
    return shlex.join(["eulereye", "train", *flags])


def export_stopped_run(run: Path, target: Path | None) -> int:
    """Export ``run``'s best weights without training further."""
    from eulereye.errors import UsageError
    from eulereye.segment.fcn import load_checkpoint

    if target is None or not (run / "last.pt").exists():
        raise UsageError(f"--export-only needs --export PATH and a run with checkpoints in {run}")
    _, _, last = load_checkpoint(run / "last.pt")
    settings = TrainSettings(**last["settings"])
    best = {**last["best"], "stopped_at_step": last["step"], "planned_steps": settings.steps}
    export(run / "best.pt", target, settings, best)
    print(json.dumps(best, indent=2))
    return 0


def export(best_checkpoint: Path, target: Path, settings: TrainSettings, metrics: dict) -> None:
    """Weights only (no optimiser state) to ``target``; provenance beside it."""
    from eulereye.segment.fcn import load_checkpoint, save_checkpoint

    model, config, _ = load_checkpoint(best_checkpoint)
    save_checkpoint(target, model, config)
    record = {
        "command": command_line(settings),
        "settings": asdict(settings),
        "config": asdict(config),
        "data": {"train_pages": metrics["train_pages"], "val_pages": metrics["val_pages"],
                 "page_size": [settings.page_width, settings.page_height],
                 "generator": "eulereye.synth.generate_page(seed) for seeds "
                              f"{settings.seed * 100_000}.. (train), 1000000.. (validation)"},
        "validation": metrics,
        "run": _run_record(best_checkpoint.parent),
    }
    target.with_suffix(".json").write_text(json.dumps(record, indent=2) + "\n")


def _run_record(run: Path) -> dict:
    """How long the run took to its last validation, and on what."""
    import os
    import platform

    log = run / "log.jsonl"
    lines = log.read_text().splitlines() if log.exists() else []
    last = json.loads(lines[-1]) if lines else {}
    return {"seconds": last.get("seconds"), "last_step": last.get("step"),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}"}
