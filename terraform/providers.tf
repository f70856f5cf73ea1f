locals {
  local_emulation = var.aws_endpoint_url != null
}

provider "aws" {
  region = var.region

  default_tags {
    tags = merge({ Project = "eulereye", Deployment = var.name_prefix }, var.tags)
  }

  # Local emulation (moto server): no credential or account checks against real AWS.
  skip_credentials_validation = local.local_emulation
  skip_metadata_api_check     = local.local_emulation
  s3_use_path_style           = local.local_emulation

  dynamic "endpoints" {
    for_each = local.local_emulation ? [var.aws_endpoint_url] : []
    content {
      cloudwatch     = endpoints.value
      cloudwatchlogs = endpoints.value
      dynamodb       = endpoints.value
      ec2            = endpoints.value
      ecr            = endpoints.value
      ecs            = endpoints.value
      eventbridge    = endpoints.value
      iam            = endpoints.value
      kms            = endpoints.value
      lambda         = endpoints.value
      s3             = endpoints.value
      sns            = endpoints.value
      sqs            = endpoints.value
      sts            = endpoints.value
    }
  }
}
