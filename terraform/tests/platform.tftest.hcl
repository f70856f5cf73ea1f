# The wired platform with its defaults: private networking, encrypted everything, no public IPs.
# Plan only: the page bucket refuses to be destroyed (prevent_destroy), so runs that "applied"
# it could not be torn down. The shared mocks supply ARNs and URLs already at plan time.
mock_provider "aws" {
  source          = "../tests/terraform/mocks"
  override_during = plan
}

variables {
  image_tag                 = "abc1234"
  bucket_name               = "eulereye-test-pages"
  lambda_zip_path           = "../modules/trigger/tests/fixtures/scaler.zip"
  alarm_subscription_waiver = "terraform test: nobody to notify"
}

run "wires_the_modules_securely_by_default" {
  command = plan

  assert {
    condition     = module.trigger.scaler_environment.EULEREYE_ASSIGN_PUBLIC_IP == "DISABLED"
    error_message = "No public IPs by default."
  }

  assert {
    condition     = length(module.network.interface_endpoint_ids) == 4
    error_message = "The default deployment creates its own private VPC with endpoints."
  }

  assert {
    condition     = module.compute.worker_environment.EULEREYE_QUEUE_URL == module.queue.queue_url && module.compute.worker_environment.EULEREYE_BUCKET == module.storage.bucket_name
    error_message = "Workers must be configured from the queue and storage modules."
  }

  assert {
    condition     = module.trigger.scaler_environment.EULEREYE_TASK_DEFINITION == module.compute.task_definition_arn && module.trigger.scaler_environment.EULEREYE_CAPACITY == "FARGATE_SPOT"
    error_message = "The scaler must start our task definition, on Spot by default."
  }

  assert {
    condition     = alltrue([for policy in [module.compute.task_role_policy, module.compute.execution_role_policy, module.trigger.role_policy] : alltrue([for s in jsondecode(policy).Statement : alltrue([for a in s.Action : !strcontains(a, "*")])])])
    error_message = "No IAM policy of the platform may use wildcard actions."
  }

  assert {
    condition     = anytrue([for s in jsondecode(module.storage.bucket_policy).Statement : s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"])
    error_message = "The deployed bucket must be TLS-only."
  }

  assert {
    condition     = module.trigger.scaler_rule_targets == ["every_minute"]
    error_message = "The schedule invokes the scaler; uploads reach it debounced through the nudge queue."
  }

  assert {
    condition     = length(jsondecode(module.trigger.page_uploaded_rule_pattern).detail.object.key) == 20
    error_message = "The upload rule must route every ending of eulereye/page_suffixes.json."
  }

  assert {
    condition     = output.input_uri == "s3://eulereye-test-pages/input/" && output.output_uri == "s3://eulereye-test-pages/output/"
    error_message = "Uploads go under input/, results under output/."
  }
}

run "uses_textract_end_to_end_when_chosen" {
  command = plan

  variables {
    engine = "textract"
  }

  assert {
    condition     = module.compute.worker_environment.EULEREYE_ENGINE == "textract" && contains(keys(module.network.interface_endpoint_ids), "textract")
    error_message = "The Textract engine needs the worker setting and a Textract endpoint."
  }
}

run "uses_on_demand_fargate_when_spot_is_off" {
  command = plan

  variables {
    use_spot = false
  }

  assert {
    condition     = module.trigger.scaler_environment.EULEREYE_CAPACITY == "FARGATE"
    error_message = "use_spot = false must start On-Demand tasks."
  }
}

run "refuses_public_ips_in_the_created_vpc" {
  command = plan

  variables {
    assign_public_ip = true
  }

  expect_failures = [var.assign_public_ip]
}

run "refuses_a_mutable_image_tag" {
  command = plan

  variables {
    image_tag = "latest"
  }

  expect_failures = [var.image_tag]
}

run "passes_the_output_formats_to_the_workers" {
  command = plan

  variables {
    output_formats = "all"
    alto_profile   = "ndnp"
    dpi            = 300
  }

  assert {
    condition     = module.compute.worker_environment.EULEREYE_FORMATS == "all" && module.compute.worker_environment.EULEREYE_ALTO_PROFILE == "ndnp" && module.compute.worker_environment.EULEREYE_DPI == "300"
    error_message = "The formats, ALTO profile and DPI chosen must reach the worker's task definition."
  }
}

run "passes_the_deployer_settings_to_the_modules" {
  command = plan

  variables {
    segmenter                 = "classical"
    jobs                      = 1
    idle_seconds              = 300
    lang                      = "deu+script/Fraktur"
    az_count                  = 1
    vpc_cidr                  = "10.7.0.0/20"
    backlog_alarm_age_seconds = 172800
    container_insights        = false
  }

  assert {
    condition     = module.compute.worker_environment.EULEREYE_SEGMENTER == "classical" && module.compute.worker_environment.EULEREYE_JOBS == "1" && module.compute.worker_environment.EULEREYE_IDLE_SECONDS == "300" && module.compute.worker_environment.EULEREYE_LANG == "deu+script/Fraktur"
    error_message = "segmenter, jobs, idle_seconds and lang must reach the worker."
  }

  assert {
    condition     = module.compute.worker_environment.EULEREYE_IMAGE_TAG == "abc1234"
    error_message = "The worker must know its image tag (recorded in every manifest)."
  }

  assert {
    condition     = length(module.network.subnet_ids) == 1 && module.monitoring.alarm_names != null
    error_message = "az_count = 1 must give one subnet."
  }
}

run "refuses_a_language_the_image_lacks" {
  command = plan

  variables {
    lang = "eng+fra"
  }

  expect_failures = [var.lang]
}

run "refuses_an_unknown_segmenter_and_a_tiny_vpc" {
  command = plan

  variables {
    segmenter = "magic"
    vpc_cidr  = "10.0.0.0/28"
    az_count  = 0
  }

  expect_failures = [var.segmenter, var.vpc_cidr, var.az_count]
}
