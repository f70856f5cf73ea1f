# Textract once per page and within the account's rate (engine = textract only):
# - the fleet-wide cap: every Textract call first takes a slot of the current second from this
#   table (eulereye.ocr.ratelimit), so all tasks together stay under textract_tps;
# - a retry reuses the raw response saved under output/raw/ for the same input ETag.

resource "aws_dynamodb_table" "textract_rate" {
  #checkov:skip=CKV_AWS_28:Per-second call counters that expire within a minute: nothing to recover.
  #checkov:skip=CKV_AWS_119:Encrypted at rest by DynamoDB's own key by default; pass kms_key_arn for a customer-managed key. The items are counters, not data.
  #checkov:skip=CKV2_AWS_16:On-demand (PAY_PER_REQUEST) tables scale by themselves; auto scaling applies to provisioned capacity only.
  count        = var.engine == "textract" ? 1 : 0
  name         = "${var.name}-textract-rate"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  tags         = var.tags

  attribute {
    name = "id"
    type = "S"
  }

  ttl {
    attribute_name = "expires"
    enabled        = true
  }

  server_side_encryption {
    enabled     = var.kms_key_arn != null
    kms_key_arn = var.kms_key_arn
  }
}

locals {
  textract_rate_statements = var.engine == "textract" ? [
    {
      Sid      = "ShareTheTextractRate"
      Effect   = "Allow"
      Action   = ["dynamodb:UpdateItem"]
      Resource = [aws_dynamodb_table.textract_rate[0].arn]
    },
    {
      # A retry of the same input reuses the saved response instead of paying Textract again.
      Sid      = "ReuseSavedResponses"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = ["${var.bucket_arn}/${var.output_prefix}raw/*"]
    },
  ] : []
}
