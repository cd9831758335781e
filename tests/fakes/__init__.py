"""Fake messenger servers that speak the real HTTP APIs, for tests (DESIGN.md, "Testing")."""
