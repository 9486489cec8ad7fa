"""The unit every meaning check works on: a fact of a text (number, clock time, decade, ordinal,
month, weekday) with every value it may be read as, so that two texts can be matched by value."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

NUMBER, TIME, DECADE, ORDINAL, MONTH, WEEKDAY = "number", "time", "decade", "ordinal", "month", "weekday"


@dataclass(frozen=True)
class Quantity:
    """A number or other fact of a text: its token, canonical value and every reading it may have.

    Readings of facts other than plain numbers carry a prefix (``t:1336`` a minute of the day,
    ``d:2010`` a decade, ``o:3`` an ordinal, ``m:1`` a month, ``w:2`` a weekday, ``h:7`` an hour: a
    source's number up to 12, a translation's hour with its day period), so a fact only matches a fact
    of the same kind; a Portuguese ``11 horas`` reads both ``t:660`` and ``11``.
    """

    start: int
    end: int
    token: str
    value: str  # canonical number, or the literal token when it reads as no number (dates, versions)
    values: frozenset[str]  # value, scaled value ("2.8 bn"), clock time "t:<minutes>", literal, ...
    grouped: bool = False  # the source wrote thousands separators
    kind: str = NUMBER
    style: str = ""  # how a clock time is written (``clock.Clock.style``); "" otherwise
    scaled: bool = False  # a scale word follows ("8 million", "8m"): another scaled number matches by amount only

    def minutes(self) -> list[int]:
        """The minutes of the day a clock time may mean."""
        return sorted(int(v[2:]) for v in self.values if v.startswith("t:"))


def canonical(d: Decimal) -> str:
    """A number as the checks compare it: plain digits, no trailing zeros (``1500000``, ``2.5``)."""
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
