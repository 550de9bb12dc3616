"""The MCP server (official `mcp` SDK) over stdio and streamable HTTP."""
