"""News-text guards shared by every backend: pure string functions the engine applies per sentence.

- ``typography``: what the model reads (``normalize_source``: straight quotes and apostrophes,
  plain spaces, no zero-width characters, ASCII dashes, one line) and the target language's own
  quotation marks, apostrophes and dashes (``restore_typography``); pair balancing for double
  quotes and brackets (``pair_items``, ``locate``, ``insert_pairs``).
- ``spans``: protected spans (URLs, e-mails, @handles, #hashtags, HTML tags), Markdown links and code:
  extraction, whole-token verification and repair of the model's broken form of each item
  (``repair_protected``, ``strip_stray_marks``, ``detach_links``).
- ``emphasis``: Markdown emphasis taken round the model and placed on the words of the translation.
- ``numbers`` (with ``clock``, ``dates``, ``numwords``, ``units``, ``quantity``): numbers, clock
  times (12/24 h), months, weekdays, decades, ordinals, units and currencies by value in either
  language's convention (``quantities``, ``repair_numbers``, ``preserved``); wrong forms repaired;
  ``signs``: a minus sign lost or added (``repair_signs``).
- ``spelling``: words with letters the model cannot read, spelt plainly for it and written back.
- ``checks``: the flag names and the cheap flags (``is_repetitive``, ``wrong_script``,
  ``is_copy``, ``length_ratio_ok``).

``from newsmt.translate import guards as g`` gives every public name below.
"""
from __future__ import annotations

from .checks import (
    ADDITION,
    ALL_OF_IT,
    LENGTH_RATIO,
    LOW_QUALITY,
    NUMBER_MISMATCH,
    OMISSION,
    QUOTE_MISMATCH,
    REPAIRED,
    REPETITION,
    SPLIT,
    SYMBOL_LOST,
    URL_LOST,
    VARIANT,
    WRONG_LANGUAGE,
    is_copy,
    is_repetitive,
    length_ratio_ok,
    says_nothing,
    wrong_script,
)
from .numbers import (
    format_number,
    number_format,
    parse_number,
    preserved,
    quantities,
    repair_numbers,
)
from .emphasis import Emphasis, detach_emphasis, place_emphasis
from .quantity import Quantity
from .spans import (
    attach_code,
    attach_links,
    code_spans,
    detach_code,
    detach_links,
    fence_code,
    occurrences,
    protected_spans,
    repair_protected,
    strip_stray_marks,
    unfence_code,
)
from .packs import checks_off
from .signs import repair_signs
from .spelling import foreign_letters, restore_spelling, stand_ins
from .places import capitalize_places
from .symbols import Mark, final_marks, lift_symbols, lost_symbols, overlong, place_symbols, strip_dangling, unfinished
from .variants import repair_variant, variant_forms
from .typography import (
    PairItem,
    insert_pairs,
    locate,
    normalize_source,
    pair_items,
    quotes,
    restore_typography,
    source_dash,
    source_pairs,
    straighten_quotes,
)

__all__ = [
    "ADDITION", "ALL_OF_IT", "Emphasis", "LENGTH_RATIO", "LOW_QUALITY", "Mark", "NUMBER_MISMATCH", "OMISSION",
    "PairItem", "QUOTE_MISMATCH", "Quantity", "REPAIRED", "REPETITION", "SPLIT", "SYMBOL_LOST", "URL_LOST",
    "VARIANT", "WRONG_LANGUAGE", "attach_code", "attach_links", "capitalize_places", "checks_off", "code_spans",
    "detach_code", "detach_emphasis", "detach_links", "fence_code", "final_marks", "foreign_letters",
    "format_number", "insert_pairs", "is_copy", "is_repetitive", "length_ratio_ok", "lift_symbols", "locate",
    "lost_symbols", "normalize_source", "number_format", "occurrences", "overlong", "pair_items", "parse_number",
    "place_emphasis", "place_symbols", "preserved", "protected_spans", "quantities", "quotes", "repair_numbers",
    "repair_protected", "repair_signs", "repair_variant", "restore_spelling", "restore_typography", "says_nothing",
    "source_dash", "source_pairs", "stand_ins", "straighten_quotes", "strip_dangling", "strip_stray_marks",
    "unfence_code", "unfinished", "variant_forms", "wrong_script",
]
