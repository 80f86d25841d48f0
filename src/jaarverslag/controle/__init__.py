"""Checks: the Great Expectations suites made from the schema, and cross-table rules."""
