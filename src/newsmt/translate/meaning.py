"""Omissions and additions: source content a translation drops, target content it invents.

Evidence, per sentence pair (``check``):

* names: every capitalized word of the source (not at a sentence start, not a stopword, not a
  short acronym, not in a quoted title; an acronym or a sentence's first word that the target pack
  lists, ``FBI`` = ``ФБР``, ``France``, is one, and so is a word the text around writes as a name,
  ``names_in``: ``Sainsbury's said``) that the translation has in no form: not carried over
  (compared without case and accents, by a 5-letter prefix: ``Eurasia`` = ``Eurásia``), not
  translated by the bilingual ``Lexicon`` (by a translation no other source word claims and no
  stopword: the shortlists pair ``Trump`` with ``presidente``, ``US`` with ``dos``), not in the
  back-translation, not transliterated across scripts (``names``: ``Navalny`` = ``Навального``), not
  the target pack's exonym (``China`` = ``Китай``, ``Korea`` = ``северокорейским``:
  ``names.Exonyms``); the scorer then drops a name whose translation alone the target has
  (``Germany`` -> ``Alemanha``). With no lexicon for the pair (no model either way), a word the
  source pack marks as translated (``Supreme``, ``Hurricane``) is judged only by the stems the
  target pack gives its translation (``[name_words]``: ``North`` = ``север``), and one standing alone
  that may be a word (made from a name, ``Swedish``, known to the vocabulary in lower case, with a
  common noun's ending, ``Sterling``) is ``doubtful``, as is a word of a longer name that ends so,
  made from no place or word the checker knows (``Zoran Zaev``; not ``Game of Thrones``), and, with a
  lexicon, one that it translates (``Hurricane Rosa``, ``Royal Navy``): the scorer calls it omitted where a
  model keeps it in the pack's ``name_frames`` (``Rosa said.``; not ``Allies`` -> ``aliados``, ``Game`` -> ``jogo``);
* repeated names: a name the source has several times, fewer times in both the translation and its
  back-translation (counted with other spellings: ``Gingrich ... against Gingrich`` with one of the
  two gone); evidence ``Gingrich (1 of 2)``;
* modifiers: a lower-case word opening a noun phrase before a capitalized word (after an article
  or a preposition: ``from jailed Russian opposition leader``) that the lexicon cannot check (not
  one vocabulary piece) and that neither the translation nor its back-translation has; the scorer
  then drops it if the target has its translation alone (measured: words the lexicon knows flag
  human references that paraphrase them, so they count for coverage only);
* coverage: the share of the source's content words found in the translation (a name, cognate or
  lexicon translation), or in the back-translation into the source language: a translation that
  keeps too little of it lost a clause (half a sentence cut), unless its back-translation reads as
  the source (``round_trip`` >= ``ROUND_TRIP_AGREES``: a free rendering, not a cut);
* additions: a capitalized word of the translation with no translation in the lexicon and nothing
  like it in the source (a name the model invented), or a number with no counterpart in the source.

The back-translation (the target translated back by the other direction's model, ``pt->en`` for an
``en->pt`` pair) makes the checks hold on human translations, which render names and words in
their own way (``Germany`` -> ``Alemanha`` back to ``Germany``). The words each language needs
(stopwords, determiners, titles, exonyms) come from its pack's ``names`` section. Thresholds were
set on the tuning part of ``scripts/eval_quality.py`` (docs/TRUST.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..languages import Language
from .guards import protected_spans, quantities
from .guards.packs import alternation
from .guards.units import unit_of
from .lexicon import Lexicon, fold
from .names import (Exonyms, TargetSound, count_spelt, in_pool, made_from, same_sound, same_start, spelt_alike, spelt_in, stands_alone,
                    target_sound, transliteration, word_keys)

OMISSION, ADDITION = "omission", "addition"
ROUND_TRIP_AGREES = 0.9  # a round trip this close to the source overrules low word coverage (a free rendering)
MIN_COVERAGE = 0.4  # below: a clause is missing (0.5 flagged 2.5% of the freer NTREX human references, 0.4 1.3%;
# half the sentence cut is still flagged in 99% of lines, by low_quality where not by this)
_WORD = re.compile(r"[A-Z](?:\.[A-Z])+(?![^\W\d_])|[^\W\d_]+(?:['’-][^\W\d_]+)*")  # "U.S" is one word
_POSSESSIVE = re.compile(r"['’]s?$")
_START = re.compile(r"(?:^|[.!?:;\"“”«(\[]\s*|(?:^|\s)['‘]|\s[-–—]\s|\n\s*)$")  # a sentence's or a quotation's start
_ABBREVIATION = re.compile(r"\.\s+[A-Z\d]")  # "Capt. Larry", "Sept. 12": a title or abbreviation, translated
_QUOTED = re.compile(r'"[^"]{3,120}"|“[^”]{3,120}”|«[^»]{3,120}»')
_ASIDE = re.compile(r"\([^()]*\)")
_PRONOUN = re.compile(r"^I['’]|n['’]t$|['’](?:re|ve|ll|d|m)$", re.IGNORECASE)  # "I'm", "Didn't": no names
@dataclass
class MeaningReport:
    """What one translation omits and adds, and how much of the source it covers."""

    omitted: list[str] = field(default_factory=list)
    fewer: list[str] = field(default_factory=list)  # repeated names found fewer times: "Gingrich (1 of 2)"
    doubtful: list[str] = field(default_factory=list)  # not found, a name or a word: a model tells
    added: list[str] = field(default_factory=list)
    coverage: float = 1.0
    content_words: int = 0
    round_trip: float | None = None  # the round trip's meaning factor (0-1), when there was one
    truncated: bool = False  # the translation reads as the source's first half only (the scorer's embeddings)

    def flags(self, min_coverage: float = MIN_COVERAGE) -> dict[str, list[str]]:
        """``{flag: evidence}`` for ``omission`` and ``addition``."""
        out: dict[str, list[str]] = {}
        low = self.content_words >= 6 and self.coverage < min_coverage and (self.round_trip or 0.0) < ROUND_TRIP_AGREES
        if self.omitted or self.fewer or low or self.truncated:
            out[OMISSION] = (list(self.omitted) + list(self.fewer) + (["second half"] if self.truncated else [])
                             or [f"coverage {self.coverage:.2f}"])
        if self.added:
            out[ADDITION] = list(self.added)
        return out


def _folded(words: str | list[str]) -> frozenset[str]:
    """A pack's word list (a list, or one string of words) as a set of folded words."""
    return frozenset(fold(w) for w in (words.split() if isinstance(words, str) else words))


def _words(text: str) -> list[str]:
    """The words of ``text`` outside protected spans, dotted acronyms without their dots; a
    hyphenated word also gives its parts (``Nord-Kivu`` carries ``Kivu``)."""
    for a, b in reversed(protected_spans(text)):
        text = text[:a] + " " + text[b:]
    words = [w.replace(".", "") for w in _WORD.findall(text)]
    return words + [p for w in words if "-" in w for p in w.split("-")]


def _title_case(text: str, least: int = 3) -> bool:
    """A headline in title case (``Killer Pig Mauls Farmer to Death``): every longer word (``least``
    of them or more, after the first) capitalized."""
    words = [w for w in _WORD.findall(text)[1:] if len(w) >= 4]
    return len(words) >= least and all(w[:1].isupper() for w in words)


def _bare(word: str) -> str:
    """A source word without its possessive and, for a dotted acronym, its dots (``U.S`` -> ``US``)."""
    return _POSSESSIVE.sub("", word).replace(".", "")


def _quoted_titles(text: str) -> list[tuple[int, int]]:
    """Spans of quoted titles: a quotation of three words or more, each longer one capitalized."""
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text) if _title_case(m.group()[1:-1], 2)]


class MeaningChecker:
    """Omission and addition checks for ``src`` -> ``tgt`` translations (see the module docstring)."""

    def __init__(self, src: Language, tgt: Language, lexicon: Lexicon | None = None,
                 vocabulary: Lexicon | None = None) -> None:
        """``lexicon``: the pair's word translations (both directions' models installed), else
        None; ``vocabulary``: any lexicon from the source language (which capitalized words are
        words other languages translate), by default ``lexicon``."""
        self.src, self.tgt = src, tgt
        self.lexicon, self.vocabulary = lexicon, vocabulary or lexicon
        names, tgt_names = src.section("names") or {}, tgt.section("names") or {}
        # names the target language does not transliterate (China -> Китай), and scripts to match across
        self._scripts = bool(transliteration(src)) or bool(transliteration(tgt))
        self._translated = _folded(names.get("translated", ""))  # name words a translator translates
        self._derived = tuple(names.get("derived", []))  # endings of words made from names ("Swedish")
        self._exonyms = Exonyms(tgt, self._derived)
        self._stop_src, self._stop_tgt = _folded(names.get("stopwords", "")), _folded(tgt_names.get("stopwords", ""))
        self._determiners, self._prepositions = _folded(names.get("determiners", [])), _folded(names.get("prepositions", []))
        self._links = _folded(names.get("name_links", []))  # inside a longer name: "Game of Thrones"
        self._gerund = names.get("gerund")
        self._titles = _folded(names.get("titles", []))
        self._before_names = _folded((src.section("segment") or {}).get("nonbreaking", []))  # "Mrs." "Sen."
        self._common = tuple(names.get("common_endings", []))  # endings of common nouns ("Judiciary")
        dates = src.section("dates") or {}
        self._date_names = _folded([w for group in (*dates.get("months", []), *dates.get("weekdays", [])) for w in group]
                                   + list(dates.get("abbreviations", {})))
        suffixes = dates.get("decades", {}).get("suffixes")  # a span of ten: "in his 20s", "1990-х"
        self._tens = re.compile(rf"(?<![\d.,])(\d*0)(?:{alternation(suffixes)})(?!\w)") if suffixes else None

    def names_in(self, sources: list[str]) -> frozenset[str]:
        """Folded words that ``sources`` write as names mid-sentence, never in lower case: names also
        where they start a sentence (``Sainsbury's said``; not ``Foster care`` beside ``foster``)."""
        named, lower = set(), set()
        for text in sources:
            headline = _title_case(text)  # capitals mark no names there
            for m in _WORD.finditer(text):
                word = _bare(m.group())
                if word.islower():
                    lower.add(fold(word))
                elif not headline and self._is_name(word, text, m.start()):
                    named.add(fold(word))
        return frozenset(named - lower)

    def check(self, source: str, target: str, back: str = "", known: frozenset[str] = frozenset()) -> MeaningReport:
        """The report for one pair; ``back`` is ``target`` translated back into ``src`` ("" if none);
        ``known``: names of the text around it (``names_in``)."""
        tgt_list, back_list = [fold(w) for w in _words(target)], [fold(w) for w in _words(back)]
        tgt_words, back_words = set(tgt_list), set(back_list)
        pool = tgt_words | back_words
        prefixes = {w[:5] for w in pool}
        report = MeaningReport()
        covered = total = 0
        sounds = self._sound_pool(target) if self._scripts else []
        spans = protected_spans(source)
        # numbers, dates and ordinals are checked by value ("Ninth Ward"), links and handles as spans
        skip = spans + [(q.start, q.end) for q in quantities(source, self.src, spans)]
        names: dict[str, list[str]] = {}
        headline = _title_case(source)  # capitals mark no names there
        titles = _quoted_titles(source)  # nor in a quoted title ("Great Deeds by Swedish Kings"): translated
        words = [(m, w, key) for m in _WORD.finditer(source) for w in [_bare(m.group())] for key in [fold(w)]
                 if self._judged(w, key) and not any(a <= m.start() < b for a, b in skip)]
        lexicon = {key: self.lexicon.translations(w) if self.lexicon else frozenset() for _, w, key in words}
        claims: dict[str, set[str]] = {}  # a target word -> the source words it may translate
        for key, found in lexicon.items():
            for t in found | {key}:
                claims.setdefault(t, set()).add(key)
        for m, word, key in words:
            total += 1
            name = ((not headline and self._source_name(word, key, source, m.start(), m.end()))
                    or (key in known and word[:1].isupper())) and not any(a <= m.start() < b for a, b in titles)
            # a name's lexicon translation counts only where no other word of the source claims it
            # (the shortlists pair "Canada" with "Estados", "Trump" with "presidente")
            translations = frozenset(t for t in lexicon[key] if claims[t] == {key} and t not in self._stop_tgt) \
                if name else lexicon[key]
            if name and not lexicon[key]:
                names.setdefault(key, []).append(word)
            if in_pool(key, pool, prefixes) or (name and self._count_across(word, key, sounds, tgt_list) > 0):
                covered += 1
                continue
            if any(in_pool(t, tgt_words, prefixes) for t in translations):
                covered += 1
            elif name and not spelt_alike(key, pool) and not source[m.start() - 1:m.start()].isdigit():
                alone = stands_alone(source, m.start(), m.end(), self._links)
                if self._checkable(word, key, alone):
                    report.omitted.append(word)
                elif (alone or self.lexicon or self._doubtful_ending(key)) and key not in self._translated:
                    report.doubtful.append(word)  # "Texas", "Hurricane Rosa", "Zoran Zaev", "Sterling"; "Allies", "Game of Thrones"
            elif self.lexicon and not headline and not translations and self._modifies_name(word, source, m.start(), m.end()) \
                    and not spelt_alike(key, pool):
                report.omitted.append(word)
        if not (self.lexicon or back):
            total = 0  # without a lexicon or a round trip, how much of the source is covered is unknown
        report.content_words, report.coverage = total, covered / total if total else 1.0
        omitted = {fold(w) for w in report.omitted}
        for key, seen in names.items():
            if len(seen) < 2 or key in omitted or not self._checkable(seen[0], key):
                continue
            found = max(count_spelt(key, tgt_list), count_spelt(key, back_list), self._count_across(seen[0], key, sounds, tgt_list))
            if found < len(seen):
                report.fewer.append(f"{seen[0]} ({found} of {len(seen)})")
        report.added = self._added(source, target, back_words)
        return report

    def _checkable(self, word: str, key: str, alone: bool = False) -> bool:
        """Whether a name not found can be called omitted: one the target pack lists (``China``, or
        the stems of a word of longer names, ``North`` = ``север``), with a lexicon one standing
        ``alone`` (``Bush``, ``the Commission said``). Otherwise never a word a translator translates:
        the source pack's (``Supreme``), a common noun's ending (``Judiciary``), in a longer name one
        the lexicon translates (``Royal Navy``). Without a lexicon: a CLDR name standing alone
        (``Paris``), not a word made from a name (``Swedish``) or the vocabulary's in lower case."""
        if key in self._exonyms.listed or key in self._exonyms.name_words or (self.lexicon and alone):
            return True
        if self._translates(key):
            return False
        if self.lexicon:
            return not (self.lexicon.known_source(word.lower()) and self.lexicon.translations(word))
        if alone and key in self._exonyms.whole:
            return True
        if key.endswith(self._derived):
            return False
        return not (self.vocabulary and self.vocabulary.known_source(word.lower()))

    def _doubtful_ending(self, key: str) -> bool:
        """Whether ``key`` ends like a word made from a name but comes from no place the pack knows and no vocabulary word (``Zoran``; not ``Thrones``)."""
        return key.endswith(self._derived) and not (self._exonyms.forms(key) or made_from(key, self._derived, self.vocabulary))

    def _translates(self, key: str) -> bool:
        """A word a translator translates: the source pack lists it, or it has a common noun's ending."""
        return key in self._translated or (len(key) >= 7 and key.endswith(self._common))

    def carried_over(self, word: str, translation: str) -> bool:
        """Whether a model's ``translation`` of ``word`` (alone or in a sentence, into a language of
        the same script) keeps it (``Texas``, ``Jones (em inglês)``): a name, not a word it translates (``Aliados``,
        ``Universo``)."""
        return fold(word) in map(fold, _WORD.findall(_ASIDE.sub("", translation)))

    def _sound_pool(self, target: str) -> list[TargetSound]:
        """``names.target_sound`` of the target's words in another script than Latin (not its stopwords in lower case)."""
        return [target_sound(w, self.tgt) for w in _words(target) if self._sounded(w)]

    def _sounded(self, word: str) -> bool:
        return not word.isascii() and len(word) >= 2 and not (word.islower() and fold(word) in self._stop_tgt)

    def _keys(self, word: str) -> frozenset[str]:
        """Sound keys of a source name, and of its stem when it is a word made from a name
        (``Swedish`` -> ``Swed``, matched with ``шведской``)."""
        stems = [word] + [word[:-len(d)] for d in self._derived if word.lower().endswith(d) and len(word) - len(d) >= 3]
        return frozenset(k for w in stems for k in word_keys(w, self.src))

    def _count_across(self, word: str, key: str, sounds: list[TargetSound], tgt_list: list[str]) -> int:
        """How many target words render ``word`` in another script (``Navalny`` in ``Навального``)
        or as an exonym (``Китая``; an acronym only as the pack lists it, never by sound)."""
        by_exonym = self._exonyms.count(key, tgt_list)
        if word.isupper() or not sounds:
            return by_exonym
        keys, short = self._keys(word), len(word) <= 7
        return max(by_exonym, sum(same_sound(keys, k, short and s, least) or spelt_in(key, latin) for k, s, least, latin in sounds))

    def located_names(self, source: str, target: str) -> list[tuple[int, int]]:
        """Spans of the target words that render a name of the source (carried over, transliterated,
        an exonym), one per name found, in source order (what an evaluation deletes)."""
        if _title_case(source):
            return []
        spans = protected_spans(source)
        skip = spans + [(q.start, q.end) for q in quantities(source, self.src, spans)] + _quoted_titles(source)
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(target)]
        out: list[tuple[int, int]] = []
        for m in _WORD.finditer(source):
            word = _bare(m.group())
            key = fold(word)
            if not self._judged(word, key) or any(a <= m.start() < b for a, b in skip) \
                    or not self._source_name(word, key, source, m.start(), m.end()) \
                    or not self._checkable(word, key, stands_alone(source, m.start(), m.end(), self._links)):
                continue
            for a, b, w in words:
                folded = fold(_POSSESSIVE.sub("", w))
                sound = [target_sound(w, self.tgt)] if self._scripts and self._sounded(w) else []
                if (a, b) not in out and (folded == key or same_start(key, folded)
                                          or (sound and self._count_across(word, key, sound, [folded]))):
                    out.append((a, b))
                    break
        return out

    def _modifies_name(self, word: str, text: str, start: int, end: int) -> bool:
        """Whether ``word`` (lower case) opens a noun phrase before a capitalized word, mid-sentence:
        right after a function word (an article, a preposition) and right before the name or its
        title (``from jailed Russian opposition leader``), an attributive modifier of the name."""
        before = re.search(r"([^\W\d_]+)[ \t\n]+$", text[max(0, start - 30):start])
        after = re.match(r"[ \t\n]+([^\W\d_]+)", text[end:])
        if not (word.isalpha() and word.islower() and len(word) >= 4 and before and after and after.group(1)[:1].isupper()):
            return False
        opener = fold(before.group(1))
        return opener in self._determiners or (opener in self._prepositions and not (self._gerund and word.endswith(self._gerund)))

    def _is_name(self, word: str, text: str, start: int) -> bool:
        """A proper name a translation carries over: capitalized, not at a sentence start, not a
        short acronym (``UN``, ``ISIS``, ``MPs`` are translated; ``ZMapp`` is a name), not a short
        abbreviation (``Capt.``), not ``I'm`` or ``Didn't``, not a word in capitals (``COUNTING``),
        not a month or weekday (``Oct``)."""
        if not word[:1].isupper() or (_START.search(text[max(0, start - 4):start]) and not self._after_title(text, start)) \
                or "-" in word or _PRONOUN.search(word) or (word.isupper() and len(word) > 5) or fold(word) in self._date_names:
            return False  # a word in capitals is shouted; months and weekdays are checked by value
        if len(word) <= 5 and (_ABBREVIATION.match(text, start + len(word)) or word.lower() in self._titles):
            return False
        # a short acronym: two capitals in five letters or fewer, never two lower-case letters in a row
        acronym = len(word) <= 5 and sum(c.isupper() for c in word) >= 2 \
            and not any(a.islower() and b.islower() for a, b in zip(word, word[1:]))
        return len(word) > 2 and not acronym

    def _judged(self, word: str, key: str) -> bool:
        """A source word looked for: three letters or more and no stopword, or an acronym listed (``UN``)."""
        return (len(word) >= 3 and key not in self._stop_src) or self._listed_acronym(word, key)

    def _listed_acronym(self, word: str, key: str) -> bool:
        return word.isupper() and key in self._exonyms.listed

    def _source_name(self, word: str, key: str, text: str, start: int, end: int) -> bool:
        """``_is_name``, an acronym the target pack lists (``FBI`` = ``ФБР``, ``U.S`` = ``EUA``), and a
        sentence's first word whose target form the pack has (an exonym: ``France``, standing alone)."""
        if self._is_name(word, text, start) or self._listed_acronym(word, key):
            return True
        return word.isalpha() and word[:1].isupper() and word[1:].islower() and key not in self._stop_src \
            and (key in self._exonyms.listed or (key in self._exonyms.whole and stands_alone(text, start, end, self._links)))

    def _after_title(self, text: str, start: int) -> bool:
        """Whether the word at ``start`` follows a title and its period (``Mrs. Kirchner``)."""
        before = re.search(r"([^\W\d_]+)\.\s+$", text[max(0, start - 12):start])
        return before is not None and fold(before.group(1)) in self._before_names

    def _added(self, source: str, target: str, back_words: set[str]) -> list[str]:
        """Names of the target that nothing in the source or the lexicon explains (and that its
        back-translation, folded ``back_words``, carries over), and numbers of the target (without a
        unit: a converted amount has one) with no counterpart in the source."""
        src_pool = {fold(w) for w in _words(source)}
        prefixes = {w[:5] for w in src_pool}
        added = []
        for m in _WORD.finditer(target):
            word = _POSSESSIVE.sub("", m.group())
            key = fold(word)
            if key in self._stop_tgt or len(key) < 5 or not self._is_name(word, target, m.start()) or "-" in word:
                continue
            if not in_pool(key, src_pool, prefixes) and not self._translatable_back(word) and not spelt_alike(key, src_pool) \
                    and key in back_words and not self._lexicon_word(word):
                added.append(word)
        src_values = {v for q in quantities(source, self.src, protected_spans(source), target=True) for v in q.values}
        # a span of ten written as its two ends ("in his 20s" -> "от 20 до 30 лет")
        src_values |= {str(int(m.group(1)) + k) for m in (self._tens.finditer(source) if self._tens else ()) for k in (9, 10)}
        for q in quantities(target, self.tgt, protected_spans(target), self.src):
            if q.kind == "number" and not q.values & src_values and q.token not in source and not unit_of(target, q.start, q.end, self.tgt):
                added.append(q.token)
        return added

    def rendered(self, target: str, translation: str) -> bool:
        """Whether ``target`` has a content word of ``translation`` (a source word translated alone
        by the model, in its own spelling and endings: ``escola`` is not ``Escócia``): a word of the
        language written with a capital (``Ward`` -> ``Ala``, ``Eskimo`` -> ``Esquimó``) that the
        translation did translate, not a name it dropped."""
        pool = {fold(w) for w in _words(target)}
        prefixes = {w[:5] for w in pool}
        translation = _ASIDE.sub("", translation)  # "Cromwell (em inglês)": the model's aside, not the word
        return any(in_pool(k, pool, prefixes) for w in _WORD.findall(translation)
                   for k in [fold(w)] if len(k) >= 3 and k not in self._stop_tgt)

    def explained(self, source: str, words: list[str], translations: list[str]) -> set[str]:
        """Those of ``words`` (names of the target) whose translation alone into the source language
        is a word of ``source`` (``Platô`` -> ``Plateau``): a translation, not an addition."""
        pool = {fold(w) for w in _words(source)}
        prefixes = {w[:5] for w in pool}
        return {w for w, t in zip(words, translations) if any(in_pool(fold(x), pool, prefixes) for x in _WORD.findall(t))}

    def _lexicon_word(self, word: str) -> bool:
        """Whether ``word`` is a vocabulary word of the target language (a common noun written with
        a capital, not an invented name): the lexicon knows it as one piece."""
        return bool(self.lexicon and self.lexicon.known_target(word))

    def _translatable_back(self, word: str) -> bool:
        return bool(self.lexicon and self.lexicon.reverse(word))
