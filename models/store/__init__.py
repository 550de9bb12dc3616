"""The store API: one module per aggregate. The worker and the assistant call these; only
this package opens sessions and knows dialect details (SKIP LOCKED vs SQLite).
"""
