"""One conversation engine for every door: read a message in the context of a conversation,
decide what it asks, act through the tool set, answer with a typed Reply."""

from assistant.conversation.engine import ConversationEngine
from assistant.conversation.reply import Choice, Reply
from assistant.conversation.turn import Turn

__all__ = ["Choice", "ConversationEngine", "Reply", "Turn"]
