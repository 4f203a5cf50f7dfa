"""What is not a feature: configuration, clock, context, the service container, update
processing, sending limits, flood control, error reports, texts and time formatting."""
