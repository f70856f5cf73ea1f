# Properties of the worker image repository, against a mocked provider.
mock_provider "aws" {
  source = "../../tests/terraform/mocks"
}

variables {
  name        = "eulereye-test"
  keep_images = 7
}

run "scans_on_push_and_keeps_tags_immutable" {
  command = apply

  assert {
    condition     = one(aws_ecr_repository.this.image_scanning_configuration).scan_on_push
    error_message = "Images must be scanned on push."
  }

  assert {
    condition     = aws_ecr_repository.this.image_tag_mutability == "IMMUTABLE"
    error_message = "Tags must be immutable: a git SHA always names the same image."
  }

  assert {
    condition     = one(aws_ecr_repository.this.encryption_configuration).encryption_type == "AES256"
    error_message = "Images must be encrypted at rest."
  }
}

run "keeps_the_last_n_images" {
  command = apply

  assert {
    condition     = one(jsondecode(aws_ecr_lifecycle_policy.this.policy).rules).selection.countNumber == 7
    error_message = "The lifecycle policy must keep exactly keep_images images."
  }
}

run "rejects_an_invalid_repository_name" {
  command = plan

  variables {
    name = "Bad Name"
  }

  expect_failures = [var.name]
}
