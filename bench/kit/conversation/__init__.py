"""The scripted conversation suite: every door (CLI, MCP, Slack, the engine itself) plays it."""
