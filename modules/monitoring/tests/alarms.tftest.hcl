# Alarms, their encrypted topic and the optional e-mail subscription.
mock_provider "aws" {
  source = "../../tests/terraform/mocks"
}

variables {
  name                          = "eulereye-test"
  queue_name                    = "eulereye-test-pages"
  dead_letter_queue_name        = "eulereye-test-pages-dlq"
  scaler_failure_queue_name     = "eulereye-test-scaler-failures"
  cluster_name                  = "eulereye-test"
  cluster_arn                   = "arn:aws:ecs:eu-central-1:111122223333:cluster/eulereye-test"
  scaler_function_name          = "eulereye-test-scaler"
  upload_rule_name              = "eulereye-test-page-uploaded"
  undelivered_events_queue_name = "eulereye-test-undelivered-events"
  worker_log_group_name         = "/eulereye/eulereye-test/worker"
  alarm_subscription_waiver     = "terraform test: nobody to notify"
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
    condition     = aws_sns_topic.alarms.kms_master_key_id == aws_kms_key.alarms[0].arn && length(aws_sns_topic_subscription.email) == 0
    error_message = "The topic is encrypted with its own key; no subscription unless an address is given."
  }
}

run "encrypts_the_topic_with_a_key_cloudwatch_can_use" {
  command = apply

  assert {
    condition = anytrue([for s in jsondecode(aws_kms_key.alarms[0].policy).Statement :
    contains(s.Principal.Service, "cloudwatch.amazonaws.com") && contains(s.Action, "kms:GenerateDataKey*") if can(s.Principal.Service)])
    error_message = "CloudWatch must be allowed to use the topic's key, or alarms are never delivered."
  }

  assert {
    condition     = aws_kms_key.alarms[0].enable_key_rotation
    error_message = "The topic key must rotate."
  }

  assert {
    condition     = anytrue([for s in jsondecode(aws_sns_topic_policy.alarms.policy).Statement : s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"])
    error_message = "The alarm topic must be TLS-only."
  }
}

run "uses_the_given_key_and_creates_none" {
  command = apply

  variables {
    kms_key_arn = "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition     = aws_sns_topic.alarms.kms_master_key_id == var.kms_key_arn && length(aws_kms_key.alarms) == 0
    error_message = "A customer-managed key given is used for the topic."
  }
}

run "alarms_on_lost_events_errors_throttling_and_tasks_that_never_start" {
  command = apply

  assert {
    condition = toset(keys(aws_cloudwatch_metric_alarm.reliability)) == toset([
      "undelivered-events", "event-delivery-failures", "pages-failing", "worker-configuration-fault",
    "textract-throttled", "textract-throttled-workers", "tasks-never-started"])
    error_message = "Every reliability alarm of issue 11 must exist."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.reliability["undelivered-events"].dimensions.QueueName == var.undelivered_events_queue_name && aws_cloudwatch_metric_alarm.reliability["event-delivery-failures"].dimensions.RuleName == var.upload_rule_name
    error_message = "Undelivered upload events must be alarmed."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.task_never_started.event_pattern).detail.stopCode == ["TaskFailedToStart"]
    error_message = "Tasks that never start must be matched by their stop code."
  }

  assert {
    condition     = alltrue([for f in aws_cloudwatch_log_metric_filter.worker : f.log_group_name == var.worker_log_group_name])
    error_message = "Failed pages, configuration faults and throttling are counted from the worker's log group."
  }

  assert {
    condition     = alltrue([for alarm in aws_cloudwatch_metric_alarm.reliability : alarm.alarm_actions == toset([aws_sns_topic.alarms.arn])])
    error_message = "Every reliability alarm must notify the topic."
  }
}

run "requires_a_subscriber_or_a_written_waiver" {
  command = plan

  variables {
    alarm_subscription_waiver = null
  }

  expect_failures = [var.alarm_subscription_waiver]
}

run "an_address_needs_no_waiver" {
  command = plan

  variables {
    alarm_subscription_waiver = null
    alarm_email               = "ops@example.org"
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
