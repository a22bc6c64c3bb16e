"""The closed condition language: its tree of nodes and its table of operators."""
