"""Answers files in, records out: YAML, JSON, JSONL and CSV, from files or standard input."""
