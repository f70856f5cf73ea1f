terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }

  # State is local unless a backend is configured: copy backend.tf.example to backend.tf
  # (S3 with a lock file) for a shared deployment. See docs/deploy.md.
}
