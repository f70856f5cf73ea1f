output "bucket_name" {
  description = "Name of the page bucket."
  value       = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  description = "ARN of the page bucket."
  value       = aws_s3_bucket.this.arn
}

output "input_prefix" {
  description = "Key prefix where page images are uploaded."
  value       = var.input_prefix
}

output "output_prefix" {
  description = "Key prefix where results are written."
  value       = var.output_prefix
}

output "bucket_policy" {
  description = "The bucket policy document (JSON) as applied; null without tls_only_policy."
  value       = one(aws_s3_bucket_policy.this[*].policy)
}
