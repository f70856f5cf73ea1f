variable "name_prefix" {
  description = "Prefix of every resource name; one deployment per prefix and account."
  type        = string
  default     = "eulereye"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name_prefix))
    error_message = "name_prefix must be 2-21 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-central-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-central-1."
  }
}

variable "bucket_name" {
  description = "Name of the page bucket. null: \"<name_prefix>-pages-<account id>\"."
  type        = string
  default     = null
}

variable "engine" {
  description = "OCR engine: tesseract (runs in the worker image) or textract (AWS Textract API)."
  type        = string
  default     = "tesseract"

  validation {
    condition     = contains(["tesseract", "textract"], var.engine)
    error_message = "engine must be tesseract or textract."
  }
}

variable "lang" {
  description = "Tesseract language(s) of the pages, '+'-separated (e.g. eng, deu+frk)."
  type        = string
  default     = "eng"
}

variable "image_tag" {
  description = "Tag of the worker image in the ECR repository (`make deploy` passes the git SHA)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a valid, immutable image tag such as a git SHA (not \"latest\")."
  }
}

variable "max_tasks" {
  description = "Most worker tasks running at once (mind the account's Fargate vCPU quota: max_tasks * task_cpu / 1024 vCPUs)."
  type        = number
  default     = 10

  validation {
    condition     = var.max_tasks >= 1 && var.max_tasks <= 1000 && floor(var.max_tasks) == var.max_tasks
    error_message = "max_tasks must be a whole number between 1 and 1000."
  }
}

variable "pages_per_task" {
  description = "Queued pages per running worker the scaler aims for."
  type        = number
  default     = 50

  validation {
    condition     = var.pages_per_task >= 1 && floor(var.pages_per_task) == var.pages_per_task
    error_message = "pages_per_task must be a whole number of at least 1."
  }
}

variable "task_cpu" {
  description = "Fargate CPU units of a worker task (1024 = 1 vCPU)."
  type        = number
  default     = 2048
}

variable "task_memory" {
  description = "Memory of a worker task in MiB (a size Fargate offers for task_cpu)."
  type        = number
  default     = 4096
}

variable "use_spot" {
  description = "Run workers on FARGATE_SPOT (cheaper; interrupted pages are redelivered)."
  type        = bool
  default     = true
}

variable "visibility_timeout_seconds" {
  description = "Seconds a page a worker took stays hidden from other workers (the worker extends it while busy)."
  type        = number
  default     = 300
}

variable "max_receive_count" {
  description = "Deliveries of a page before it moves to the dead-letter queue."
  type        = number
  default     = 5
}

variable "vpc_id" {
  description = "Existing VPC for the workers. null creates a private VPC with VPC endpoints."
  type        = string
  default     = null
}

variable "subnet_ids" {
  description = "Subnets of the existing VPC (with vpc_id); they need a route to AWS APIs."
  type        = list(string)
  default     = []
}

variable "assign_public_ip" {
  description = "Give workers public IPs; only for an existing VPC with public subnets and no NAT or endpoints."
  type        = bool
  default     = false

  validation {
    condition     = !var.assign_public_ip || var.vpc_id != null
    error_message = "assign_public_ip only makes sense with an existing VPC (vpc_id): the created VPC has no internet gateway."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for the bucket, queues, logs and image repository. null: AWS-managed encryption."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days logs are kept in CloudWatch Logs."
  type        = number
  default     = 30
}

variable "alarm_email" {
  description = "E-mail address that receives alarms (must confirm the subscription). null: none."
  type        = string
  default     = null
}

variable "keep_images" {
  description = "Worker images kept in the repository."
  type        = number
  default     = 20
}

variable "lambda_zip_path" {
  description = "Scaler package built by `make lambda-zip`. null: build/scaler.zip of the repository."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource (on top of Project and Deployment)."
  type        = map(string)
  default     = {}
}

variable "aws_endpoint_url" {
  description = "Local emulation only: send every AWS API call to this endpoint (e.g. a moto server on http://127.0.0.1:PORT) with dummy credentials. Leave null for AWS."
  type        = string
  default     = null

  validation {
    condition     = var.aws_endpoint_url == null || can(regex("^https?://(127\\.0\\.0\\.1|localhost)(:[0-9]+)?/?$", var.aws_endpoint_url))
    error_message = "aws_endpoint_url must be a local endpoint such as http://127.0.0.1:5000."
  }
}

variable "output_formats" {
  description = "Outputs the workers write, comma-separated: txt, coords, sections, alto, hocr, page (PAGE-XML), pdf (searchable), or all."
  type        = string
  default     = "txt,coords,sections,alto"
}

variable "alto_profile" {
  description = "ALTO coordinates: pixel, or ndnp (1/1200 inch, as Chronicling America and Open ONI load ALTO)."
  type        = string
  default     = "pixel"
}

variable "dpi" {
  description = "Resolution of page images whose files state none (0: none); the ndnp ALTO profile needs one."
  type        = number
  default     = 0
}
