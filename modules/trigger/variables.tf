variable "name" {
  description = "Name prefix of the scaler function, its role and the EventBridge rules."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "lambda_zip_path" {
  description = "Path of the scaler's deployment package (built by `make lambda-zip` from lambda_src/)."
  type        = string

  validation {
    condition     = endswith(var.lambda_zip_path, ".zip")
    error_message = "lambda_zip_path must point to a .zip file (run `make lambda-zip`)."
  }
}

variable "bucket_name" {
  description = "Name of the page bucket whose uploads trigger processing."
  type        = string
}

variable "input_prefix" {
  description = "Key prefix under which uploads trigger processing."
  type        = string
  default     = "input/"
}

variable "image_suffixes" {
  description = "File name endings (lowercase) of page images, matched in any case. The root passes eulereye/page_suffixes.json, the list the worker takes."
  type        = list(string)
  default     = [".tif", ".tiff", ".png", ".jpg", ".jpeg", ".jp2", ".bmp", ".webp"]

  validation {
    condition     = length(var.image_suffixes) > 0 && alltrue([for s in var.image_suffixes : can(regex("^\\.[a-z0-9]+$", s))])
    error_message = "image_suffixes must be lowercase endings such as \".tif\"."
  }
}

variable "queue_url" {
  description = "URL of the work queue."
  type        = string
}

variable "queue_arn" {
  description = "ARN of the work queue (target of the upload rule; the scaler reads its attributes)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sqs:", var.queue_arn))
    error_message = "queue_arn must be an SQS queue ARN."
  }
}

variable "cluster_arn" {
  description = "ARN of the ECS cluster workers run in."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ecs:", var.cluster_arn))
    error_message = "cluster_arn must be an ECS cluster ARN."
  }
}

variable "cluster_name" {
  description = "Name of the ECS cluster workers run in."
  type        = string
}

variable "task_definition_arn" {
  description = "ARN (with revision) of the worker task definition the scaler starts."
  type        = string
}

variable "task_definition_family_arn" {
  description = "ARN of the worker task definition without revision; the scaler may run only its revisions."
  type        = string
}

variable "task_role_arns" {
  description = "ARNs of the worker's task and execution roles, the only roles the scaler may pass."
  type        = list(string)

  validation {
    condition     = length(var.task_role_arns) == 2 && alltrue([for arn in var.task_role_arns : can(regex("^arn:aws[a-z-]*:iam::", arn))])
    error_message = "task_role_arns must be exactly the task role ARN and the execution role ARN."
  }
}

variable "container_name" {
  description = "Name of the worker container in the task definition."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets workers are started in."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "subnet_ids must name at least one subnet."
  }
}

variable "security_group_ids" {
  description = "Security groups of the workers."
  type        = list(string)

  validation {
    condition     = length(var.security_group_ids) >= 1
    error_message = "security_group_ids must name at least one security group."
  }
}

variable "assign_public_ip" {
  description = "Give worker tasks a public IP (only for an existing VPC whose subnets route to an internet gateway and have no endpoints or NAT)."
  type        = bool
  default     = false
}

variable "max_tasks" {
  description = "Most worker tasks running at once."
  type        = number
  default     = 10

  validation {
    condition     = var.max_tasks >= 1 && var.max_tasks <= 1000 && floor(var.max_tasks) == var.max_tasks
    error_message = "max_tasks must be a whole number between 1 and 1000."
  }
}

variable "pages_per_task" {
  description = "Queued pages per running worker the scaler aims for: desired = min(max_tasks, ceil(backlog / pages_per_task))."
  type        = number
  default     = 50

  validation {
    condition     = var.pages_per_task >= 1 && floor(var.pages_per_task) == var.pages_per_task
    error_message = "pages_per_task must be a whole number of at least 1."
  }
}

variable "capacity_provider" {
  description = "Capacity provider the scaler starts tasks on."
  type        = string
  default     = "FARGATE_SPOT"

  validation {
    condition     = contains(["FARGATE", "FARGATE_SPOT"], var.capacity_provider)
    error_message = "capacity_provider must be FARGATE or FARGATE_SPOT."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key of the queues and logs, if any. null when AWS-managed encryption is used."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "log_retention_days" {
  description = "Days the scaler's logs are kept in CloudWatch Logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "eventbridge_invokes_scaler" {
  description = "Let AWS invoke the scaler: the schedule rule, and the event source mapping that drains upload nudges. Off only for a local emulator (moto) that cannot invoke Lambda; a local runner plays both instead."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}

variable "nudge_window_seconds" {
  description = "Seconds the scaler gathers upload nudges before one invocation (a bulk upload then costs one invocation per window, not one per object)."
  type        = number
  default     = 20

  validation {
    condition     = var.nudge_window_seconds >= 1 && var.nudge_window_seconds <= 300 && floor(var.nudge_window_seconds) == var.nudge_window_seconds
    error_message = "nudge_window_seconds must be a whole number from 1 to 300."
  }
}
