"""Text from outside (a candidate's name and address as the ATS holds them, a rendered subject)
never adds a header or a recipient to a mail: a name with line breaks is one line in To, a
subject is one line, and an address that is not one bare mailbox ("a@x.test, b@y.test") makes
the mail refuse to build (the delivery fails, not retried) instead of reaching two people."""

from __future__ import annotations

from email import message_from_string
from email.policy import default as default_policy
from email.utils import getaddresses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worker.delivery.base import Message, Recipient
from worker.delivery.email import build_email

ADDRESS = "candidate@example.com"
# names and subjects made of what an attacker would put in them: header-looking lines, line
# breaks of every kind, quotes, commas and angle brackets
PIECES = st.sampled_from(
    [
        "Eve",
        " ",
        "\r\n",
        "\n",
        "\r",
        "\u2028",
        "Bcc: boss@victim.test",
        '"',
        ",",
        "<x@evil.test>",
        ":",
    ]
)
TEXT = st.lists(PIECES | st.text(max_size=8), max_size=12).map("".join)


@settings(max_examples=60, deadline=None)
@given(name=TEXT, subject=TEXT)
def test_names_and_subjects_never_add_a_header_or_a_recipient(name: str, subject: str) -> None:
    built = build_email(
        Message(subject=subject, text="Hello"),
        Recipient(ADDRESS, name),
        message_id="<m1@skilltick.test>",
        mail_from="skilltick@example.com",
    )
    parsed = message_from_string(built.as_string(), policy=default_policy)
    assert [address for _, address in getaddresses(parsed.get_all("To", []))] == [ADDRESS]
    assert parsed.get_all("Bcc") is None and parsed.get_all("Cc") is None
    assert sorted(parsed.keys()) == sorted(built.keys())
    assert "\n" not in str(parsed["Subject"]) and "\r" not in str(parsed["Subject"])


@pytest.mark.parametrize(
    "address",
    [
        "eve@evil.test, boss@victim.test",
        "eve@evil.test\r\nBcc: boss@victim.test",
        "Eve <eve@evil.test>",
        "eve@evil.test;boss@victim.test",
    ],
)
def test_an_address_that_is_not_one_mailbox_is_refused(address: str) -> None:
    with pytest.raises(ValueError, match="is not one e-mail address"):
        build_email(
            Message(subject="Hi", text="Hello"),
            Recipient(address, "Eve"),
            message_id="<m1@skilltick.test>",
            mail_from="skilltick@example.com",
        )
