variable "name" {
  description = "Name prefix of the alarms, dashboard, topic and rule."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "queue_name" {
  description = "Name of the work queue."
  type        = string
}

variable "dead_letter_queue_name" {
  description = "Name of the dead-letter queue; any message in it raises an alarm."
  type        = string
}

variable "scaler_failure_queue_name" {
  description = "Name of the queue that receives failed scaler invocations; any message in it raises an alarm."
  type        = string
}

variable "cluster_name" {
  description = "Name of the ECS cluster."
  type        = string
}

variable "cluster_arn" {
  description = "ARN of the ECS cluster, to match its stopped tasks."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ecs:", var.cluster_arn))
    error_message = "cluster_arn must be an ECS cluster ARN."
  }
}

variable "scaler_function_name" {
  description = "Name of the scaler Lambda function."
  type        = string
}

variable "oldest_message_age_threshold_seconds" {
  description = "Alarm when the oldest page has waited in the work queue longer than this."
  type        = number
  default     = 3600

  validation {
    condition     = var.oldest_message_age_threshold_seconds >= 60
    error_message = "oldest_message_age_threshold_seconds must be at least 60."
  }
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic (the address must confirm). null: no subscription."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address or null."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer-managed KMS key for the alarm topic; its policy must let cloudwatch.amazonaws.com use it. null creates a key for the topic (the AWS-managed alias/aws/sns cannot be used by CloudWatch)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}

variable "worker_log_group_name" {
  description = "CloudWatch Logs group of the workers; its JSON lines give pages done and failed per hour, configuration faults and Textract throttling."
  type        = string
}

variable "failure_rate_alarm_percent" {
  description = "Alarm when more than this share (%) of the pages finished in an hour failed for good."
  type        = number
  default     = 5

  validation {
    condition     = var.failure_rate_alarm_percent > 0 && var.failure_rate_alarm_percent <= 100
    error_message = "failure_rate_alarm_percent must be above 0 and at most 100."
  }
}

variable "failure_rate_min_pages" {
  description = "Pages that must finish in an hour before the failure rate can raise its alarm."
  type        = number
  default     = 20

  validation {
    condition     = var.failure_rate_min_pages >= 1 && floor(var.failure_rate_min_pages) == var.failure_rate_min_pages
    error_message = "failure_rate_min_pages must be a whole number of at least 1."
  }
}
