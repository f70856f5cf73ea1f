# Batch progress: pages per hour from the worker's logs, the failure-rate alarm, the dashboard.
mock_provider "aws" {
  source = "../../tests/terraform/mocks"
}

variables {
  name                      = "eulereye-test"
  queue_name                = "eulereye-test-pages"
  dead_letter_queue_name    = "eulereye-test-pages-dlq"
  scaler_failure_queue_name = "eulereye-test-scaler-failures"
  cluster_name              = "eulereye-test"
  cluster_arn               = "arn:aws:ecs:eu-central-1:111122223333:cluster/eulereye-test"
  scaler_function_name      = "eulereye-test-scaler"
  worker_log_group_name     = "/eulereye/eulereye-test/worker"
  # The reliability alarms' inputs (reliability.tf).
  upload_rule_name              = "eulereye-test-page-uploaded"
  undelivered_events_queue_name = "eulereye-test-undelivered-events"
  alarm_subscription_waiver     = "terraform test: nobody to notify"
}

run "counts_pages_done_and_failed_from_the_worker_log" {
  command = apply

  assert {
    condition = alltrue([for key, status in { PagesDone = "ok", PagesFailed = "failed" } :
      aws_cloudwatch_log_metric_filter.page_outcome[key].log_group_name == var.worker_log_group_name &&
      strcontains(aws_cloudwatch_log_metric_filter.page_outcome[key].pattern, "$.event = \"page finished\"") &&
      strcontains(aws_cloudwatch_log_metric_filter.page_outcome[key].pattern, "$.status = \"${status}\"") &&
    aws_cloudwatch_log_metric_filter.page_outcome[key].metric_transformation[0].namespace == "eulereye/eulereye-test"])
    error_message = "PagesDone and PagesFailed must count the worker's 'page finished' lines by status."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.failure_rate.threshold == 5 && aws_cloudwatch_metric_alarm.failure_rate.alarm_actions == toset([aws_sns_topic.alarms.arn])
    error_message = "The failure rate must alarm above 5% by default and notify the topic."
  }

  assert {
    condition     = length([for q in aws_cloudwatch_metric_alarm.failure_rate.metric_query : q if q.return_data == true]) == 1
    error_message = "The failure-rate alarm must watch one expression."
  }
}

run "shows_throughput_backlog_finish_and_failure_classes" {
  command = apply

  assert {
    condition = [for w in jsondecode(aws_cloudwatch_dashboard.progress.dashboard_body).widgets : w.properties.title] == [
      "Throughput (pages per hour)", "Backlog (pages)",
      "Estimated hours to finish (backlog / last hour's pages)", "Failure classes (pages failed for good)",
    ]
    error_message = "The progress dashboard must show throughput, backlog, estimated finish and failure classes."
  }

  assert {
    condition     = strcontains(jsondecode(aws_cloudwatch_dashboard.progress.dashboard_body).widgets[3].properties.query, "SOURCE '/eulereye/eulereye-test/worker'")
    error_message = "The failure classes must be read from the worker log group."
  }
}

run "rejects_a_failure_rate_above_100" {
  command = plan

  variables {
    failure_rate_alarm_percent = 150
  }

  expect_failures = [var.failure_rate_alarm_percent]
}
