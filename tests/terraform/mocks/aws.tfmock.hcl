# Mocked AWS for `terraform test`: well-formed ARNs where the provider validates them, and a
# region with zones. Shared by the modules' and the root's tests (mock_provider source).

mock_data "aws_availability_zones" {
  defaults = {
    names = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
  }
}

mock_data "aws_region" {
  defaults = {
    name = "eu-central-1"
  }
}

mock_data "aws_partition" {
  defaults = {
    partition = "aws"
  }
}

mock_data "aws_caller_identity" {
  defaults = {
    account_id = "111122223333"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = {
    arn = "arn:aws:logs:eu-central-1:111122223333:log-group:mocked"
  }
}

mock_resource "aws_iam_role" {
  defaults = {
    arn = "arn:aws:iam::111122223333:role/mocked"
  }
}

mock_resource "aws_sqs_queue" {
  defaults = {
    arn = "arn:aws:sqs:eu-central-1:111122223333:mocked"
    id  = "https://sqs.eu-central-1.amazonaws.com/111122223333/mocked"
    url = "https://sqs.eu-central-1.amazonaws.com/111122223333/mocked"
  }
}

mock_resource "aws_lambda_function" {
  defaults = {
    arn        = "arn:aws:lambda:eu-central-1:111122223333:function:mocked"
    invoke_arn = "arn:aws:apigateway:eu-central-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-central-1:111122223333:function:mocked/invocations"
  }
}

mock_resource "aws_ecs_cluster" {
  defaults = {
    arn = "arn:aws:ecs:eu-central-1:111122223333:cluster/mocked"
  }
}

mock_resource "aws_ecs_task_definition" {
  defaults = {
    arn                  = "arn:aws:ecs:eu-central-1:111122223333:task-definition/mocked:1"
    arn_without_revision = "arn:aws:ecs:eu-central-1:111122223333:task-definition/mocked"
  }
}

mock_resource "aws_sns_topic" {
  defaults = {
    arn = "arn:aws:sns:eu-central-1:111122223333:mocked"
  }
}

mock_resource "aws_cloudwatch_event_rule" {
  defaults = {
    arn = "arn:aws:events:eu-central-1:111122223333:rule/mocked"
  }
}

mock_resource "aws_ecr_repository" {
  defaults = {
    arn            = "arn:aws:ecr:eu-central-1:111122223333:repository/mocked"
    repository_url = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/mocked"
  }
}

mock_resource "aws_s3_bucket" {
  defaults = {
    arn = "arn:aws:s3:::mocked"
  }
}
