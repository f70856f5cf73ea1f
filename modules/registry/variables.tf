variable "name" {
  description = "Name of the ECR repository for the worker image."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.name)) && length(var.name) <= 256
    error_message = "name must be a valid ECR repository name (lowercase letters, digits, '.', '_', '-', '/')."
  }
}

variable "keep_images" {
  description = "Number of most recent images kept; older ones are expired by the lifecycle policy."
  type        = number
  default     = 20

  validation {
    condition     = var.keep_images >= 1 && var.keep_images <= 1000
    error_message = "keep_images must be between 1 and 1000."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer-managed KMS key for image encryption. null uses AES256 (ECR-managed keys)."
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
