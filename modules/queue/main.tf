# The work queue that workers drain, and the dead-letter queue that keeps pages that failed
# max_receive_count times. One message is one uploaded page (the EventBridge event).

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  # Known before the queue exists, so the access policy is part of the queue itself.
  work_queue_arn = "arn:${data.aws_partition.current.partition}:sqs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:${var.name}"

  work_queue_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowOurEventBridgeRules"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = local.work_queue_arn
        Condition = { ArnEquals = { "aws:SourceArn" = var.sender_rule_arns } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "sqs:*"
        Resource  = local.work_queue_arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  }

  encryption = {
    sqs_managed_sse_enabled = var.kms_key_arn == null ? true : null
    kms_master_key_id       = var.kms_key_arn
    # Reuse of data keys keeps KMS calls (and cost) low for a busy queue.
    kms_data_key_reuse_period_seconds = var.kms_key_arn == null ? null : 3600
  }
}

resource "aws_sqs_queue" "dead_letter" {
  name                              = "${var.name}-dlq"
  message_retention_seconds         = var.dlq_message_retention_seconds
  sqs_managed_sse_enabled           = local.encryption.sqs_managed_sse_enabled
  kms_master_key_id                 = local.encryption.kms_master_key_id
  kms_data_key_reuse_period_seconds = local.encryption.kms_data_key_reuse_period_seconds
  tags                              = var.tags

  lifecycle {
    precondition {
      # A standard queue's message keeps its first enqueue time in the DLQ.
      condition     = var.dlq_message_retention_seconds > var.message_retention_seconds
      error_message = "dlq_message_retention_seconds must exceed message_retention_seconds, or a page expires as it reaches the DLQ."
    }
  }
}

resource "aws_sqs_queue_policy" "dead_letter" {
  queue_url = aws_sqs_queue.dead_letter.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "sqs:*"
      Resource  = aws_sqs_queue.dead_letter.arn
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_sqs_queue" "work" {
  name                              = var.name
  visibility_timeout_seconds        = var.visibility_timeout_seconds
  message_retention_seconds         = var.message_retention_seconds
  receive_wait_time_seconds         = 20
  policy                            = jsonencode(local.work_queue_policy)
  sqs_managed_sse_enabled           = local.encryption.sqs_managed_sse_enabled
  kms_master_key_id                 = local.encryption.kms_master_key_id
  kms_data_key_reuse_period_seconds = local.encryption.kms_data_key_reuse_period_seconds
  tags                              = var.tags

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter.arn
    maxReceiveCount     = var.max_receive_count
  })
}

