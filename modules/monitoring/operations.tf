# Progress of a large batch: pages done and failed per hour (log metric filters on the worker's
# JSON log lines), an alarm on the failure rate, and a dashboard with throughput, backlog, the
# estimated finish and the failure classes. The reliability alarms live in main.tf.

locals {
  progress_namespace = "eulereye/${var.name}"
  # One JSON log line per page outcome (eulereye.worker: "page finished", status ok|failed|skipped).
  page_outcomes = {
    PagesDone    = "ok"
    PagesFailed  = "failed"
    PagesSkipped = "skipped"
  }
  # Saved here and printed in docs/operations.md: failure classes with their pages.
  failure_classes_query = join(" | ", [
    "fields @timestamp, page, error, message",
    "filter event = \"page failed\"",
    "stats count(*) as pages, earliest(page) as example_page by error",
    "sort pages desc",
  ])
}

resource "aws_cloudwatch_log_metric_filter" "page_outcome" {
  for_each       = local.page_outcomes
  name           = "${var.name}-${lower(each.key)}"
  log_group_name = var.worker_log_group_name
  pattern        = "{ ($.event = \"page finished\") && ($.status = \"${each.value}\") }"

  metric_transformation {
    name          = each.key
    namespace     = local.progress_namespace
    value         = "1"
    default_value = "0"
    unit          = "Count"
  }
}

resource "aws_cloudwatch_metric_alarm" "failure_rate" {
  alarm_name          = "${var.name}-failure-rate"
  alarm_description   = "Over ${var.failure_rate_alarm_percent}% of the pages finished in an hour failed for good: run `eulereye status --failures`."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.failure_rate_alarm_percent
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags

  metric_query {
    id          = "rate"
    label       = "failed pages (%)"
    return_data = true
    # Below failure_rate_min_pages finished pages an hour, a few failures say little.
    expression = "IF(done + failed >= ${var.failure_rate_min_pages}, 100 * failed / (done + failed), 0)"
  }

  dynamic "metric_query" {
    for_each = { done = "PagesDone", failed = "PagesFailed" }
    content {
      id = metric_query.key
      metric {
        namespace   = local.progress_namespace
        metric_name = metric_query.value
        period      = 3600
        stat        = "Sum"
      }
    }
  }

  depends_on = [aws_cloudwatch_log_metric_filter.page_outcome]
}

locals {
  work_queue_metric = ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.queue_name]
  progress_widgets = [
    {
      type = "metric", x = 0, y = 0, width = 12, height = 6
      properties = {
        title = "Throughput (pages per hour)", region = local.region, view = "timeSeries", period = 3600, stat = "Sum"
        metrics = [[local.progress_namespace, "PagesDone", { label = "done" }],
          [local.progress_namespace, "PagesFailed", { label = "failed" }],
        [local.progress_namespace, "PagesSkipped", { label = "skipped (unchanged)" }]]
      }
    },
    {
      type = "metric", x = 12, y = 0, width = 12, height = 6
      properties = {
        title = "Backlog (pages)", region = local.region, view = "timeSeries", period = 300, stat = "Maximum"
        metrics = [concat(local.work_queue_metric, [{ label = "waiting" }]),
          ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", var.queue_name, { label = "in progress" }],
        ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.dead_letter_queue_name, { label = "dead-letter" }]]
      }
    },
    {
      type = "metric", x = 0, y = 6, width = 12, height = 6
      properties = {
        title  = "Estimated hours to finish (backlog / last hour's pages)", region = local.region, view = "timeSeries",
        period = 3600
        metrics = [
          [{ expression = "IF(done > 0, (waiting + busy) / done, 0)", label = "hours to finish", id = "eta" }],
          [local.progress_namespace, "PagesDone", { id = "done", stat = "Sum", visible = false }],
          concat(local.work_queue_metric, [{ id = "waiting", stat = "Average", visible = false }]),
          ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", var.queue_name, { id = "busy", stat = "Average", visible = false }],
        ]
      }
    },
    {
      type = "log", x = 12, y = 6, width = 12, height = 6
      properties = {
        title = "Failure classes (pages failed for good)", region = local.region, view = "table"
        query = "SOURCE '${var.worker_log_group_name}' | ${local.failure_classes_query}"
      }
    },
  ]
}

resource "aws_cloudwatch_dashboard" "progress" {
  dashboard_name = "${var.name}-progress"
  dashboard_body = jsonencode({ widgets = local.progress_widgets })
}
