# What starts workers: uploads under input/ become queue messages, and the scaler Lambda
# (every minute, and on a debounced nudge after uploads: delivery.tf) starts as many Fargate
# tasks as the backlog needs.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  function_name = "${var.name}-scaler"
  # Every ending in any case (.tif, .TIF, .Tif). EventBridge cannot match a prefix and a
  # case-insensitive suffix on the same field (and a pattern of every case spelling passes its
  # 2,048-character limit), so the input prefix is checked by the worker, which passes over
  # keys outside it.
  key_patterns = [for suffix in var.image_suffixes : { suffix = { "equals-ignore-case" = suffix } }]
  scaler_environment = {
    EULEREYE_QUEUE_URL        = var.queue_url
    EULEREYE_CLUSTER          = var.cluster_name
    EULEREYE_TASK_DEFINITION  = var.task_definition_arn
    EULEREYE_CONTAINER_NAME   = var.container_name
    EULEREYE_SUBNETS          = join(",", var.subnet_ids)
    EULEREYE_SECURITY_GROUPS  = join(",", var.security_group_ids)
    EULEREYE_ASSIGN_PUBLIC_IP = var.assign_public_ip ? "ENABLED" : "DISABLED"
    EULEREYE_MAX_TASKS        = tostring(var.max_tasks)
    EULEREYE_PAGES_PER_TASK   = tostring(var.pages_per_task)
    EULEREYE_CAPACITY         = var.capacity_provider
    EULEREYE_LOG_FORMAT       = "json"
  }
}

resource "aws_cloudwatch_event_rule" "page_uploaded" {
  name        = "${var.name}-page-uploaded"
  description = "A page image was uploaded under ${var.input_prefix} of ${var.bucket_name}"
  tags        = var.tags
  event_pattern = jsonencode({
    source      = ["aws.s3"]
    detail-type = ["Object Created"]
    detail = {
      bucket = { name = [var.bucket_name] }
      object = { key = local.key_patterns }
    }
  })

  lifecycle {
    precondition {
      condition = length(jsonencode({
        source = ["aws.s3"], detail-type = ["Object Created"],
      detail = { bucket = { name = [var.bucket_name] }, object = { key = local.key_patterns } } })) <= 2048
      error_message = "The upload rule's pattern passes EventBridge's 2,048 characters: fewer image_suffixes."
    }
  }
}

resource "aws_cloudwatch_event_rule" "every_minute" {
  name                = "${var.name}-scaler-tick"
  description         = "Run the scaler every minute: replaces workers that stopped while pages wait"
  schedule_expression = "rate(1 minute)"
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "page_to_queue" {
  rule      = aws_cloudwatch_event_rule.page_uploaded.name
  target_id = "work-queue"
  arn       = var.queue_arn

  # An event EventBridge cannot deliver (queue policy, KMS) is kept, not dropped (alarmed).
  dead_letter_config {
    arn = aws_sqs_queue.undelivered_events.arn
  }

  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }
}

# The schedule invokes the scaler directly (once a minute cannot flood anything); uploads
# reach it debounced through the nudge queue (delivery.tf).
resource "aws_cloudwatch_event_target" "scaler" {
  for_each = var.eventbridge_invokes_scaler ? {
    every_minute = aws_cloudwatch_event_rule.every_minute.name
  } : {}
  rule      = each.value
  target_id = "scaler"
  arn       = aws_lambda_function.scaler.arn
}

resource "aws_lambda_permission" "from_rule" {
  for_each = var.eventbridge_invokes_scaler ? {
    every_minute = aws_cloudwatch_event_rule.every_minute.arn
  } : {}
  statement_id  = "AllowEventBridge-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.scaler.function_name
  principal     = "events.amazonaws.com"
  source_arn    = each.value
}

resource "aws_cloudwatch_log_group" "scaler" {
  #checkov:skip=CKV_AWS_158:Encrypted by CloudWatch Logs by default; pass kms_key_arn for a customer-managed key.
  #checkov:skip=CKV_AWS_338:Retention is a cost decision left to log_retention_days (default 30 days).
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

# Asynchronous invocations that fail after retries land here (alarmed by monitoring).
resource "aws_sqs_queue" "scaler_failures" {
  name                      = "${local.function_name}-failures"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = var.kms_key_arn == null ? true : null
  kms_master_key_id         = var.kms_key_arn
  tags                      = var.tags
}

resource "aws_sqs_queue_policy" "scaler_failures" {
  queue_url = aws_sqs_queue.scaler_failures.id
  policy    = jsonencode({ Version = "2012-10-17", Statement = [local.deny_insecure_transport["failures"]] })
}

locals {
  scaler_statements = concat(
    [
      {
        Sid      = "StartWorkers"
        Effect   = "Allow"
        Action   = ["ecs:RunTask"]
        Resource = ["${var.task_definition_family_arn}:*"]
        Condition = {
          ArnEquals = { "ecs:cluster" = var.cluster_arn }
        }
      },
      {
        Sid      = "PassOnlyTheWorkerRoles"
        Effect   = "Allow"
        Action   = ["iam:PassRole"]
        Resource = var.task_role_arns
        Condition = {
          StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" }
        }
      },
      {
        Sid    = "CountRunningWorkers"
        Effect = "Allow"
        Action = ["ecs:ListTasks"]
        # ListTasks names no task yet; it is limited to our cluster by condition.
        Resource  = ["*"]
        Condition = { ArnEquals = { "ecs:cluster" = var.cluster_arn } }
      },
      {
        Sid      = "DescribeWorkers"
        Effect   = "Allow"
        Action   = ["ecs:DescribeTasks"]
        Resource = ["arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:task/${var.cluster_name}/*"]
      },
      {
        Sid      = "MeasureTheBacklog"
        Effect   = "Allow"
        Action   = ["sqs:GetQueueAttributes"]
        Resource = [var.queue_arn]
      },
      {
        Sid      = "TakeUploadNudges"
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        Resource = [aws_sqs_queue.scaler_nudges.arn]
      },
      {
        Sid      = "ReportFailedInvocations"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = [aws_sqs_queue.scaler_failures.arn]
      },
      {
        Sid      = "WriteScalerLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.scaler.arn}:*"]
      },
    ],
    var.kms_key_arn == null ? [] : [{
      Sid      = "UseTheQueueKey"
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource = [var.kms_key_arn]
    }],
  )
}

resource "aws_iam_role" "scaler" {
  name        = local.function_name
  description = "eulereye scaler: start worker tasks for the queue's backlog"
  tags        = var.tags
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "scaler" {
  name   = "scale-workers"
  role   = aws_iam_role.scaler.id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.scaler_statements })
}

resource "aws_lambda_function" "scaler" {
  #checkov:skip=CKV_AWS_116:Failed asynchronous invocations go to the on-failure destination (aws_lambda_function_event_invoke_config), which supersedes a DLQ.
  #checkov:skip=CKV_AWS_117:The scaler only calls regional AWS APIs (SQS, ECS); outside a VPC it needs no NAT or extra endpoints.
  #checkov:skip=CKV_AWS_173:The environment holds resource names only, no secrets; Lambda encrypts it at rest with an AWS-managed key.
  #checkov:skip=CKV_AWS_272:Code signing needs an AWS Signer profile; the package is built from this repository by `make lambda-zip` and deployed by Terraform.
  function_name                  = local.function_name
  description                    = "Starts eulereye workers for the backlog of ${var.queue_url}"
  role                           = aws_iam_role.scaler.arn
  runtime                        = "python3.12"
  handler                        = "scaler.handler"
  filename                       = var.lambda_zip_path
  source_code_hash               = filebase64sha256(var.lambda_zip_path)
  timeout                        = 60
  memory_size                    = 128
  reserved_concurrent_executions = 1 # two scalers at once would both start tasks for the same gap
  tags                           = var.tags

  environment {
    variables = local.scaler_environment
  }

  tracing_config {
    mode = "PassThrough"
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.scaler.name
  }

  depends_on = [aws_iam_role_policy.scaler]
}

resource "aws_lambda_function_event_invoke_config" "scaler" {
  function_name                = aws_lambda_function.scaler.function_name
  maximum_retry_attempts       = 1
  maximum_event_age_in_seconds = 600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.scaler_failures.arn
    }
  }

  depends_on = [aws_iam_role_policy.scaler]
}
