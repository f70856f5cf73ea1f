# Security properties of the page bucket, checked against a mocked AWS provider.
# Plan only: the bucket refuses to be destroyed (prevent_destroy), so a run that "applied"
# it could not be torn down. The bucket's ARN is mocked at plan time instead.
mock_provider "aws" {
  override_during = plan

  mock_resource "aws_s3_bucket" {
    defaults = {
      id  = "eulereye-test-pages"
      arn = "arn:aws:s3:::eulereye-test-pages"
    }
  }
}

variables {
  bucket_name = "eulereye-test-pages"
}

run "blocks_every_kind_of_public_access" {
  command = plan

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "All four public access blocks must be on."
  }

  assert {
    condition     = one(aws_s3_bucket_ownership_controls.this.rule).object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled (BucketOwnerEnforced)."
  }
}

run "encrypts_with_s3_managed_keys_by_default" {
  command = plan

  assert {
    condition     = alltrue([for rule in aws_s3_bucket_server_side_encryption_configuration.this.rule : one(rule.apply_server_side_encryption_by_default).sse_algorithm == "AES256"])
    error_message = "Default encryption must be SSE-S3 when no KMS key is given."
  }
}

run "encrypts_with_the_given_kms_key" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition = alltrue([for rule in aws_s3_bucket_server_side_encryption_configuration.this.rule :
      one(rule.apply_server_side_encryption_by_default).sse_algorithm == "aws:kms" &&
    one(rule.apply_server_side_encryption_by_default).kms_master_key_id == var.kms_key_arn])
    error_message = "Default encryption must use the given KMS key."
  }
}

run "allows_tls_only" {
  command = plan

  assert {
    condition = anytrue([for s in jsondecode(aws_s3_bucket_policy.this[0].policy).Statement :
      s.Effect == "Deny" && s.Principal == "*" && s.Action == "s3:*" &&
      try(s.Condition.Bool["aws:SecureTransport"], null) == "false" &&
      toset(s.Resource) == toset([aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"])
    ])
    error_message = "The bucket policy must deny every request without TLS, on the bucket and its objects."
  }

  assert {
    condition     = alltrue([for s in jsondecode(aws_s3_bucket_policy.this[0].policy).Statement : s.Effect == "Deny"])
    error_message = "The bucket policy must grant nothing: access comes from IAM roles only."
  }
}

run "keeps_versions_and_cleans_up_after_them" {
  command = plan

  assert {
    condition     = one(aws_s3_bucket_versioning.this.versioning_configuration).status == "Enabled"
    error_message = "Versioning must be on."
  }

  assert {
    condition = alltrue([for rule in aws_s3_bucket_lifecycle_configuration.this.rule :
      rule.status == "Enabled" &&
      one(rule.noncurrent_version_expiration).noncurrent_days == 30 &&
    one(rule.abort_incomplete_multipart_upload).days_after_initiation == 7])
    error_message = "Lifecycle must expire noncurrent versions and abort stale multipart uploads."
  }
}

run "sends_events_to_eventbridge" {
  command = plan

  assert {
    condition     = aws_s3_bucket_notification.this.eventbridge
    error_message = "EventBridge notifications must be on: they start the pipeline."
  }
}

run "rejects_an_invalid_bucket_name" {
  command = plan

  variables {
    bucket_name = "Not_A_Bucket"
  }

  expect_failures = [var.bucket_name]
}

run "rejects_a_prefix_without_slash" {
  command = plan

  variables {
    input_prefix = "input"
  }

  expect_failures = [var.input_prefix]
}
