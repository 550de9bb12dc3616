"""The server-rendered dashboard.
"""
