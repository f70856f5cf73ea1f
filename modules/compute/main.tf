# The ECS cluster and the worker task: what a Fargate worker runs, with which rights.

data "aws_region" "current" {}

locals {
  # Memory sizes Fargate offers for each CPU size (MiB).
  fargate_memory = {
    "256"   = { min = 512, max = 2048, step = 512 }
    "512"   = { min = 1024, max = 4096, step = 1024 }
    "1024"  = { min = 2048, max = 8192, step = 1024 }
    "2048"  = { min = 4096, max = 16384, step = 1024 }
    "4096"  = { min = 8192, max = 30720, step = 1024 }
    "8192"  = { min = 16384, max = 61440, step = 4096 }
    "16384" = { min = 32768, max = 122880, step = 8192 }
  }

  capacity_provider = var.use_spot ? "FARGATE_SPOT" : "FARGATE"
  region            = data.aws_region.current.name

  # The worker's whole configuration; names are the contract of `eulereye worker`.
  worker_environment = {
    EULEREYE_BUCKET             = var.bucket_name
    EULEREYE_QUEUE_URL          = var.queue_url
    EULEREYE_INPUT_PREFIX       = var.input_prefix
    EULEREYE_OUTPUT_PREFIX      = var.output_prefix
    EULEREYE_ENGINE             = var.engine
    EULEREYE_SEGMENTER          = var.segmenter
    EULEREYE_LANG               = var.lang
    EULEREYE_LOG_FORMAT         = "json"
    EULEREYE_IDLE_SECONDS       = tostring(var.idle_seconds)
    EULEREYE_VISIBILITY_TIMEOUT = tostring(var.visibility_timeout_seconds)
    EULEREYE_JOBS               = tostring(var.jobs)
    EULEREYE_FORMATS            = var.output_formats
    EULEREYE_ALTO_PROFILE       = var.alto_profile
    EULEREYE_DPI                = tostring(var.dpi)
    EULEREYE_PAGE_TIMEOUT       = tostring(var.page_timeout_seconds)
    EULEREYE_RATE_TABLE         = try(aws_dynamodb_table.textract_rate[0].name, "") # ratelimit.tf
    EULEREYE_TEXTRACT_TPS       = var.engine == "textract" ? tostring(var.textract_tps) : "0"
    # Recorded in every page's manifest: which release processed the page.
    EULEREYE_IMAGE_TAG = element(split(":", var.image), length(split(":", var.image)) - 1)
  }
}

resource "aws_ecs_cluster" "this" {
  name = var.name
  tags = var.tags

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = local.capacity_provider
    weight            = 1
  }
}

resource "aws_cloudwatch_log_group" "worker" {
  #checkov:skip=CKV_AWS_158:Encrypted by CloudWatch Logs by default; pass kms_key_arn for a customer-managed key.
  #checkov:skip=CKV_AWS_338:Retention is a cost decision left to log_retention_days (default 30 days).
  name              = "/eulereye/${var.name}/worker"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

locals {
  ecs_tasks_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  # What a worker may do: read pages, write results, work the queue, and nothing else.
  task_statements = concat(
    [
      {
        Sid      = "ReadPages"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${var.bucket_arn}/${var.input_prefix}*"]
      },
      {
        Sid      = "WriteResults"
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = ["${var.bucket_arn}/${var.output_prefix}*"]
      },
      {
        # A page whose manifest records the same ETag is skipped, not processed twice.
        Sid      = "ReadManifests"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${var.bucket_arn}/${var.output_prefix}manifest/*"]
      },
      {
        # A page that failed before and now succeeds loses its stale errors/ record.
        Sid      = "ClearFixedErrors"
        Effect   = "Allow"
        Action   = ["s3:DeleteObject"]
        Resource = ["${var.bucket_arn}/${var.output_prefix}errors/*"]
      },
      {
        # Without it S3 answers a missing manifest with 403 instead of 404, and the worker
        # could not tell "not processed yet" from "denied".
        Sid      = "TellMissingFromDenied"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [var.bucket_arn]
      },
      {
        Sid      = "WorkTheQueue"
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
        Resource = [var.queue_arn]
      },
    ],
    var.engine == "textract" ? [{
      Sid    = "RecognizeText"
      Effect = "Allow"
      Action = ["textract:DetectDocumentText"]
      # Textract has no resource-level permissions: its actions only accept "*".
      Resource = ["*"]
    }] : [],
    local.textract_rate_statements, # ratelimit.tf
    var.kms_key_arn == null ? [] : [{
      Sid      = "UseTheDataKey"
      Effect   = "Allow"
      Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource = [var.kms_key_arn]
    }],
  )

  # What ECS may do on the task's behalf before it starts: pull the image, create log streams.
  execution_statements = [
    {
      Sid    = "AuthenticateToEcr"
      Effect = "Allow"
      Action = ["ecr:GetAuthorizationToken"]
      # GetAuthorizationToken is account-wide: it accepts no resource but "*".
      Resource = ["*"]
    },
    {
      Sid      = "PullTheWorkerImage"
      Effect   = "Allow"
      Action   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
      Resource = [var.ecr_repository_arn]
    },
    {
      Sid      = "WriteWorkerLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = ["${aws_cloudwatch_log_group.worker.arn}:*"]
    },
  ]
}

resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  description        = "eulereye worker: read input/, write output/, work the queue"
  assume_role_policy = local.ecs_tasks_trust
  tags               = var.tags
}

resource "aws_iam_role_policy" "task" {
  name   = "worker"
  role   = aws_iam_role.task.id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.task_statements })
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  description        = "ECS agent for eulereye workers: pull the image, write logs"
  assume_role_policy = local.ecs_tasks_trust
  tags               = var.tags
}

resource "aws_iam_role_policy" "execution" {
  name   = "pull-and-log"
  role   = aws_iam_role.execution.id
  policy = jsonencode({ Version = "2012-10-17", Statement = local.execution_statements })
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "${var.name}-worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.task_cpu)
  memory                   = tostring(var.task_memory)
  task_role_arn            = aws_iam_role.task.arn
  execution_role_arn       = aws_iam_role.execution.arn
  tags                     = var.tags

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # The root filesystem is read-only; scratch space for page images lives here.
  volume {
    name = "scratch"
  }

  container_definitions = jsonencode([{
    name                   = var.container_name
    image                  = var.image
    essential              = true
    cpu                    = var.task_cpu
    memory                 = var.task_memory
    readonlyRootFilesystem = true
    # Spot interruptions give two minutes; the worker finishes or releases its page.
    stopTimeout = 120
    environment = [for key in sort(keys(local.worker_environment)) : { name = key, value = local.worker_environment[key] }]
    mountPoints = [{ sourceVolume = "scratch", containerPath = "/tmp", readOnly = false }]
    linuxParameters = {
      initProcessEnabled = true
      capabilities       = { drop = ["ALL"] }
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.worker.name
        awslogs-region        = local.region
        awslogs-stream-prefix = "worker"
      }
    }
  }])
}
