# The scaler and the upload rules: scoped IAM, no public IPs by default, the env contract.
mock_provider "aws" {
  source = "../../tests/terraform/mocks"
}

variables {
  name                       = "eulereye-test"
  lambda_zip_path            = "tests/fixtures/scaler.zip"
  bucket_name                = "eulereye-test-pages"
  queue_url                  = "https://sqs.eu-central-1.amazonaws.com/111122223333/eulereye-test-pages"
  queue_arn                  = "arn:aws:sqs:eu-central-1:111122223333:eulereye-test-pages"
  cluster_arn                = "arn:aws:ecs:eu-central-1:111122223333:cluster/eulereye-test"
  cluster_name               = "eulereye-test"
  task_definition_arn        = "arn:aws:ecs:eu-central-1:111122223333:task-definition/eulereye-test-worker:3"
  task_definition_family_arn = "arn:aws:ecs:eu-central-1:111122223333:task-definition/eulereye-test-worker"
  task_role_arns             = ["arn:aws:iam::111122223333:role/eulereye-test-task", "arn:aws:iam::111122223333:role/eulereye-test-execution"]
  container_name             = "worker"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  security_group_ids         = ["sg-0123456789abcdef0"]
}

run "scopes_the_scaler_role" {
  command = apply

  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.scaler.policy).Statement : alltrue([for a in s.Action : !strcontains(a, "*")])])
    error_message = "No wildcard actions in the scaler role."
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.scaler.policy).Statement : s.Resource if s.Action == ["ecs:RunTask"]]) == ["${var.task_definition_family_arn}:*"]
    error_message = "ecs:RunTask only on our task definition."
  }

  assert {
    condition     = tolist(one([for s in jsondecode(aws_iam_role_policy.scaler.policy).Statement : s.Resource if s.Action == ["iam:PassRole"]])) == var.task_role_arns
    error_message = "iam:PassRole only for the worker's two roles."
  }

  assert {
    condition = alltrue([for s in jsondecode(aws_iam_role_policy.scaler.policy).Statement :
    s.Action == ["ecs:ListTasks"] && s.Condition.ArnEquals["ecs:cluster"] == var.cluster_arn if contains(s.Resource, "*")])
    error_message = "Resource * only for ecs:ListTasks, and only for our cluster by condition."
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.scaler.policy).Statement : s.Resource if s.Action == ["sqs:GetQueueAttributes"]]) == [var.queue_arn]
    error_message = "The scaler may only read our queue's attributes."
  }
}

run "starts_tasks_without_public_ips_by_default" {
  command = apply

  assert {
    condition     = aws_lambda_function.scaler.environment[0].variables.EULEREYE_ASSIGN_PUBLIC_IP == "DISABLED"
    error_message = "Workers must get no public IP unless asked."
  }

  assert {
    condition = toset(keys(aws_lambda_function.scaler.environment[0].variables)) == toset([
      "EULEREYE_QUEUE_URL", "EULEREYE_CLUSTER", "EULEREYE_TASK_DEFINITION", "EULEREYE_CONTAINER_NAME",
      "EULEREYE_SUBNETS", "EULEREYE_SECURITY_GROUPS", "EULEREYE_ASSIGN_PUBLIC_IP", "EULEREYE_MAX_TASKS",
      "EULEREYE_PAGES_PER_TASK", "EULEREYE_CAPACITY", "EULEREYE_LOG_FORMAT",
    ])
    error_message = "The scaler must get exactly the EULEREYE_* environment of its contract."
  }

  assert {
    condition     = aws_lambda_function.scaler.environment[0].variables.EULEREYE_SUBNETS == "subnet-0123456789abcdef0,subnet-0fedcba9876543210" && aws_lambda_function.scaler.environment[0].variables.EULEREYE_TASK_DEFINITION == var.task_definition_arn
    error_message = "Subnets are comma-separated; the task definition is passed with its revision."
  }

  assert {
    condition     = aws_lambda_function.scaler.runtime == "python3.12" && aws_lambda_function.scaler.handler == "scaler.handler" && aws_lambda_function.scaler.reserved_concurrent_executions == 1
    error_message = "python3.12, handler scaler.handler, one scaler at a time."
  }

  assert {
    condition     = one(one(aws_lambda_function_event_invoke_config.scaler.destination_config).on_failure).destination == aws_sqs_queue.scaler_failures.arn && aws_sqs_queue.scaler_failures.sqs_managed_sse_enabled
    error_message = "Failed invocations must go to an encrypted on-failure queue."
  }
}

run "assigns_public_ips_only_when_asked" {
  command = apply

  variables {
    assign_public_ip = true
  }

  assert {
    condition     = aws_lambda_function.scaler.environment[0].variables.EULEREYE_ASSIGN_PUBLIC_IP == "ENABLED"
    error_message = "assign_public_ip must reach the scaler."
  }
}

run "routes_image_uploads_to_queue_and_debounced_scaler" {
  command = apply

  assert {
    condition = alltrue([for p in jsondecode(aws_cloudwatch_event_rule.page_uploaded.event_pattern).detail.object.key : length(keys(p)) == 1 && length(keys(p.suffix)) == 1]) && contains(
    jsondecode(aws_cloudwatch_event_rule.page_uploaded.event_pattern).detail.object.key, { suffix = { equals-ignore-case = ".tif" } })
    error_message = "Only image files (any case of their ending) may trigger processing."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.page_uploaded.event_pattern).detail.bucket.name == [var.bucket_name] && jsondecode(aws_cloudwatch_event_rule.page_uploaded.event_pattern)["detail-type"] == ["Object Created"]
    error_message = "The rule must match object creation in our bucket only."
  }

  assert {
    condition     = aws_cloudwatch_event_target.page_to_queue.arn == var.queue_arn && aws_cloudwatch_event_target.page_to_nudges.arn == aws_sqs_queue.scaler_nudges.arn && keys(aws_cloudwatch_event_target.scaler) == ["every_minute"]
    error_message = "Uploads go to the work queue and the nudge queue; only the schedule invokes the scaler directly."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.nudges[0].event_source_arn == aws_sqs_queue.scaler_nudges.arn && aws_lambda_event_source_mapping.nudges[0].batch_size == 10000 && aws_lambda_event_source_mapping.nudges[0].maximum_batching_window_in_seconds == 20
    error_message = "The scaler drains upload nudges in large batches, once per window."
  }

  assert {
    condition     = alltrue([for t in [aws_cloudwatch_event_target.page_to_queue, aws_cloudwatch_event_target.page_to_nudges] : t.dead_letter_config[0].arn == aws_sqs_queue.undelivered_events.arn])
    error_message = "Events EventBridge cannot deliver must be kept in a dead-letter queue."
  }

  assert {
    condition = alltrue([for policy in [aws_sqs_queue_policy.scaler_nudges.policy, aws_sqs_queue_policy.undelivered_events.policy, aws_sqs_queue_policy.scaler_failures.policy] :
    anytrue([for s in jsondecode(policy).Statement : s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"])])
    error_message = "Every queue of the module must be TLS-only."
  }

  assert {
    condition     = aws_cloudwatch_event_rule.every_minute.schedule_expression == "rate(1 minute)"
    error_message = "The scaler must also run every minute."
  }
}

run "leaves_lambda_invocation_to_a_local_runner_when_asked" {
  command = apply

  variables {
    eventbridge_invokes_scaler = false
  }

  assert {
    condition     = length(aws_lambda_event_source_mapping.nudges) == 0 && length(aws_cloudwatch_event_target.scaler) == 0
    error_message = "Without Lambda invocation, neither the schedule target nor the nudge mapping exists."
  }
}

run "rejects_a_pattern_past_eventbridges_limit" {
  command = plan

  variables {
    image_suffixes = [for i in range(60) : ".suffix${i}"]
  }

  expect_failures = [aws_cloudwatch_event_rule.page_uploaded]
}

run "rejects_a_package_that_is_not_a_zip" {
  command = plan

  variables {
    lambda_zip_path = "lambda_src/scaler.py"
  }

  expect_failures = [var.lambda_zip_path]
}
