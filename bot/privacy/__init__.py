"""Personal data: handed over, erased, and deleted after the retention period."""
