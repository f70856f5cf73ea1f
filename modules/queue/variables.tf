variable "name" {
  description = "Name of the work queue; the dead-letter queue is named \"<name>-dlq\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,76}$", var.name))
    error_message = "name must be 1-76 letters, digits, hyphens or underscores (room is left for the -dlq suffix)."
  }
}

variable "visibility_timeout_seconds" {
  description = "Seconds a received message stays hidden from other workers; size it above the time one worker needs for a page (the worker extends it while busy)."
  type        = number
  default     = 300

  validation {
    condition     = var.visibility_timeout_seconds >= 30 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 30 and 43200 (12 hours)."
  }
}

variable "max_receive_count" {
  description = "Receives after which a message that was never deleted moves to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "message_retention_seconds" {
  description = "Seconds a page waits in the work queue before SQS drops it. Shorter than the DLQ's: a standard queue's message keeps its first enqueue time in the DLQ, so an equal retention would drop a page the moment it arrives there."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be between 60 and 1209600 (14 days)."
  }
}

variable "dlq_message_retention_seconds" {
  description = "Seconds a failed page is kept (counted from its first upload) in the dead-letter queue for inspection and redrive; must exceed message_retention_seconds."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_message_retention_seconds >= 60 && var.dlq_message_retention_seconds <= 1209600
    error_message = "dlq_message_retention_seconds must be between 60 and 1209600 (14 days)."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer-managed KMS key for queue encryption. null uses SQS-managed encryption (SSE-SQS)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "sender_rule_arns" {
  description = "ARNs of the EventBridge rules allowed to send to the work queue; no other sender is allowed."
  type        = list(string)

  validation {
    condition     = length(var.sender_rule_arns) > 0 && alltrue([for arn in var.sender_rule_arns : can(regex("^arn:aws[a-z-]*:events:", arn))])
    error_message = "sender_rule_arns must list at least one EventBridge rule ARN."
  }
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
