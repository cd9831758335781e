"""Fault tests: the service under malformed input, crashes and outages."""
