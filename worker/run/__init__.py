"""Running one claimed occurrence: render the skill, resolve recipients, run workflow actions,
deliver, enforce plan limits, tell owners about failures, and retention.
"""
