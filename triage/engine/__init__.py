"""The pure engine: content + answers -> result.  No printing, prompting or files.

`answers` is the one validation of one answer; `closures` and `program` compile
the rules once per content; `criteria` says why a pattern fits; `validate` checks
a record and says which questions are asked; `evaluate` gives the result."""
