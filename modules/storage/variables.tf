variable "bucket_name" {
  description = "Name of the bucket that holds page images under input/ and results under output/."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name)) && !can(regex("\\.\\.", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens."
  }
}

variable "input_prefix" {
  description = "Key prefix under which uploaded page images are picked up."
  type        = string
  default     = "input/"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+/$", var.input_prefix))
    error_message = "input_prefix must be a single folder name ending in '/', e.g. \"input/\"."
  }
}

variable "output_prefix" {
  description = "Key prefix under which workers write results."
  type        = string
  default     = "output/"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+/$", var.output_prefix))
    error_message = "output_prefix must be a single folder name ending in '/', e.g. \"output/\"."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer-managed KMS key for default bucket encryption. null uses S3-managed keys (SSE-S3)."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which overwritten or deleted object versions are removed for good."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of at least 1."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which unfinished multipart uploads are aborted and their parts deleted."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1 && floor(var.abort_incomplete_multipart_upload_days) == var.abort_incomplete_multipart_upload_days
    error_message = "abort_incomplete_multipart_upload_days must be a whole number of at least 1."
  }
}

variable "tls_only_policy" {
  description = "Attach the bucket policy that denies requests without TLS 1.2+. Turn off only for a local emulator that speaks plain HTTP (moto, which also ignores the policy's conditions)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
