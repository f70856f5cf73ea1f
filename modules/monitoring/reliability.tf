# Alarms that reach people, for the failure modes that lose or stall pages quietly:
# events EventBridge could not deliver, errors/ growing, Textract throttling, workers that
# never start or stop on a configuration fault. The topic is encrypted with a key CloudWatch
# may use (the AWS-managed SNS key's policy does not let CloudWatch publish) and is TLS-only.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
  topic_key    = coalesce(var.kms_key_arn, one(aws_kms_key.alarms[*].arn))
  metrics_ns   = "eulereye/${var.name}"
}

# Created only when no customer-managed key is given (that key's policy must then let
# cloudwatch.amazonaws.com use it: docs/deploy.md).
resource "aws_kms_key" "alarms" {
  count                   = var.kms_key_arn == null ? 1 : 0
  description             = "Encrypts the ${var.name} alarm topic; CloudWatch alarms and EventBridge may use it to publish"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = var.tags
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersTheKey"
        Effect    = "Allow"
        Principal = { AWS = local.account_root }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AlarmsPublishToTheTopic"
        Effect    = "Allow"
        Principal = { Service = ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      },
    ]
  })
}

resource "aws_kms_alias" "alarms" {
  count         = var.kms_key_arn == null ? 1 : 0
  name          = "alias/${var.name}-alarms"
  target_key_id = aws_kms_key.alarms[0].key_id
}

resource "aws_sns_topic_policy" "alarms" {
  arn = aws_sns_topic.alarms.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OurAlarmsPublish"
        Effect    = "Allow"
        Principal = { Service = ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.alarms.arn
        Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["sns:Publish", "sns:Subscribe", "sns:Receive"]
        Resource  = aws_sns_topic.alarms.arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

# Worker tasks ECS could not start at all (image pull, ENI, secrets): they never reach a
# container exit code, so the failed-tasks rule does not see them.
resource "aws_cloudwatch_event_rule" "task_never_started" {
  name        = "${var.name}-task-never-started"
  description = "A worker task of ${var.cluster_name} stopped before its container started"
  tags        = var.tags
  event_pattern = jsonencode({
    source      = ["aws.ecs"]
    detail-type = ["ECS Task State Change"]
    detail = {
      clusterArn = [var.cluster_arn]
      lastStatus = ["STOPPED"]
      stopCode   = ["TaskFailedToStart"]
    }
  })
}

# Counted from the workers' JSON log lines (eulereye.worker, eulereye.pipeline). PagesFailed,
# which the pages-failing alarm counts, comes from operations.tf ("page finished", failed).
resource "aws_cloudwatch_log_metric_filter" "worker" {
  for_each = {
    ConfigurationFaults = "{ ($.event = \"configuration fault\") || ($.event = \"self-check failed\") }"
    TextractThrottled   = "{ $.event = \"textract throttled\" }"
  }
  name           = "${var.name}-${each.key}"
  log_group_name = var.worker_log_group_name
  pattern        = each.value

  metric_transformation {
    name          = each.key
    namespace     = local.metrics_ns
    value         = "1"
    default_value = "0"
  }
}

locals {
  reliability_alarms = {
    undelivered-events = {
      description = "EventBridge could not deliver upload events (${var.undelivered_events_queue_name}): those pages are not queued; run `eulereye reconcile`."
      namespace   = "AWS/SQS"
      metric      = "ApproximateNumberOfMessagesVisible"
      statistic   = "Maximum"
      dimensions  = { QueueName = var.undelivered_events_queue_name }
      threshold   = 0
      period      = 300
    }
    event-delivery-failures = {
      description = "EventBridge failed to deliver uploads of rule ${var.upload_rule_name} to a target."
      namespace   = "AWS/Events"
      metric      = "FailedInvocations"
      statistic   = "Sum"
      dimensions  = { RuleName = var.upload_rule_name }
      threshold   = 0
      period      = 300
    }
    pages-failing = {
      description = "More than ${var.failed_pages_per_hour} pages failed for good within an hour: see `eulereye status --failures`."
      namespace   = local.metrics_ns
      metric      = "PagesFailed" # operations.tf
      statistic   = "Sum"
      dimensions  = {}
      threshold   = var.failed_pages_per_hour
      period      = 3600
    }
    worker-configuration-fault = {
      description = "A worker stopped on a configuration fault (missing model, AccessDenied, expired credentials): its pages wait; see the worker log group."
      namespace   = local.metrics_ns
      metric      = "ConfigurationFaults"
      statistic   = "Sum"
      dimensions  = {}
      threshold   = 0
      period      = 300
    }
    textract-throttled = {
      description = "Textract throttled DetectDocumentText: lower textract_tps or raise the account quota."
      namespace   = "AWS/Textract"
      metric      = "ThrottledCount"
      statistic   = "Sum"
      dimensions  = { Operation = "DetectDocumentText" }
      threshold   = 0
      period      = 300
    }
    textract-throttled-workers = {
      description = "Workers met Textract throttling (retried): lower textract_tps or raise the account quota."
      namespace   = local.metrics_ns
      metric      = "TextractThrottled"
      statistic   = "Sum"
      dimensions  = {}
      threshold   = 0
      period      = 300
    }
    tasks-never-started = {
      description = "Worker tasks of ${var.cluster_name} failed to start (image, network, role): nothing drains the queue."
      namespace   = "AWS/Events"
      metric      = "MatchedEvents"
      statistic   = "Sum"
      dimensions  = { RuleName = aws_cloudwatch_event_rule.task_never_started.name }
      threshold   = 0
      period      = 300
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "reliability" {
  for_each            = local.reliability_alarms
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  dimensions          = each.value.dimensions
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  period              = each.value.period
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags
}
