"""The DB tick: claim what is due under leases, plan occurrences (missed-run and overlap
policies), execute, record, reschedule; the per-minute loop and the worker factory.
"""
