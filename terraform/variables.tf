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

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens) or null."
  }
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
  description = "Tesseract model(s) of the pages, '+'-separated (e.g. eng, deu+frk); only models listed in image/tesseract-languages.txt are in the worker image."
  type        = string
  default     = "eng"

  validation {
    condition     = alltrue([for model in split("+", var.lang) : contains(local.image_languages, model)])
    error_message = "lang must be '+'-joined models the worker image installs (image/tesseract-languages.txt: eng, deu, frk, lat, script/Fraktur unless you added more)."
  }
}

variable "segmenter" {
  description = "Page segmenter of the workers: auto (the best measured), classical or fcn."
  type        = string
  default     = "auto"

  validation {
    condition     = contains(["auto", "classical", "fcn"], var.segmenter)
    error_message = "segmenter must be auto, classical or fcn."
  }
}

variable "jobs" {
  description = "Pages a worker task processes at once; 0 = one per vCPU of the task."
  type        = number
  default     = 0

  validation {
    condition     = var.jobs >= 0 && var.jobs <= 64 && floor(var.jobs) == var.jobs
    error_message = "jobs must be a whole number between 0 and 64."
  }
}

variable "idle_seconds" {
  description = "Seconds a worker waits without work before it exits (the cluster then scales to zero)."
  type        = number
  default     = 120

  validation {
    condition     = var.idle_seconds >= 0 && var.idle_seconds <= 3600
    error_message = "idle_seconds must be between 0 and 3600."
  }
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

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.task_cpu)
    error_message = "task_cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384."
  }
}

variable "task_memory" {
  description = "Memory of a worker task in MiB (a size Fargate offers for task_cpu; the compute module checks the pair)."
  type        = number
  default     = 4096

  validation {
    condition     = var.task_memory >= 512 && var.task_memory <= 122880 && var.task_memory % 512 == 0
    error_message = "task_memory must be a multiple of 512 MiB between 512 and 122880."
  }
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

  validation {
    condition     = var.visibility_timeout_seconds >= 30 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 30 and 43200 (12 hours)."
  }
}

variable "max_receive_count" {
  description = "Deliveries of a page before it moves to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "vpc_id" {
  description = "Existing VPC for the workers. null creates a private VPC with VPC endpoints."
  type        = string
  default     = null

  validation {
    condition     = var.vpc_id == null || can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123abcd, or be null."
  }
}

variable "subnet_ids" {
  description = "Private subnets of the existing VPC (with vpc_id), better two in different zones. They need a route to S3, ECR (api and dkr), CloudWatch Logs, SQS (and Textract with that engine) on 443: a NAT gateway or VPC endpoints."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "subnet_ids must look like subnet-0123abcd."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the created VPC (vpc_id null); each zone's private subnet gets 1/16 of it."
  type        = string
  default     = "10.42.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && tonumber(split("/", var.vpc_cidr)[1]) <= 24
    error_message = "vpc_cidr must be an IPv4 CIDR block of /24 or larger."
  }
}

variable "az_count" {
  description = "Availability zones of the created VPC. Every interface endpoint bills per zone and hour: 1 is cheapest (small archives), 2 keeps workers starting when a zone fails."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 1 && var.az_count <= 6 && floor(var.az_count) == var.az_count
    error_message = "az_count must be a whole number between 1 and 6."
  }
}

variable "interface_endpoint_services" {
  description = "Interface endpoints of the created VPC (the workers' only way to these APIs; each bills per zone and hour)."
  type        = list(string)
  default     = ["ecr.api", "ecr.dkr", "logs", "sqs"]

  validation {
    condition     = length(setsubtract(["ecr.api", "ecr.dkr", "logs", "sqs"], var.interface_endpoint_services)) == 0
    error_message = "interface_endpoint_services must include ecr.api, ecr.dkr, logs and sqs: the workers reach nothing else."
  }
}

variable "egress_cidr_blocks" {
  description = "Existing VPC only: where workers may connect on 443 (e.g. your NAT's or proxy's range). The created VPC allows only its endpoints."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.egress_cidr_blocks) >= 1 && alltrue([for c in var.egress_cidr_blocks : can(cidrnetmask(c))])
    error_message = "egress_cidr_blocks must be one or more IPv4 CIDR blocks."
  }
}

variable "flow_log_retention_days" {
  description = "Days the created VPC's flow logs are kept (CloudWatch Logs storage is billed per GB-month)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "container_insights" {
  description = "CloudWatch Container Insights on the cluster (running workers, CPU, memory; billed as custom metrics). The dashboard's worker count needs it."
  type        = bool
  default     = true
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
  description = "Customer-managed KMS key for the bucket, queues, logs and image repository. null: AWS-managed encryption. Changing it later replaces the image repository (make plan-review flags it)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "log_retention_days" {
  description = "Days logs are kept in CloudWatch Logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "alarm_email" {
  description = "E-mail address that receives alarms (must confirm the subscription). null: none."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address or null."
  }
}

variable "backlog_alarm_age_seconds" {
  description = "Alarm when the oldest page has waited this long in the work queue. Set it above the time your largest batch takes, or the alarm stays on through the whole batch."
  type        = number
  default     = 3600

  validation {
    condition     = var.backlog_alarm_age_seconds >= 60 && var.backlog_alarm_age_seconds <= 1209600
    error_message = "backlog_alarm_age_seconds must be between 60 and 1209600 (14 days, the queue's retention)."
  }
}

variable "failure_rate_alarm_percent" {
  description = "Alarm when more than this share (%) of the pages finished in an hour failed for good (from 20 pages an hour)."
  type        = number
  default     = 5

  validation {
    condition     = var.failure_rate_alarm_percent > 0 && var.failure_rate_alarm_percent <= 100
    error_message = "failure_rate_alarm_percent must be above 0 and at most 100."
  }
}

variable "keep_images" {
  description = "Worker images kept in the repository (what `make rollback` can go back to)."
  type        = number
  default     = 20

  validation {
    condition     = var.keep_images >= 1 && var.keep_images <= 1000
    error_message = "keep_images must be between 1 and 1000."
  }
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
