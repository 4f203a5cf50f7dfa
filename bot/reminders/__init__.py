"""Reminders before the event: the schedule and the service that queues them."""
