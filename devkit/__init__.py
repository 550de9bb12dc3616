"""What the tests and the benchmarks share, and nothing the product runs on: local peers that
speak the wire formats of outside services (Slack, Anthropic, a throwaway PostgreSQL server),
data factories built on the store API, the scripted conversations and the generated
plain-words corpus with its ground truth.

The rule: the product (models, skills, worker, assistant) never imports devkit; devkit imports
the product but never tests or bench; tests and bench both import devkit and never each other
(tests/test_layering.py holds it)."""
