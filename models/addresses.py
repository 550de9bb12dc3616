"""E-mail addresses as skilltick accepts them, wherever one is given: a user's, a recipient's,
a workflow's `send_email` target. One bare mailbox (local@domain.tld): no display name, no
list, no whitespace or control character. An address that passes here is safe in a mail header
and in a one-line message; one that does not is refused where it is given, never at run time.
"""

from __future__ import annotations

import re
import unicodedata

#: RFC 5321's limit on a forward path
EMAIL_MAX = 320

# a dot-separated domain with at least two labels; the local part without the characters that
# would make it a display name, a list, a route or a quoted string
_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"\\]+@[^@\s<>()\[\],;:\"\\.]+(?:\.[^@\s<>()\[\],;:\"\\.]+)+")


def is_email_address(value: str) -> bool:
    """Whether `value` is one bare e-mail address."""
    if not value or len(value) > EMAIL_MAX or not _EMAIL.fullmatch(value):
        return False
    return not any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in value)


def shown(value: str, limit: int = 80) -> str:
    """`value` as a refusal quotes it: on one line (a control character is written as its
    code, e.g. \\u000a), at most `limit` characters, so the message stays one line however
    the value was made."""
    parts = []
    for char in value[:limit]:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            parts.append(f"\\u{ord(char):04x}")
        else:
            parts.append(char)
    return "".join(parts) + ("…" if len(value) > limit else "")
