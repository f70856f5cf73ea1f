# Variables of the reliability work (issue 11): alarm delivery, page deadlines, Textract rate.

variable "alarm_subscription_waiver" {
  description = "Why no one is subscribed to the alarm topic here (e.g. \"the on-call tool subscribes it\"). Required when alarm_email is not set."
  type        = string
  default     = null
}

variable "failed_pages_per_hour" {
  description = "Alarm when more pages than this fail for good within an hour."
  type        = number
  default     = 10
}

variable "page_timeout_seconds" {
  description = "Seconds one page may take before a worker stops it (recorded under errors/ on its last delivery)."
  type        = number
  default     = 900
}

variable "textract_tps" {
  description = "Textract calls per second for the whole fleet (the account's DetectDocumentText quota in the region, or less). Used with engine = textract."
  type        = number
  default     = 1
}
