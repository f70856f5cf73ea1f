# The tasks' network: private subnets, HTTPS-only egress, endpoints instead of a NAT.
mock_provider "aws" {
  source = "../../tests/terraform/mocks"
}

variables {
  name = "eulereye-test"
}

run "creates_private_subnets_in_two_azs" {
  command = apply

  assert {
    condition     = length(aws_subnet.private) == 2 && length(distinct(aws_subnet.private[*].availability_zone)) == 2
    error_message = "There must be one private subnet in each of two availability zones."
  }

  assert {
    condition     = alltrue([for subnet in aws_subnet.private : !subnet.map_public_ip_on_launch])
    error_message = "Subnets must not hand out public IPs."
  }

  assert {
    condition     = length(output.subnet_ids) == 2
    error_message = "The module must output the private subnets."
  }
}

run "allows_tasks_only_https_out_and_nothing_in" {
  command = apply

  assert {
    condition     = length(aws_security_group.tasks.ingress) == 0
    error_message = "Tasks must accept no inbound connections."
  }

  assert {
    condition     = alltrue([for rule in aws_security_group.tasks.egress : rule.from_port == 443 && rule.to_port == 443 && rule.protocol == "tcp"])
    error_message = "Tasks may only connect out on TCP 443."
  }

  assert {
    condition     = alltrue([for rule in aws_security_group.tasks.egress : toset(rule.cidr_blocks) == toset([var.vpc_cidr])])
    error_message = "In the created VPC, tasks may only reach addresses inside it (the endpoints) and the S3 prefix list."
  }

  assert {
    condition     = length(aws_default_security_group.this[0].ingress) == 0 && length(aws_default_security_group.this[0].egress) == 0
    error_message = "The VPC's default security group must allow nothing."
  }
}

run "reaches_aws_through_endpoints" {
  command = apply

  assert {
    condition     = toset(keys(aws_vpc_endpoint.interface)) == toset(["ecr.api", "ecr.dkr", "logs", "sqs"])
    error_message = "Interface endpoints for ECR (api, dkr), CloudWatch Logs and SQS are required."
  }

  assert {
    condition     = alltrue([for service, endpoint in aws_vpc_endpoint.interface : endpoint.private_dns_enabled && endpoint.service_name == "com.amazonaws.eu-central-1.${service}"])
    error_message = "Interface endpoints must use private DNS so SDKs reach them under the usual names."
  }

  assert {
    condition     = aws_vpc_endpoint.s3[0].vpc_endpoint_type == "Gateway" && aws_vpc_endpoint.s3[0].service_name == "com.amazonaws.eu-central-1.s3"
    error_message = "S3 must be reached through a gateway endpoint."
  }

  assert {
    condition     = aws_flow_log.this[0].traffic_type == "ALL"
    error_message = "Flow logs must record all traffic."
  }
}

run "adds_a_textract_endpoint_when_asked" {
  command = apply

  variables {
    textract_endpoint = true
  }

  assert {
    condition     = contains(keys(aws_vpc_endpoint.interface), "textract")
    error_message = "The Textract engine needs a Textract endpoint."
  }
}

run "uses_an_existing_vpc" {
  command = apply

  variables {
    vpc_id     = "vpc-0123456789abcdef0"
    subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  }

  assert {
    condition     = length(aws_vpc.this) == 0 && length(aws_subnet.private) == 0 && length(aws_vpc_endpoint.interface) == 0
    error_message = "With vpc_id the module must create no VPC, subnets or endpoints."
  }

  assert {
    condition     = aws_security_group.tasks.vpc_id == var.vpc_id && output.subnet_ids == var.subnet_ids
    error_message = "Tasks must run in the given VPC and subnets."
  }

  assert {
    condition     = alltrue([for rule in aws_security_group.tasks.egress : rule.from_port == 443 && rule.to_port == 443])
    error_message = "Egress stays HTTPS-only in an existing VPC."
  }
}

run "offers_a_single_az_for_small_archives" {
  command = plan

  variables {
    az_count = 1
  }

  assert {
    condition     = length(aws_subnet.private) == 1 && length(aws_route_table_association.private) == 1
    error_message = "az_count = 1 must create one private subnet (the cheapest profile)."
  }
}

run "rejects_more_azs_than_a_region_has" {
  command = plan

  variables {
    az_count = 7
  }

  expect_failures = [var.az_count]
}

run "requires_subnets_with_an_existing_vpc" {
  command = plan

  variables {
    vpc_id = "vpc-0123456789abcdef0"
  }

  expect_failures = [var.subnet_ids]
}
