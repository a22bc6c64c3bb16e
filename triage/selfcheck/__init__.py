"""The interactive self-check: the flow as a pure loop with the prompt passed in
(`flow`), and how a typed answer is read (`typed`)."""
