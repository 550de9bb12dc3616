"""The one tool set behind every interface (CLI, Slack, MCP, REST, dashboard, Claude), with
permissions and organisation scope, and the typed views it returns.
"""
