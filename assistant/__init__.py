"""Everything people and other programs talk to: the tool set (assistant.tools, with
permissions and scope) and its adapters: the command line, Slack, MCP, the REST API and the
dashboard. Import what you need from its module; this front file loads nothing."""
