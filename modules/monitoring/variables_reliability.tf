variable "alarm_subscription_waiver" {
  description = "Why no one is subscribed to the alarm topic by this module (e.g. \"on-call tool subscribes the topic\"). Required when alarm_email is null: alarms nobody receives are no alarms."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email != null || try(length(trimspace(var.alarm_subscription_waiver)) > 0, false)
    error_message = "Alarms need a subscriber: set alarm_email, or alarm_subscription_waiver to the reason nobody is subscribed here."
  }
}

variable "upload_rule_name" {
  description = "Name of the EventBridge rule that routes uploads (its failed deliveries are alarmed)."
  type        = string
}

variable "undelivered_events_queue_name" {
  description = "Name of the queue keeping upload events EventBridge could not deliver; any message in it raises an alarm."
  type        = string
}

variable "failed_pages_per_hour" {
  description = "Alarm when more pages than this fail for good (errors/ records) within an hour."
  type        = number
  default     = 10

  validation {
    condition     = var.failed_pages_per_hour >= 0 && floor(var.failed_pages_per_hour) == var.failed_pages_per_hour
    error_message = "failed_pages_per_hour must be a whole number, 0 or more."
  }
}
