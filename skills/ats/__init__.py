"""The ATS as skills see it: the AtsReader protocol and its dataclasses, the demo ATS over the
product's own tables, and the reproducible demo seed.
"""
