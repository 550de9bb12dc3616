"""What the tests and the benchmarks share, and nothing the product runs on: local peers that
speak the wire formats of outside services (Slack, Anthropic, a throwaway PostgreSQL server),
data factories built on the store API, the scripted conversations and the generated
plain-words corpus with its ground truth.

The rule: the tests may import this kit and nothing else of bench; bench never imports the
tests; the product (models, skills, worker, assistant) imports neither (tests/test_layering.py
holds it)."""
