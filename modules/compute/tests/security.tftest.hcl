# The worker task and its roles: least privilege, read-only root filesystem, the env contract.
mock_provider "aws" {
  source = "../../tests/terraform/mocks"
}

variables {
  name                       = "eulereye-test"
  image                      = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/eulereye:abc1234"
  ecr_repository_arn         = "arn:aws:ecr:eu-central-1:111122223333:repository/eulereye"
  bucket_name                = "eulereye-test-pages"
  bucket_arn                 = "arn:aws:s3:::eulereye-test-pages"
  queue_url                  = "https://sqs.eu-central-1.amazonaws.com/111122223333/eulereye-test-pages"
  queue_arn                  = "arn:aws:sqs:eu-central-1:111122223333:eulereye-test-pages"
  visibility_timeout_seconds = 300
}

run "grants_the_worker_only_its_own_work" {
  command = apply

  assert {
    condition = { for s in jsondecode(aws_iam_role_policy.task.policy).Statement : s.Sid => { actions = s.Action, resources = s.Resource } } == {
      ReadPages             = { actions = ["s3:GetObject"], resources = ["arn:aws:s3:::eulereye-test-pages/input/*"] }
      WriteResults          = { actions = ["s3:PutObject"], resources = ["arn:aws:s3:::eulereye-test-pages/output/*"] }
      ReadManifests         = { actions = ["s3:GetObject"], resources = ["arn:aws:s3:::eulereye-test-pages/output/manifest/*"] }
      ClearFixedErrors      = { actions = ["s3:DeleteObject"], resources = ["arn:aws:s3:::eulereye-test-pages/output/errors/*"] }
      TellMissingFromDenied = { actions = ["s3:ListBucket"], resources = ["arn:aws:s3:::eulereye-test-pages"] }
      WorkTheQueue          = { actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], resources = [var.queue_arn] }
    }
    error_message = "The task role may only get input/ objects and manifests, put output/ objects, clear errors/ records, list our bucket and work the queue."
  }

  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.task.policy).Statement : s.Effect == "Allow" && alltrue([for a in s.Action : !strcontains(a, "*")])])
    error_message = "No wildcard actions in the task role."
  }
}

run "grants_textract_only_with_the_textract_engine" {
  command = apply

  variables {
    engine = "textract"
  }

  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.task.policy).Statement : s.Action if contains(s.Resource, "*")] == [["textract:DetectDocumentText"]]
    error_message = "The only action on resource * may be textract:DetectDocumentText (Textract has no resource-level permissions)."
  }

  assert {
    condition     = output.worker_environment.EULEREYE_ENGINE == "textract"
    error_message = "Workers must be told to use Textract."
  }

  assert {
    condition     = output.worker_environment.EULEREYE_RATE_TABLE == aws_dynamodb_table.textract_rate[0].name && output.worker_environment.EULEREYE_TEXTRACT_TPS == "1" && aws_dynamodb_table.textract_rate[0].ttl[0].attribute_name == "expires"
    error_message = "Workers share one fleet-wide Textract rate table (expiring counters), capped at textract_tps."
  }

  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.task.policy).Statement : s.Resource if s.Sid == "ShareTheTextractRate"]) == [aws_dynamodb_table.textract_rate[0].arn] && one([for s in jsondecode(aws_iam_role_policy.task.policy).Statement : s.Action if s.Sid == "ShareTheTextractRate"]) == ["dynamodb:UpdateItem"]
    error_message = "Workers may only count calls in the rate table."
  }
}

run "has_no_rate_table_without_textract" {
  command = apply

  assert {
    condition     = length(aws_dynamodb_table.textract_rate) == 0 && output.worker_environment.EULEREYE_RATE_TABLE == "" && output.worker_environment.EULEREYE_TEXTRACT_TPS == "0"
    error_message = "The Tesseract engine needs no rate table."
  }
}

run "lets_ecs_only_pull_our_image_and_write_our_logs" {
  command = apply

  assert {
    condition = alltrue([for s in jsondecode(aws_iam_role_policy.execution.policy).Statement :
      s.Resource == ["*"] ? s.Action == ["ecr:GetAuthorizationToken"] : alltrue([for r in s.Resource : r == var.ecr_repository_arn || startswith(r, aws_cloudwatch_log_group.worker.arn)])
    ])
    error_message = "The execution role may pull only from our repository and log only to our group (GetAuthorizationToken is account-wide by nature)."
  }

  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : alltrue([for a in s.Action : !strcontains(a, "*")])])
    error_message = "No wildcard actions in the execution role."
  }

  assert {
    condition     = aws_iam_role.task.arn != "" && aws_ecs_task_definition.worker.task_role_arn == aws_iam_role.task.arn && aws_ecs_task_definition.worker.execution_role_arn == aws_iam_role.execution.arn
    error_message = "The task definition must use our two roles."
  }
}

run "runs_the_worker_locked_down_with_the_env_contract" {
  command = apply

  assert {
    condition     = jsondecode(aws_ecs_task_definition.worker.container_definitions)[0].readonlyRootFilesystem
    error_message = "The worker's root filesystem must be read-only."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.worker.container_definitions)[0].cpu == 2048 && jsondecode(aws_ecs_task_definition.worker.container_definitions)[0].memory == 4096
    error_message = "CPU and memory must be set on the container too."
  }

  assert {
    condition = toset(jsondecode(aws_ecs_task_definition.worker.container_definitions)[0].environment[*].name) == toset([
      "EULEREYE_BUCKET", "EULEREYE_QUEUE_URL", "EULEREYE_INPUT_PREFIX", "EULEREYE_OUTPUT_PREFIX",
      "EULEREYE_ENGINE", "EULEREYE_SEGMENTER", "EULEREYE_LANG", "EULEREYE_LOG_FORMAT",
      "EULEREYE_IDLE_SECONDS", "EULEREYE_VISIBILITY_TIMEOUT", "EULEREYE_JOBS",
      "EULEREYE_FORMATS", "EULEREYE_ALTO_PROFILE", "EULEREYE_DPI", "EULEREYE_PAGE_TIMEOUT",
      "EULEREYE_RATE_TABLE", "EULEREYE_TEXTRACT_TPS", "EULEREYE_IMAGE_TAG",
    ])
    error_message = "The worker must get exactly the EULEREYE_* environment of its contract."
  }

  assert {
    condition     = output.worker_environment.EULEREYE_IMAGE_TAG == "abc1234"
    error_message = "The task must tell the worker its image tag, for the manifests."
  }

  assert {
    condition     = output.worker_environment.EULEREYE_QUEUE_URL == var.queue_url && output.worker_environment.EULEREYE_BUCKET == var.bucket_name && output.worker_environment.EULEREYE_VISIBILITY_TIMEOUT == "300"
    error_message = "The worker environment must come from the other modules' outputs."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.worker.container_definitions)[0].logConfiguration.options["awslogs-group"] == aws_cloudwatch_log_group.worker.name && aws_cloudwatch_log_group.worker.retention_in_days == 30
    error_message = "Worker logs must go to our log group, which has a retention."
  }

  assert {
    condition     = one([for s in aws_ecs_cluster.this.setting : s.value if s.name == "containerInsights"]) == "enabled"
    error_message = "Container Insights must be on."
  }

  assert {
    condition     = toset(aws_ecs_cluster_capacity_providers.this.capacity_providers) == toset(["FARGATE", "FARGATE_SPOT"]) && output.capacity_provider == "FARGATE_SPOT"
    error_message = "The cluster must offer FARGATE and FARGATE_SPOT, Spot by default."
  }
}

run "rejects_a_size_fargate_does_not_offer" {
  command = plan

  variables {
    task_cpu    = 1024
    task_memory = 16384
  }

  expect_failures = [var.task_memory]
}

run "rejects_an_unknown_engine" {
  command = plan

  variables {
    engine = "ocrmypdf"
  }

  expect_failures = [var.engine]
}

run "passes_the_output_formats_to_the_worker" {
  command = plan

  variables {
    output_formats = "all"
    alto_profile   = "ndnp"
    dpi            = 400
  }

  assert {
    condition     = output.worker_environment.EULEREYE_FORMATS == "all" && output.worker_environment.EULEREYE_ALTO_PROFILE == "ndnp" && output.worker_environment.EULEREYE_DPI == "400"
    error_message = "The worker must get the output formats, ALTO profile and DPI chosen."
  }
}

run "rejects_an_unknown_output_format" {
  command = plan

  variables {
    output_formats = "txt,docx"
  }

  expect_failures = [var.output_formats]
}
