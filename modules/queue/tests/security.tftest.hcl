# Security properties of the work queue and dead-letter queue, against a mocked provider.
mock_provider "aws" {
  source = "../../tests/terraform/mocks"
}

variables {
  name             = "eulereye-test-pages"
  sender_rule_arns = ["arn:aws:events:eu-central-1:111122223333:rule/eulereye-test-page-uploaded"]
}

run "encrypts_both_queues" {
  command = apply

  assert {
    condition     = aws_sqs_queue.work.sqs_managed_sse_enabled && aws_sqs_queue.dead_letter.sqs_managed_sse_enabled
    error_message = "Both queues must be encrypted (SSE-SQS by default)."
  }
}

run "encrypts_with_the_given_kms_key" {
  command = apply

  variables {
    kms_key_arn = "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition     = aws_sqs_queue.work.kms_master_key_id == var.kms_key_arn && aws_sqs_queue.dead_letter.kms_master_key_id == var.kms_key_arn
    error_message = "Both queues must use the given KMS key."
  }
}

run "moves_pages_to_the_dlq_after_n_receives" {
  command = apply

  variables {
    max_receive_count = 3
  }

  assert {
    condition     = jsondecode(aws_sqs_queue.work.redrive_policy).maxReceiveCount == 3 && jsondecode(aws_sqs_queue.work.redrive_policy).deadLetterTargetArn == aws_sqs_queue.dead_letter.arn
    error_message = "The work queue must redrive to its DLQ after max_receive_count receives."
  }
}

run "lets_only_our_eventbridge_rule_send" {
  command = apply

  assert {
    condition = alltrue([for s in jsondecode(aws_sqs_queue.work.policy).Statement :
      s.Effect == "Deny" || (
        s.Principal == { Service = "events.amazonaws.com" } &&
        s.Action == "sqs:SendMessage" &&
        toset(try(s.Condition.ArnEquals["aws:SourceArn"], [])) == toset(var.sender_rule_arns)
      )
    ])
    error_message = "Only the EventBridge service, for our rules only, may be allowed (and only to send)."
  }

  assert {
    condition = anytrue([for s in jsondecode(aws_sqs_queue.work.policy).Statement :
    s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], null) == "false"])
    error_message = "The queue policy must deny requests without TLS."
  }
}

run "sizes_the_visibility_timeout_from_the_worker" {
  command = apply

  variables {
    visibility_timeout_seconds = 900
  }

  assert {
    condition     = aws_sqs_queue.work.visibility_timeout_seconds == 900 && output.visibility_timeout_seconds == 900
    error_message = "The work queue's visibility timeout must follow the variable."
  }
}

run "rejects_a_visibility_timeout_out_of_range" {
  command = plan

  variables {
    visibility_timeout_seconds = 50000
  }

  expect_failures = [var.visibility_timeout_seconds]
}

run "rejects_an_empty_sender_list" {
  command = plan

  variables {
    sender_rule_arns = []
  }

  expect_failures = [var.sender_rule_arns]
}

run "keeps_dead_letters_longer_than_pages_wait_and_only_over_tls" {
  command = apply

  assert {
    condition     = aws_sqs_queue.dead_letter.message_retention_seconds > aws_sqs_queue.work.message_retention_seconds
    error_message = "The DLQ must keep a page longer than the work queue (its age counts from the first upload)."
  }

  assert {
    condition     = anytrue([for s in jsondecode(aws_sqs_queue_policy.dead_letter.policy).Statement : s.Effect == "Deny" && s.Condition.Bool["aws:SecureTransport"] == "false"])
    error_message = "The DLQ must be TLS-only, like the work queue."
  }
}

run "rejects_a_dlq_that_keeps_pages_no_longer_than_the_queue" {
  command = plan

  variables {
    message_retention_seconds     = 1209600
    dlq_message_retention_seconds = 1209600
  }

  expect_failures = [aws_sqs_queue.dead_letter]
}
