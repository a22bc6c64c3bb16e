"""Results out: one record assessed, the triage.result/1 contract (typed), its
writers (JSON, JSONL, CSV), the tally of a batch, and the batch over processes."""
