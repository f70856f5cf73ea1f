variable "name" {
  description = "Name prefix for the network's resources."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "ID of an existing VPC to run tasks in. null creates a private VPC with endpoints (no NAT, no internet gateway)."
  type        = string
  default     = null

  validation {
    condition     = var.vpc_id == null || can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123abcd, or be null."
  }
}

variable "subnet_ids" {
  description = "Subnets of the existing VPC (vpc_id) for tasks; ignored when the module creates the VPC. They need a route to AWS APIs (NAT or endpoints)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "subnet_ids must look like subnet-0123abcd."
  }

  validation {
    condition     = var.vpc_id == null || length(var.subnet_ids) >= 1
    error_message = "subnet_ids must name at least one subnet (better two, in different AZs) when vpc_id is set."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the created VPC; each private subnet gets a /20 of it (for a /16)."
  type        = string
  default     = "10.42.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && tonumber(split("/", var.vpc_cidr)[1]) <= 24
    error_message = "vpc_cidr must be an IPv4 CIDR block of /24 or larger."
  }
}

variable "az_count" {
  description = "Number of availability zones (one private subnet each) of the created VPC. Each zone bills one hour of every interface endpoint around the clock; 1 is cheapest, 2 or more keep workers starting when a zone fails."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 1 && var.az_count <= 6 && floor(var.az_count) == var.az_count
    error_message = "az_count must be a whole number between 1 and 6."
  }
}

variable "interface_endpoint_services" {
  description = "AWS services reached through interface endpoints from the created VPC (service name without the com.amazonaws.<region>. prefix)."
  type        = list(string)
  default     = ["ecr.api", "ecr.dkr", "logs", "sqs"]

  validation {
    condition     = alltrue([for s in var.interface_endpoint_services : can(regex("^[a-z0-9.-]+$", s))])
    error_message = "interface_endpoint_services must be service names such as \"ecr.api\" or \"sqs\"."
  }
}

variable "textract_endpoint" {
  description = "Add an interface endpoint for Textract and a gateway endpoint for DynamoDB (the fleet-wide Textract rate table) to the created VPC. Turn on with the Textract engine in regions that offer Textract."
  type        = bool
  default     = false
}

variable "egress_cidr_blocks" {
  description = "Where tasks in an existing VPC (vpc_id) may connect on 443. In the created VPC egress is limited to the VPC's endpoints and the S3 prefix list."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for c in var.egress_cidr_blocks : can(cidrnetmask(c))])
    error_message = "egress_cidr_blocks must be IPv4 CIDR blocks."
  }
}

variable "flow_log_retention_days" {
  description = "Days VPC flow logs of the created VPC are kept in CloudWatch Logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer-managed KMS key for the flow log group. null uses CloudWatch Logs' own encryption."
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
