# Alarms, their encrypted topic and the optional e-mail subscription.
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
}

run "alarms_on_dlq_age_and_failed_tasks" {
  command = apply

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["pages-in-dlq"].dimensions.QueueName == var.dead_letter_queue_name && aws_cloudwatch_metric_alarm.this["pages-in-dlq"].threshold == 0
    error_message = "Any message in the DLQ must raise an alarm."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["oldest-page-age"].metric_name == "ApproximateAgeOfOldestMessage" && aws_cloudwatch_metric_alarm.this["oldest-page-age"].dimensions.QueueName == var.queue_name
    error_message = "The age of the oldest page must be alarmed."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["failed-tasks"].dimensions.RuleName == aws_cloudwatch_event_rule.task_failed.name && jsondecode(aws_cloudwatch_event_rule.task_failed.event_pattern).detail.clusterArn == [var.cluster_arn]
    error_message = "Failed tasks of our cluster must be alarmed."
  }

  assert {
    condition     = alltrue([for alarm in aws_cloudwatch_metric_alarm.this : alarm.alarm_actions == toset([aws_sns_topic.alarms.arn])])
    error_message = "Every alarm must notify the topic."
  }

  assert {
    condition     = aws_sns_topic.alarms.kms_master_key_id == "alias/aws/sns" && length(aws_sns_topic_subscription.email) == 0
    error_message = "The topic is encrypted; no subscription unless an address is given."
  }
}

run "subscribes_an_address_when_given" {
  command = apply

  variables {
    alarm_email = "ops@example.org"
  }

  assert {
    condition     = aws_sns_topic_subscription.email[0].endpoint == "ops@example.org" && aws_sns_topic_subscription.email[0].protocol == "email"
    error_message = "alarm_email must be subscribed."
  }
}

run "rejects_a_malformed_address" {
  command = plan

  variables {
    alarm_email = "not-an-address"
  }

  expect_failures = [var.alarm_email]
}
