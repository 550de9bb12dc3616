"""Instants as a dashboard viewer reads them: in their own time zone (the one their requests are
read in), with the day said in words when it is near ("today 09:00 PST · in 2 h"), inside a
<time> element whose `datetime` attribute keeps the exact instant in UTC for programs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

# how far from now an instant still reads better as "in 3 h" than as a clock time alone
RELATIVE_SPAN = timedelta(hours=12)
# names written out rather than strftime'd: a list page formats a hundred instants, and strftime
# costs several times more (the names are English whatever the server's locale)
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
        return ZoneInfo("UTC")


def _aware(instant: datetime) -> datetime:
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def day_words(local: datetime, today: datetime) -> str:
    """ "today", "tomorrow", "yesterday", else "Mon 7 Dec" (with the year when it is not this
    one's); both in the viewer's zone."""
    days = (local.date() - today.date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    shown = f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]}"
    return shown if local.year == today.year else f"{shown} {local.year}"


def distance_words(instant: datetime, now: datetime) -> str:
    """ "in 2 h 5 min", "40 min ago", "now", "just now": how far an instant is from now, to the minute."""
    minutes = round((instant - now).total_seconds() / 60)
    if minutes == 0:
        return "now" if instant >= now else "just now"
    hours, rest = divmod(abs(minutes), 60)
    if hours >= 3:  # "in 5 h": minutes that far away are noise
        rest = 0
    amount = " ".join(
        part for part in (f"{hours} h" if hours else "", f"{rest} min" if rest else "") if part
    )
    return f"in {amount}" if minutes > 0 else f"{amount} ago"


def _clock(local: datetime) -> str:
    """ "09:00 PST" """
    return f"{local.hour:02d}:{local.minute:02d} {local.tzname()}"


def local_words(instant: datetime, zone: str | None, now: datetime) -> str:
    """The instant in words in `zone`: "today 09:00 PST · in 2 h", "Mon 7 Dec 09:00 PST"."""
    tz = _zone(zone)
    local = _aware(instant).astimezone(tz)
    text = f"{day_words(local, _aware(now).astimezone(tz))} {_clock(local)}"
    if abs(_aware(instant) - _aware(now)) <= RELATIVE_SPAN:
        text += f" · {distance_words(_aware(instant), _aware(now))}"
    return text


def time_element(instant: datetime | None, zone: str | None, now: datetime, empty: str) -> Markup:
    """A <time> holding the instant in words, its exact UTC value in `datetime` and, as its
    title, the full date in the viewer's zone; `empty` when there is no instant."""
    if instant is None:
        return Markup(escape(empty))
    exact = _aware(instant).astimezone(UTC)
    local = exact.astimezone(_zone(zone))
    iso = (
        f"{exact.year:04d}-{exact.month:02d}-{exact.day:02d}"
        f"T{exact.hour:02d}:{exact.minute:02d}:{exact.second:02d}Z"
    )
    title = escape(
        f"{DAYS[local.weekday()]} {local.day:02d} {MONTHS[local.month - 1]} {local.year} "
        f"{_clock(local)} ({zone or 'UTC'})"
    )
    words = escape(local_words(exact, zone, now))
    # an f-string of escaped parts: Markup.format costs several times more, on every row
    return Markup(f'<time datetime="{iso}" title="{title}">{words}</time>')
