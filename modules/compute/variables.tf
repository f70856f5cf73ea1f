variable "name" {
  description = "Name of the ECS cluster; also the prefix of the task definition family, roles and log group."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "image" {
  description = "Worker image reference, repository URL and tag (e.g. <account>.dkr.ecr.<region>.amazonaws.com/eulereye:<git-sha>)."
  type        = string

  validation {
    condition     = can(regex("^[^\\s]+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image))
    error_message = "image must be a repository reference with an explicit tag, e.g. repo/name:abc1234."
  }
}

variable "ecr_repository_arn" {
  description = "ARN of the ECR repository the execution role may pull from."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ecr:", var.ecr_repository_arn))
    error_message = "ecr_repository_arn must be an ECR repository ARN."
  }
}

variable "container_name" {
  description = "Name of the worker container in the task definition."
  type        = string
  default     = "worker"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.container_name))
    error_message = "container_name must be letters, digits, hyphens or underscores."
  }
}

variable "task_cpu" {
  description = "Fargate task CPU units (1024 = 1 vCPU)."
  type        = number
  default     = 2048

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.task_cpu)
    error_message = "task_cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384."
  }
}

variable "task_memory" {
  description = "Fargate task memory in MiB; must be a size Fargate offers for task_cpu."
  type        = number
  default     = 4096

  validation {
    condition = (
      var.task_memory >= local.fargate_memory[tostring(var.task_cpu)].min &&
      var.task_memory <= local.fargate_memory[tostring(var.task_cpu)].max &&
      var.task_memory % local.fargate_memory[tostring(var.task_cpu)].step == 0
    )
    error_message = "task_memory is not offered by Fargate for this task_cpu (e.g. 1024 CPU: 2048-8192 MiB in 1024 steps; 2048 CPU: 4096-16384)."
  }
}

variable "engine" {
  description = "OCR engine the workers use: tesseract (in the image) or textract (AWS API)."
  type        = string
  default     = "tesseract"

  validation {
    condition     = contains(["tesseract", "textract"], var.engine)
    error_message = "engine must be tesseract or textract."
  }
}

variable "lang" {
  description = "Tesseract language(s), '+'-separated (e.g. eng, deu+frk, script/Fraktur); the image must contain them."
  type        = string
  default     = "eng"

  validation {
    condition     = can(regex("^[A-Za-z_/]+(\\+[A-Za-z_/]+)*$", var.lang))
    error_message = "lang must be Tesseract language codes joined by '+', e.g. eng or deu+frk."
  }
}

variable "segmenter" {
  description = "Page segmenter the workers use (auto picks the best available)."
  type        = string
  default     = "auto"

  validation {
    condition     = can(regex("^[a-z0-9_-]+$", var.segmenter))
    error_message = "segmenter must be a segmenter name such as auto."
  }
}

variable "jobs" {
  description = "Pages a worker processes in parallel; 0 means one per vCPU."
  type        = number
  default     = 0

  validation {
    condition     = var.jobs >= 0 && var.jobs <= 64
    error_message = "jobs must be between 0 and 64."
  }
}

variable "idle_seconds" {
  description = "Seconds a worker waits without work before it exits (so the cluster scales to zero)."
  type        = number
  default     = 120

  validation {
    condition     = var.idle_seconds >= 0 && var.idle_seconds <= 3600
    error_message = "idle_seconds must be between 0 and 3600."
  }
}

variable "bucket_name" {
  description = "Name of the page bucket."
  type        = string
}

variable "bucket_arn" {
  description = "ARN of the page bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::", var.bucket_arn))
    error_message = "bucket_arn must be an S3 bucket ARN."
  }
}

variable "input_prefix" {
  description = "Key prefix the workers read page images from."
  type        = string
  default     = "input/"
}

variable "output_prefix" {
  description = "Key prefix the workers write results under."
  type        = string
  default     = "output/"
}

variable "queue_url" {
  description = "URL of the work queue the workers drain."
  type        = string
}

variable "queue_arn" {
  description = "ARN of the work queue."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sqs:", var.queue_arn))
    error_message = "queue_arn must be an SQS queue ARN."
  }
}

variable "visibility_timeout_seconds" {
  description = "The work queue's visibility timeout, passed to the workers."
  type        = number
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key of the bucket, queue and logs, if any; the task role may use it. null when AWS-managed encryption is used."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "log_retention_days" {
  description = "Days worker logs are kept in CloudWatch Logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "use_spot" {
  description = "Run workers on FARGATE_SPOT by default (cheaper; an interrupted page is redelivered by SQS)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}

variable "output_formats" {
  description = "Outputs the workers write, comma-separated: txt, coords, sections, alto, hocr, page (PAGE-XML), pdf (searchable), or all (EULEREYE_FORMATS)."
  type        = string
  default     = "txt,coords,sections,alto"

  validation {
    condition     = can(regex("^(all|(txt|coords|sections|alto|hocr|page|pdf)(,(txt|coords|sections|alto|hocr|page|pdf))*)$", var.output_formats))
    error_message = "output_formats must be a comma list of txt, coords, sections, alto, hocr, page, pdf, or all."
  }
}

variable "alto_profile" {
  description = "ALTO coordinates: pixel, or ndnp (1/1200 inch and the image's file name, as the National Digital Newspaper Program loads ALTO)."
  type        = string
  default     = "pixel"

  validation {
    condition     = contains(["pixel", "ndnp"], var.alto_profile)
    error_message = "alto_profile must be pixel or ndnp."
  }
}

variable "dpi" {
  description = "Resolution of page images whose files state none (0: none; the ndnp ALTO profile then fails such pages)."
  type        = number
  default     = 0

  validation {
    condition     = var.dpi >= 0 && var.dpi <= 10000
    error_message = "dpi must be between 0 (none) and 10000."
  }
}

variable "page_timeout_seconds" {
  description = "Seconds one page may take before the worker stops it (then it is retried; on its last delivery it is recorded under errors/ as timed out)."
  type        = number
  default     = 900

  validation {
    condition     = var.page_timeout_seconds >= 30 && var.page_timeout_seconds <= 43200
    error_message = "page_timeout_seconds must be between 30 and 43200."
  }
}

variable "textract_tps" {
  description = "Textract DetectDocumentText calls per second for the whole fleet (the account's quota for the region, or less)."
  type        = number
  default     = 1

  validation {
    condition     = var.textract_tps >= 1 && floor(var.textract_tps) == var.textract_tps
    error_message = "textract_tps must be a whole number of at least 1."
  }
}

variable "container_insights" {
  description = "CloudWatch Container Insights for the cluster (task counts, CPU and memory per task; billed as custom metrics)."
  type        = bool
  default     = true
}
