# eulereye platform: uploads under input/ -> EventBridge -> SQS work queue and scaler Lambda
# -> Fargate workers that write results under output/. Each concern is one module.

data "aws_caller_identity" "current" {}

locals {
  bucket_name     = coalesce(var.bucket_name, "${var.name_prefix}-pages-${data.aws_caller_identity.current.account_id}")
  lambda_zip_path = coalesce(var.lambda_zip_path, "${path.root}/../build/scaler.zip")
  # The one list of page endings the worker takes: the upload rule routes exactly these.
  page_suffix_file = jsondecode(file("${path.module}/../eulereye/page_suffixes.json"))
  page_suffixes    = sort(concat(keys(local.page_suffix_file.supported), local.page_suffix_file.unsupported))
  # Models in the worker image (first word of each line): what `lang` may name.
  image_languages = [for line in split("\n", file("${path.module}/../image/tesseract-languages.txt")) :
  split(" ", trimspace(line))[0] if trimspace(line) != "" && !startswith(trimspace(line), "#")]
}

module "storage" {
  source      = "../modules/storage"
  bucket_name = local.bucket_name
  kms_key_arn = var.kms_key_arn
  # moto speaks plain HTTP and applies the Deny without its TLS condition: off there only.
  tls_only_policy = !local.local_emulation
}

module "queue" {
  source                     = "../modules/queue"
  name                       = "${var.name_prefix}-pages"
  visibility_timeout_seconds = var.visibility_timeout_seconds
  max_receive_count          = var.max_receive_count
  kms_key_arn                = var.kms_key_arn
  sender_rule_arns           = [module.trigger.page_uploaded_rule_arn]
}

module "registry" {
  source      = "../modules/registry"
  name        = var.name_prefix
  keep_images = var.keep_images
  kms_key_arn = var.kms_key_arn
}

module "network" {
  source                      = "../modules/network"
  name                        = var.name_prefix
  vpc_id                      = var.vpc_id
  subnet_ids                  = var.subnet_ids
  textract_endpoint           = var.engine == "textract"
  kms_key_arn                 = var.kms_key_arn
  vpc_cidr                    = var.vpc_cidr
  az_count                    = var.az_count
  egress_cidr_blocks          = var.egress_cidr_blocks
  interface_endpoint_services = var.interface_endpoint_services
  flow_log_retention_days     = var.flow_log_retention_days
}

module "compute" {
  source                     = "../modules/compute"
  name                       = var.name_prefix
  image                      = "${module.registry.repository_url}:${var.image_tag}"
  ecr_repository_arn         = module.registry.repository_arn
  task_cpu                   = var.task_cpu
  task_memory                = var.task_memory
  engine                     = var.engine
  lang                       = var.lang
  output_formats             = var.output_formats
  alto_profile               = var.alto_profile
  dpi                        = var.dpi
  segmenter                  = var.segmenter
  jobs                       = var.jobs
  idle_seconds               = var.idle_seconds
  container_insights         = var.container_insights
  bucket_name                = module.storage.bucket_name
  bucket_arn                 = module.storage.bucket_arn
  input_prefix               = module.storage.input_prefix
  output_prefix              = module.storage.output_prefix
  queue_url                  = module.queue.queue_url
  queue_arn                  = module.queue.queue_arn
  visibility_timeout_seconds = module.queue.visibility_timeout_seconds
  kms_key_arn                = var.kms_key_arn
  log_retention_days         = var.log_retention_days
  use_spot                   = var.use_spot
  page_timeout_seconds       = var.page_timeout_seconds
  textract_tps               = var.textract_tps
}

module "trigger" {
  source                     = "../modules/trigger"
  name                       = var.name_prefix
  lambda_zip_path            = local.lambda_zip_path
  bucket_name                = module.storage.bucket_name
  input_prefix               = module.storage.input_prefix
  image_suffixes             = local.page_suffixes
  queue_url                  = module.queue.queue_url
  queue_arn                  = module.queue.queue_arn
  cluster_arn                = module.compute.cluster_arn
  cluster_name               = module.compute.cluster_name
  task_definition_arn        = module.compute.task_definition_arn
  task_definition_family_arn = module.compute.task_definition_family_arn
  task_role_arns             = [module.compute.task_role_arn, module.compute.execution_role_arn]
  container_name             = module.compute.container_name
  subnet_ids                 = module.network.subnet_ids
  security_group_ids         = [module.network.task_security_group_id]
  assign_public_ip           = var.assign_public_ip
  max_tasks                  = var.max_tasks
  pages_per_task             = var.pages_per_task
  capacity_provider          = module.compute.capacity_provider
  kms_key_arn                = var.kms_key_arn
  log_retention_days         = var.log_retention_days
  # moto cannot invoke Lambda from EventBridge (and then drops the event for later rules);
  # locally a runner calls the scaler instead.
  eventbridge_invokes_scaler = !local.local_emulation
}

module "monitoring" {
  source                    = "../modules/monitoring"
  name                      = var.name_prefix
  queue_name                = module.queue.queue_name
  dead_letter_queue_name    = module.queue.dead_letter_queue_name
  scaler_failure_queue_name = module.trigger.failure_queue_name
  cluster_name              = module.compute.cluster_name
  cluster_arn               = module.compute.cluster_arn
  scaler_function_name      = module.trigger.function_name
  alarm_email               = var.alarm_email
  kms_key_arn               = var.kms_key_arn
  # reliability.tf of the module
  alarm_subscription_waiver     = var.alarm_subscription_waiver
  upload_rule_name              = module.trigger.page_uploaded_rule_name
  undelivered_events_queue_name = module.trigger.undelivered_events_queue_name
  worker_log_group_name         = module.compute.log_group_name
  failed_pages_per_hour         = var.failed_pages_per_hour
  # Batch progress (operations.tf of the module): failure rate and backlog thresholds.
  oldest_message_age_threshold_seconds = var.backlog_alarm_age_seconds
  failure_rate_alarm_percent           = var.failure_rate_alarm_percent
}
