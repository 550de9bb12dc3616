"""The Slack app (slack-bolt) and its HTTP route."""
