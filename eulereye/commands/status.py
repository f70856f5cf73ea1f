"""``eulereye status --bucket B``: inputs, done, failed per folder; queued and dead-lettered.
``--failures``: the failed pages grouped by error class, with counts and page names."""

from __future__ import annotations


def register(subparsers) -> None:
    from eulereye.config import Settings

    settings = Settings.from_env()
    parser = subparsers.add_parser("status", help="show progress of a bucket: done, failed, queued, DLQ")
    parser.add_argument("--bucket", default=settings.bucket or None, required=not settings.bucket,
                        help="the page bucket (default EULEREYE_BUCKET)")
    parser.add_argument("--queue-url", default=settings.queue_url or None,
                        help="work queue (default EULEREYE_QUEUE_URL); its DLQ is found from it")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--report", metavar="DIR",
                        help="also write the HTML report of the bucket's pages to DIR/report/ (see `report`)")
    parser.add_argument("--failures", action="store_true",
                        help="group the failed pages (output/errors/) by error class, with counts and names")
    parser.add_argument("--show", type=int, default=10, metavar="N",
                        help="with --failures: page names listed per class (default 10; --json lists all)")
    parser.set_defaults(func=run)


def run(args) -> int:
    import json

    from eulereye.awsclients import operator_client
    from eulereye.config import Settings
    from eulereye.ops import status

    settings = Settings.from_env()
    if args.failures:
        return print_failures(args, settings.output_prefix)
    report = status(operator_client("s3"), operator_client("sqs"), args.bucket, args.queue_url,
                    settings.input_prefix, settings.output_prefix)
    if args.report:
        import sys
        from pathlib import Path

        from eulereye.report.site import bucket_report

        index = bucket_report(operator_client("s3"), args.bucket, settings.output_prefix, Path(args.report))
        print(f"report: {index}", file=sys.stderr)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{'folder':30} {'inputs':>8} {'done':>8} {'failed':>8}")
    for folder, counts in report["folders"].items():
        print(f"{folder:30} {counts.get('inputs', 0):>8} {counts.get('done', 0):>8} {counts.get('failed', 0):>8}")
    for name, value in report["queues"].items():
        print(f"{name}: {value}")
    return 0


def print_failures(args, output_prefix: str) -> int:
    import json

    from eulereye.awsclients import operator_client
    from eulereye.ops import failures

    groups = failures(operator_client("s3"), args.bucket, output_prefix)
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
