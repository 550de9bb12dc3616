"""LLM and hybrid skills through Claude: the runner and the read-only ATS tools."""
