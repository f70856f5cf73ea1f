# Delivery that cannot flood or fail silently.
#
# A bulk upload of 10,000 pages is 10,000 "Object Created" events. Invoking the scaler for each
# (reserved concurrency 1) throttled almost all of them into its failure queue. Instead every
# upload drops a nudge into a short-lived queue that the scaler drains in batches (up to 10,000
# nudges, gathered for nudge_window_seconds): one invocation per window, whatever the burst.
# The scaler computes the gap from the backlog, so a nudge carries nothing but "look now".
#
# Events EventBridge cannot deliver to a queue go to undelivered_events (monitoring alarms on
# it and on the rule's FailedInvocations) instead of being dropped after its retries.

locals {
  nudge_queue_name      = "${local.function_name}-nudges"
  undelivered_queue_arn = "arn:${data.aws_partition.current.partition}:sqs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:${var.name}-undelivered-events"

  deny_insecure_transport = {
    for name, arn in {
      failures    = aws_sqs_queue.scaler_failures.arn
      nudges      = aws_sqs_queue.scaler_nudges.arn
      undelivered = aws_sqs_queue.undelivered_events.arn
      } : name => {
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "sqs:*"
      Resource  = arn
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }
  }
}

resource "aws_sqs_queue" "scaler_nudges" {
  name = local.nudge_queue_name
  # A nudge older than an hour is moot: the schedule has scaled many times since.
  message_retention_seconds  = 3600
  visibility_timeout_seconds = 6 * 60 # six times the scaler's timeout, as Lambda advises
  sqs_managed_sse_enabled    = var.kms_key_arn == null ? true : null
  kms_master_key_id          = var.kms_key_arn
  tags                       = var.tags
}

resource "aws_sqs_queue_policy" "scaler_nudges" {
  queue_url = aws_sqs_queue.scaler_nudges.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowTheUploadRule"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = aws_sqs_queue.scaler_nudges.arn
        Condition = { ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.page_uploaded.arn } }
      },
      local.deny_insecure_transport["nudges"],
    ]
  })
}

resource "aws_sqs_queue" "undelivered_events" {
  name                      = "${var.name}-undelivered-events"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = var.kms_key_arn == null ? true : null
  kms_master_key_id         = var.kms_key_arn
  tags                      = var.tags
}

resource "aws_sqs_queue_policy" "undelivered_events" {
  queue_url = aws_sqs_queue.undelivered_events.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowTheUploadRuleDeadLetters"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = local.undelivered_queue_arn
        Condition = { ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.page_uploaded.arn } }
      },
      local.deny_insecure_transport["undelivered"],
    ]
  })
}

resource "aws_cloudwatch_event_target" "page_to_nudges" {
  rule      = aws_cloudwatch_event_rule.page_uploaded.name
  target_id = "scaler-nudges"
  arn       = aws_sqs_queue.scaler_nudges.arn

  dead_letter_config {
    arn = aws_sqs_queue.undelivered_events.arn
  }

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 185
  }
}

# Off only where AWS cannot invoke Lambda (moto); the local runner drains the nudges then.
resource "aws_lambda_event_source_mapping" "nudges" {
  count                              = var.eventbridge_invokes_scaler ? 1 : 0
  event_source_arn                   = aws_sqs_queue.scaler_nudges.arn
  function_name                      = aws_lambda_function.scaler.arn
  batch_size                         = 10000
  maximum_batching_window_in_seconds = var.nudge_window_seconds

  scaling_config {
    maximum_concurrency = 2 # the least Lambda takes; reserved concurrency keeps one scaler at a time
  }

  depends_on = [aws_iam_role_policy.scaler]
}
