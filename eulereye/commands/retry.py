"""``eulereye retry --bucket B``: redrive the DLQ and re-queue failed pages whose input changed."""

from __future__ import annotations


def register(subparsers, settings) -> None:
    parser = subparsers.add_parser(
        "retry", help="redrive the dead-letter queue; re-queue fixed failed pages",
        description="Move every message of the dead-letter queue back to the work queue, and "
                    "queue again each failed page whose input was replaced since it failed.")
    parser.add_argument("--bucket", default=settings.bucket or None, required=not settings.bucket,
                        help="the page bucket (default: EULEREYE_BUCKET)")
    parser.add_argument("--queue-url", default=settings.queue_url or None, required=not settings.queue_url,
                        help="the work queue (default: EULEREYE_QUEUE_URL); its DLQ is found from it")
    parser.add_argument("--all-errors", action="store_true",
                        help="re-queue every failed page, not only those whose input was replaced")
    parser.set_defaults(func=run)


def run(args) -> int:
    from eulereye.awsclients import operator_client
    from eulereye.logs import get_logger
    from eulereye.ops import redrive, requeue_errors

    s3, sqs = operator_client("s3"), operator_client("sqs")
    moved = redrive(sqs, args.queue_url)
    queued = requeue_errors(s3, sqs, args.bucket, args.queue_url, args.settings.output_prefix,
                            every=args.all_errors)
    get_logger().info("retry", redriven=moved, requeued_errors=queued)
    return 0
