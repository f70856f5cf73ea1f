"""A fleet-wide cap on calls per second, shared by every worker process of every task.

Textract's synchronous quota (a few transactions per second) is the account's, not a
process's: thirty processes retrying on their own would all be throttled together. Each call
first takes a slot in the current wall-clock second from a DynamoDB item (one per second, an
atomic conditional ADD): at most ``per_second`` slots are handed out per second across the
fleet; a process that finds the second full waits for the next. Items expire after a minute
(DynamoDB TTL on ``expires``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from eulereye.errors import as_classified, aws_error_code
from eulereye.logs import get_logger

EXPIRE_AFTER_S = 60
JITTER_S = 0.05  # spreads the processes that wait for the same next second

log = get_logger()


class FleetRateLimiter:
    def __init__(self, table: str, per_second: int, *, name: str = "textract", client=None,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep):
        if per_second < 1:
            raise ValueError("per_second must be at least 1")
        self.table = table
        self.per_second = per_second
        self.name = name
        self._client = client
        self._clock = clock
        self._sleep = sleep
        self.waits = 0  # how often a call waited for a free second

    @property
    def client(self):
        if self._client is None:
            import boto3

            self._client = boto3.client("dynamodb")
        return self._client

    def acquire(self) -> None:
        """Return once this process may make one call."""
        while True:
            second = int(self._clock())
            if self._take(second):
                return
            self.waits += 1
            log.info("rate cap reached; waiting", limiter=self.name, per_second=self.per_second)
            self._sleep(max(0.0, second + 1 - self._clock()) + random.random() * JITTER_S)

    def _take(self, second: int) -> bool:
        try:
            self.client.update_item(
                TableName=self.table, Key={"id": {"S": f"{self.name}#{second}"}},
                UpdateExpression="ADD calls :one SET expires = :expires",
                ConditionExpression="attribute_not_exists(calls) OR calls < :limit",
                ExpressionAttributeValues={":one": {"N": "1"}, ":limit": {"N": str(self.per_second)},
                                           ":expires": {"N": str(second + EXPIRE_AFTER_S)}})
            return True
        except Exception as exc:
            if aws_error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise as_classified(exc, f"rate table {self.table}") from exc


def fleet_limiter(rate_table: str, textract_tps: int):
    """The limiter the settings ask for (EULEREYE_RATE_TABLE, EULEREYE_TEXTRACT_TPS), or None
    when no cap is configured (e.g. a local ``eulereye process``)."""
    if not rate_table or textract_tps < 1:
        return None
    return FleetRateLimiter(rate_table, textract_tps)
