"""``eulereye reconcile --bucket B``: queue again every input with neither complete outputs
nor an errors/ record (a lost event or message); safe to run at any time."""

from __future__ import annotations


def register(subparsers, settings) -> None:
    parser = subparsers.add_parser(
        "reconcile", help="re-queue inputs that have neither complete outputs nor an errors/ record",
        description="Compare input/ with output/manifest/ and output/errors/ and queue again every "
                    "input that was never settled (a lost S3 event, a lost message). While the work "
                    "queue still holds messages those inputs may just be waiting: nothing is queued "
                    "then unless --while-busy. Prints what it found and did as JSON.")
    parser.add_argument("--bucket", default=settings.bucket or None, required=not settings.bucket,
                        help="the page bucket (default: EULEREYE_BUCKET)")
    parser.add_argument("--queue-url", default=settings.queue_url or None, required=not settings.queue_url,
                        help="the work queue (default: EULEREYE_QUEUE_URL)")
    parser.add_argument("--dry-run", action="store_true", help="report only; queue nothing")
    parser.add_argument("--while-busy", action="store_true",
                        help="queue even while the work queue holds messages (a page queued twice "
                             "is skipped by its second delivery)")
    parser.set_defaults(func=run)


def run(args) -> int:
    import json

    from eulereye.awsclients import operator_client
    from eulereye.reconcile import reconcile

    settings = args.settings
    result = reconcile(operator_client("s3"), operator_client("sqs"), args.bucket, args.queue_url,
                       input_prefix=settings.input_prefix, output_prefix=settings.output_prefix,
                       dry_run=args.dry_run, while_busy=args.while_busy)
    print(json.dumps(result.summary(), indent=2))
    return 0
