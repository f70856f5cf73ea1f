"""``eulereye worker``: drain the SQS work queue (configured by EULEREYE_* variables)."""

from __future__ import annotations


def register(subparsers, settings) -> None:
    parser = subparsers.add_parser(
        "worker", help="process pages from the SQS work queue until idle (cloud task)",
        description="Long-poll EULEREYE_QUEUE_URL for S3 'page uploaded' events, process each page "
                    "from EULEREYE_BUCKET into EULEREYE_OUTPUT_PREFIX, and exit after "
                    "EULEREYE_IDLE_SECONDS without work. Exit 0 when idle or stopped, 2 when "
                    "misconfigured.")
    parser.set_defaults(func=run)


def run(args) -> int:
    from eulereye.worker import main

    return main(args.settings)
