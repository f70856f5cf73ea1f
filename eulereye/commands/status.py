"""``eulereye status --bucket B`` or ``--out DIR``: pages done, failed (and more) per folder.
``--failures`` (bucket): the failed pages grouped by error class, with counts and page names."""

from __future__ import annotations

LISTED = 20  # flagged pages and failed files named under the table; --json has them all


def register(subparsers, settings) -> None:
    parser = subparsers.add_parser(
        "status", help="show progress per folder: done, failed, flagged (bucket: queued, DLQ)",
        description="Count pages per top-level folder and name those that need a look: failed "
                    "files with their reason, and pages flagged far below the others (few words, "
                    "low confidence). With --bucket: inputs, done, failed and flagged pages in the "
                    "bucket (every manifest is read), and the queues. With --out: a local output "
                    "folder's done, failed, skipped (by the last run) and flagged pages.")
    where = parser.add_mutually_exclusive_group(required=not settings.bucket)
    where.add_argument("--bucket", default=settings.bucket or None,
                       help="the page bucket (default: EULEREYE_BUCKET)")
    where.add_argument("--out", metavar="DIR", help="a local output folder written by 'eulereye process'")
    parser.add_argument("--queue-url", default=settings.queue_url or None,
                        help="work queue (default EULEREYE_QUEUE_URL); its DLQ is found from it")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--report", metavar="DIR",
                        help="with --bucket: also write the HTML report of its pages to DIR/report/ (see 'report')")
    parser.add_argument("--counts-only", action="store_true",
                        help="with --bucket: count objects only, reading no manifest (quick on a large "
                             "bucket; no flagged pages, no reasons)")
    parser.add_argument("--failures", action="store_true",
                        help="with --bucket: group the failed pages (output/errors/) by error class, with counts and names")
    parser.add_argument("--show", type=int, default=10, metavar="N",
                        help="with --failures: page names listed per class (default 10; --json lists all)")
    parser.set_defaults(func=run)


def run(args) -> int:
    import json

    if args.failures:
        return print_failures(args)
    report = local_status(args) if args.out else bucket_status(args)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print("\n".join(table(report["folders"])))
    for name, value in report.get("queues", {}).items():
        print(f"{name}: {value}")
    # As the end of 'eulereye process' lists them; a failure's reason names its file.
    for title, listed, line in (("failed: ", report.get("failed", {}), "{why}"),
                                ("flagged:", report.get("flagged", {}), "{name}: {why}")):
        for name, why in list(listed.items())[:LISTED]:
            print(f"{title} " + line.format(name=name, why=why))
        if len(listed) > LISTED:
            print(f"{title} … and {len(listed) - LISTED} more (--json lists them all)")
    return 0


def print_failures(args) -> int:
    import json

    from eulereye.awsclients import operator_client
    from eulereye.errors import UsageError
    from eulereye.ops import failures

    if args.out:
        raise UsageError("--failures goes with --bucket; for a local folder run 'eulereye status --out DIR'")
    groups = failures(operator_client("s3"), args.bucket, args.settings.output_prefix)
    if args.json:
        print(json.dumps(groups, indent=2))
        return 0
    if not groups:
        print("no failed pages")
    for error, group in groups.items():
        print(f"{error}: {group['count']} page(s), e.g. {group['example']}")
        for name in group["pages"][:args.show]:
            print(f"  {name}")
        if group["count"] > args.show:
            print(f"  ... and {group['count'] - args.show} more (--json lists all)")
    return 0


def bucket_status(args) -> dict:
    from eulereye.awsclients import operator_client
    from eulereye.ops import status

    settings = args.settings
    report = status(operator_client("s3"), operator_client("sqs"), args.bucket, args.queue_url,
                    settings.input_prefix, settings.output_prefix, counts_only=args.counts_only)
    if args.report:
        import sys
        from pathlib import Path

        from eulereye.report.site import bucket_report

        index = bucket_report(operator_client("s3"), args.bucket, settings.output_prefix, Path(args.report))
        print(f"report: {index}", file=sys.stderr)
    return report


def local_status(args) -> dict:
    from pathlib import Path

    from eulereye.errors import UsageError
    from eulereye.outputs.localtree import tree_status

    if args.report:
        raise UsageError(f"--report goes with --bucket; for a local folder run 'eulereye report {args.out}'")
    if args.counts_only:
        raise UsageError("--counts-only goes with --bucket; a local folder is counted in full at once")
    root = Path(args.out)
    if not (root / "manifest").is_dir() and not (root / "errors").is_dir():
        raise UsageError(f"{args.out}: not an output folder of 'eulereye process' (no manifest/ or "
                         "errors/ in it); give the folder passed as --out")
    return tree_status(root)


def table(folders: dict[str, dict]) -> list[str]:
    """One row per folder, a column per count found in any of them (in the order first seen)."""
    columns = list(dict.fromkeys(key for counts in folders.values() for key in counts)) or ["done"]
    rows = [f"{'folder':30} " + " ".join(f"{c:>8}" for c in columns)]
    rows += [f"{folder:30} " + " ".join(f"{counts.get(c, 0):>8}" for c in columns)
             for folder, counts in folders.items()]
    return rows
