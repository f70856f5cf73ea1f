"""``eulereye status --bucket B``: inputs, done, failed per folder; queued and dead-lettered."""

from __future__ import annotations


def register(subparsers) -> None:
    from eulereye.config import Settings

    settings = Settings.from_env()
    parser = subparsers.add_parser("status", help="show progress of a bucket: done, failed, queued, DLQ")
    parser.add_argument("--bucket", default=settings.bucket or None, required=not settings.bucket)
    parser.add_argument("--queue-url", default=settings.queue_url or None,
                        help="work queue (default EULEREYE_QUEUE_URL); its DLQ is found from it")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--report", metavar="DIR",
                        help="also write the HTML report of the bucket's pages to DIR/report/ (see `report`)")
    parser.set_defaults(func=run)


def run(args) -> int:
    import json

    from eulereye.awsclients import operator_client
    from eulereye.config import Settings
    from eulereye.ops import status

    settings = Settings.from_env()
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
