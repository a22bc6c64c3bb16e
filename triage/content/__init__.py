"""Content files in, `Content` out: `questions.yaml` and `rules.yaml` read once,
normalised into frozen records and cross-checked, every problem located as
`file:line:col`."""
