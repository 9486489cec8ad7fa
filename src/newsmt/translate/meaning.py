"""Omissions and additions: source content a translation drops, target content it invents.

Evidence, per sentence pair (``check``):

* names: every name of the source (``source_names``: a capitalized word not at a sentence start,
  ``FBI`` = ``ФБР``, ``France``, ``North Korea says``; also a word the text around writes as a name,
  ``NameReader.names_in``: ``Sainsbury's said``) that the translation has in no form: not carried over
  (compared without case and accents, by a 5-letter prefix: ``Eurasia`` = ``Eurásia``), not
  translated by the bilingual ``Lexicon`` (by a translation no other source word claims and no
  stopword: the shortlists pair ``Trump`` with ``presidente``, ``US`` with ``dos``), not in the
  back-translation (nor a word made from it there that the source does not have: ``Iran`` ->
  ``iraniana`` -> ``Iranian``), not transliterated across scripts (``names``: ``Navalny`` =
  ``Навального``), not the target pack's exonym (``China`` = ``Китай``, ``Korea`` = ``северокорейским``:
  ``names.Exonyms``); the scorer then drops a name whose translation alone the target has
  (``Germany`` -> ``Alemanha``). With no lexicon for the pair (no model either way), a word the
  source pack marks as translated (``Supreme``, ``Hurricane``) is judged only by the stems the
  target pack gives its translation (``[name_words]``: ``North`` = ``север``), and one standing alone
  that may be a word (made from a name, ``Swedish``, known to the vocabulary in lower case, with a
  common noun's ending, ``Sterling``) is ``doubtful``, as is a word of a longer name that ends so,
  made from no place or word the checker knows (``Zoran Zaev``; not ``Game of Thrones``), as is,
  without a lexicon, any other name the target pack gives no form of (``Embassy``, ``Pruitt``; asked
  of the model into the vocabulary's language, en->pt for en->ru, where a name may come back in that
  language's spelling, ``Tibete``), and, with a lexicon, one that it translates (``Hurricane Rosa``,
  ``Royal Navy``): the scorer calls it omitted where a model keeps it in the pack's ``name_frames``
  (``Rosa said.``; not ``Allies`` -> ``aliados``, ``Game`` -> ``jogo``);
  the first word of a longer name that is no name alone to the checker (a sentence's first, a
  word the vocabulary knows) is asked together with the name after it (``Jim Furyk said.``, ``Kit
  Harington``; not ``Undefeated Leeds``); each capitalized part of a hyphenated name is a name,
  found where the whole is (``KwaZulu-Natal``; ``Euro-Asia`` = ``Eurásia``). Only where the target
  writes names in the source's script or a pack's table reads one in the other (en->ru): en->kk,
  en->el or en->ja say nothing of names;
* repeated names: a name the source has several times, fewer times in both the translation and its
  back-translation (counted with other spellings: ``Gingrich ... against Gingrich`` with one of the
  two gone); evidence ``Gingrich (1 of 2)``;
* modifiers: a lower-case word opening a noun phrase before a capitalized word (after an article
  or a preposition: ``from jailed Russian opposition leader``) that the lexicon cannot check (not
  one vocabulary piece) and that neither the translation nor its back-translation has, nor a word
  beside the name that translates no source word (``a deflated Woods`` -> ``um desanimado Woods``);
  the scorer then drops it if the target has its translation alone (measured: words the lexicon
  knows flag human references that paraphrase them, so they count for coverage only);
* coverage: the share of the source's content words found in the translation (a name, cognate or
  lexicon translation), or in the back-translation into the source language: a translation that
  keeps too little of it lost a clause (half a sentence cut), unless its back-translation reads as
  the source (``round_trip`` >= ``ROUND_TRIP_AGREES``) or it is not shorter than expected
  (``SHORTER``): a free rendering, not a cut;
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
from itertools import accumulate, takewhile

from ..languages import Language
from .guards import ADDITION, OMISSION, protected_spans, quantities
from .guards.packs import alternation
from .guards.units import unit_of
from .letters import fold
from .lexicon import Lexicon
from .names import AcrossScripts, Exonyms, TargetSound, count_spelt, in_pool, made_from, same_start, spelt_alike, stands_alone
from .source_names import POSSESSIVE, WORD, NameReader, bare, folded, quoted_titles, source_words, title_case

ROUND_TRIP_AGREES = 0.9  # a round trip this close to the source overrules low word coverage (a free rendering)
MIN_COVERAGE = 0.4  # below: a clause is missing (0.5 flagged 2.5% of the freer NTREX human references, 0.4 1.3%;
# half the sentence cut is still flagged in 99% of lines, by low_quality where not by this)
SHORTER = -1.0  # ... where the translation is this many standard deviations shorter than expected, or more:
# a free rendering keeps its length (measured on the tuning part of scripts/eval_quality.py: docs/TRUST.md)
_ASIDE = re.compile(r"\([^()]*\)")
@dataclass
class MeaningReport:
    """What one translation omits and adds, and how much of the source it covers."""

    omitted: list[str] = field(default_factory=list)
    fewer: list[str] = field(default_factory=list)  # repeated names found fewer times: "Gingrich (1 of 2)"
    doubtful: list[tuple[str, str]] = field(default_factory=list)  # not found, a name or a word: a model tells
    # (the word, what it is asked in: "Jim" in "Jim Furyk", "Sterling" alone)
    adapted: set[str] = field(default_factory=set)  # doubtful words asked in another language: a name there in its spelling too ("Paulo")
    added: list[str] = field(default_factory=list)
    coverage: float = 1.0
    content_words: int = 0
    round_trip: float | None = None  # the round trip's meaning factor (0-1), when there was one
    back: str = ""  # the translation translated back, when it was
    truncated: bool = False  # the translation reads as the source's first half only (the scorer's embeddings)
    length_z: float | None = None  # standard deviations of the translation's length from the expected one (the scorer's)

    def flags(self, min_coverage: float = MIN_COVERAGE) -> dict[str, list[str]]:
        """``{flag: evidence}`` for ``omission`` and ``addition`` (a name once, not also as found fewer times)."""
        out: dict[str, list[str]] = {}
        low = self.content_words >= 6 and self.coverage < min_coverage and (self.round_trip or 0.0) < ROUND_TRIP_AGREES \
            and (self.length_z is None or self.length_z <= SHORTER)
        if self.omitted or self.fewer or low or self.truncated:
            names = list(dict.fromkeys(self.omitted))
            out[OMISSION] = (names + [f for f in self.fewer if f.rsplit(" (", 1)[0] not in names]
                             + (["second half"] if self.truncated else []) or [f"coverage {self.coverage:.2f}"])
        if self.added:
            out[ADDITION] = list(self.added)
        return out


def _words(text: str) -> list[str]:
    """The words of ``text`` outside protected spans, dotted acronyms without their dots; a
    hyphenated word also gives its parts (``Nord-Kivu`` carries ``Kivu``)."""
    for a, b in reversed(protected_spans(text)):
        text = text[:a] + " " + text[b:]
    words = [w.replace(".", "") for w in WORD.findall(text)]
    return words + [p for w in words if "-" in w for p in w.split("-")]


def _pool(text: str) -> tuple[set[str], set[str]]:
    """The folded words of ``text`` (``_words``) and their first five letters, for ``in_pool``."""
    pool = {fold(w) for w in _words(text)}
    return pool, {w[:5] for w in pool}


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
        self._translated = folded(names.get("translated", ""))  # name words a translator translates
        self._derived = tuple(names.get("derived", []))  # endings of words made from names ("Swedish")
        self._exonyms = Exonyms(tgt, self._derived)
        self.reader = NameReader(src, self._exonyms, self.vocabulary)
        self._stop_tgt = folded(tgt_names.get("stopwords", ""))
        # names the target language does not transliterate (China -> Китай), and scripts to match across
        self._across = AcrossScripts(src, tgt, self._exonyms, self._derived, self._stop_tgt)
        # a name not found is evidence only where the source pack tells names (German capitalizes
        # every noun) and the target writes the source's script or a pack's table reads one script in
        # the other (not en -> kk, el, ja: "Путин" unread)
        self._comparable = src.section("names") is not None and (src.script == tgt.script or self._across.on)
        self._determiners, self._prepositions = folded(names.get("determiners", [])), folded(names.get("prepositions", []))
        self._gerund = names.get("gerund")
        self._common = tuple(names.get("common_endings", []))  # endings of common nouns ("Judiciary")
        dates = src.section("dates") or {}
        suffixes = dates.get("decades", {}).get("suffixes")  # a span of ten: "in his 20s", "1990-х"
        self._tens = re.compile(rf"(?<![\d.,])(\d*0)(?:{alternation(suffixes)})(?!\w)") if suffixes else None

    def check(self, source: str, target: str, back: str = "", known: frozenset[str] = frozenset()) -> MeaningReport:
        """The report for one pair; ``back`` is ``target`` translated back into ``src`` ("" if none);
        ``known``: names of the text around it (``NameReader.names_in``)."""
        written = _words(target)  # a form in capitals ("ЕС") is looked for as written
        tgt_list, back_list = [fold(w) for w in written], [fold(w) for w in _words(back)]
        tgt_words, back_words = set(tgt_list), set(back_list)
        pool = tgt_words | back_words
        prefixes, report, covered, total = {w[:5] for w in pool}, MeaningReport(back=back), 0, 0
        sounds = self._across.sounds(written)
        spans = protected_spans(source)
        # numbers, dates and ordinals are checked by value ("Ninth Ward"), links and handles as spans
        skip = spans + [(q.start, q.end) for q in quantities(source, self.src, spans)]
        names: dict[str, list[str]] = {}
        headline = title_case(source)  # capitals mark no names there
        titles = quoted_titles(source)  # nor in a quoted title ("Great Deeds by Swedish Kings"): translated
        words = [(m, w, key, token) for m, token in source_words(source) for w in [bare(m.group())] for key in [fold(w)]
                 if self.reader.judged(w, key) and not any(a <= m.start() < b for a, b in skip)]
        lexicon = {key: self.lexicon.translations(w) if self.lexicon else frozenset() for _, w, key, _ in words}
        claims: dict[str, set[str]] = {}  # a target word -> the source words it may translate
        for key, found in lexicon.items():
            for t in found | {key}:
                claims.setdefault(t, set()).add(key)
        src_list = [fold(w) for w in _words(source)] if back_list else []  # words made from a name: _made_from
        words = [(m, word.capitalize() if word.isupper() and key in known else word, key, token)  # "NEW YORK (Reuters)":
                 for m, word, key, token in words]  # a name in capitals, no acronym
        named = [((not headline and self.reader.source_name(word, key, source, m.start(), m.end()))
                  or (key in known and word[:1].isupper())) and not any(a <= m.start() < b for a, b in titles)
                 for m, word, key, _ in words]
        owners = [m.group() != word and m.group().endswith("s") for m, word, _, _ in words]  # "Moore's" = "Морс"
        groups = list(accumulate((not (re.fullmatch(r"[\s-]*", source[a[0].end():b[0].start()]) and a[1][:1].isupper())
                                  for a, b in zip(words, words[1:])), initial=0))  # which longer name ("Nizhny Novgorod")
        across = self._across.rendered([(w[1], w[2], o, g) for w, o, n, g in zip(words, owners, named, groups) if n],
                                       sounds, written)
        for (m, word, key, token), name in zip(words, named):
            total += 1
            # a name's lexicon translation counts only where no other word of the source claims it
            # (the shortlists pair "Canada" with "Estados", "Trump" with "presidente")
            translations = frozenset(t for t in lexicon[key] if claims[t] == {key} and t not in self._stop_tgt) \
                if name else lexicon[key]
            if name and not lexicon[key]:
                names.setdefault(key, []).append(word)
            if in_pool(key, pool, prefixes) or (name and key in across) \
                    or (token != m.group() and self._found_whole(token, pool, sounds, written)) \
                    or (name and self._made_from(key, back_list) > self._made_from(key, src_list)):
                covered += 1
                continue
            if any(in_pool(t, tgt_words, prefixes) for t in translations):
                covered += 1
            elif name and self._comparable and not spelt_alike(key, pool) and not source[m.start() - 1:m.start()].isdigit():
                alone = stands_alone(source, m.start(), m.end(), self.reader.links)
                opens = "" if self._exonyms.listed_or_named(key) or key in self._translated \
                    else self.reader.name_after(word, key, source, m.start(), m.end())
                checkable = self._checkable(word, key, alone)
                # asked: a word the checker cannot call a name, or a sentence's first no other sentence names
                if opens and not (checkable and (key in known or not self.reader.starts(source, m.start()))):
                    report.doubtful.append((word, f"{word} {opens}"))  # asked with its name: "Jim Furyk", "Kit Harington"
                elif checkable and not self._asked(key):
                    report.omitted.append(word)
                elif checkable:  # asked of a model into another language than the target's
                    report.doubtful.append((word, word))
                    report.adapted.add(word)
                elif (alone or self.lexicon or self._doubtful_ending(key)) and key not in self._translated:
                    report.doubtful.append((word, word))  # "Texas", "Hurricane Rosa", "Zoran Zaev", "Sterling"; "Allies", "Game of Thrones"
            elif self.lexicon and not headline and not translations and self._modifies_name(word, source, m.start(), m.end()) \
                    and not spelt_alike(key, pool) and not self._free_word_beside(source, m.end(), target):
                report.omitted.append(word)
        if not (self.lexicon or back):
            total = 0  # without a lexicon or a round trip, how much of the source is covered is unknown
        report.content_words, report.coverage = total, covered / total if total else 1.0
        omitted = {fold(w) for w in report.omitted}
        for key, seen in names.items():
            if len(seen) < 2 or key in omitted or not self._comparable or not self._checkable(seen[0], key):
                continue
            spelt, across = count_spelt(key, tgt_list), self._across.count(seen[0], key, sounds, written)
            # across scripts a translation may keep one mention in the source's letters and render the
            # other in its own ("MTN Ghana ... в Гане"): both count
            found = max(spelt + across if self._across.on else max(spelt, across), count_spelt(key, back_list))
            if found < len(seen):
                report.fewer.append(f"{seen[0]} ({found} of {len(seen)})")
        report.added = self._added(source, target, back_words)
        return report

    def _made_from(self, key: str, words: list[str]) -> int:
        """How many of the folded ``words`` are made from the name ``key`` by a derived ending of the
        source pack (``Swedish`` from ``Swede``, ``Iranian`` from ``Iran``; not ``Australian`` from ``Austria``)."""
        return sum(1 for w in words if w != key and any(
            w.endswith(d) and key.startswith(w[:-len(d)]) and len(w) - len(d) >= min(4, len(key) - 1) for d in self._derived))

    def _found_whole(self, token: str, pool: set[str], sounds: list[TargetSound], written: list[str]) -> bool:
        """Whether a hyphenated name is in the translation as one word (``Euro-Asia`` = ``Eurásia``, ``Евразии``)."""
        joined = token.replace("-", "")
        return spelt_alike(fold(joined), pool) or self._across.count(joined, fold(joined), sounds, written) > 0

    def _checkable(self, word: str, key: str, alone: bool = False) -> bool:
        """Whether a name not found can be called omitted: one the target pack lists (``China``, or
        the stems of a word of longer names, ``North`` = ``север``), with a lexicon one standing
        ``alone`` (``Bush``, ``the Commission said``). Otherwise never a word a translator translates:
        the source pack's (``Supreme``), a common noun's ending (``Judiciary``), in a longer name one
        the lexicon translates (``Royal Navy``). Without a lexicon: a CLDR name standing alone
        (``Paris``), not a word made from a name (``Swedish``) or the vocabulary's in lower case."""
        if self._exonyms.listed_or_named(key) or (self.lexicon and alone):
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

    def _asked(self, key: str) -> bool:
        """Whether a checkable name not found is asked of a model rather than called omitted: with no
        lexicon for the pair but a vocabulary (en->ru: the en->pt model), one the target pack gives no
        form of (``Embassy`` and ``Cup`` are translated, ``Pruitt`` is not; ``London`` = ``Лондон``)."""
        return self.lexicon is None and self.vocabulary is not None and not self._exonyms.forms(key)

    def _doubtful_ending(self, key: str) -> bool:
        """Whether ``key`` ends like a word made from a name but comes from no place the pack knows and no vocabulary word (``Zoran``; not ``Thrones``)."""
        return key.endswith(self._derived) and not (self._exonyms.forms(key) or made_from(key, self._derived, self.vocabulary))

    def _translates(self, key: str) -> bool:
        """A word a translator translates: the source pack lists it, or it has a common noun's ending."""
        return key in self._translated or (len(key) >= 7 and key.endswith(self._common))

    def carried_over(self, word: str, translation: str, adapted: bool = False) -> bool:
        """Whether a model's ``translation`` of ``word`` (alone or in a sentence, into a language of
        the same script) keeps it (``Texas``, ``Jones (em inglês)``): a name, not a word it translates (``Aliados``,
        ``Universo``); ``adapted``: also in that language's spelling, with the same first letter
        (``Paulo``, ``Tibete``, ``Meca``: a name, asked of a model into another language than the target)."""
        key, words = fold(word), [fold(w) for w in WORD.findall(_ASIDE.sub("", translation))]
        return key in words or (adapted and count_spelt(key, [w for w in words if w[:1] == key[:1]]) > 0)

    def written_across(self, word: str, source: str, target: str) -> bool:
        """Whether ``word``, a month or weekday, stands in a longer name of ``source`` (not alone: ``The
        Sunday Times``, ``April Ryan``) that ``target`` renders by sound in its own script (``«Санди
        Таймс»``, ``Эйприл``)."""
        if not self._across.on or fold(word) not in self.reader.date_names:
            return False
        if all(stands_alone(source, m.start(), m.end(), self.reader.links) for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", source)):
            return False
        written = _words(target)
        return self._across.count(word, fold(word), self._across.sounds(written), written) > 0

    def located_names(self, source: str, target: str) -> list[tuple[int, int]]:
        """Spans of the target words that render a name of the source (carried over, transliterated,
        an exonym), one per name found, in source order (what an evaluation deletes)."""
        if title_case(source):
            return []
        spans = protected_spans(source)
        skip = spans + [(q.start, q.end) for q in quantities(source, self.src, spans)] + quoted_titles(source)
        words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(target)]
        out: list[tuple[int, int]] = []
        for m, _ in source_words(source):
            word = bare(m.group())
            key = fold(word)
            if not self.reader.judged(word, key) or any(a <= m.start() < b for a, b in skip) \
                    or not self.reader.source_name(word, key, source, m.start(), m.end()) \
                    or not self._checkable(word, key, stands_alone(source, m.start(), m.end(), self.reader.links)):
                continue
            for a, b, w in words:
                folded = fold(POSSESSIVE.sub("", w))
                sound = self._across.sounds([w])
                if (a, b) not in out and (folded == key or same_start(key, folded)
                                          or (sound and self._across.count(word, key, sound, [POSSESSIVE.sub("", w)]))):
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

    def _free_word_beside(self, source: str, end: int, target: str) -> bool:
        """Whether ``target`` has, right after the name that follows a modifier (its capitalized
        words in ``source[end:]``) or between an article and it, a content word that translates no
        word of the source: the modifier rendered freely (``a deflated Woods`` -> ``um desanimado
        Woods``, ``Kepa em voo``), not dropped (a verb before the name is no such word)."""
        name = takewhile(lambda w: w[:1].isupper(), WORD.findall(source[end:]))
        forms = {f for w in name for f in self.lexicon.translations(w) | {fold(w)}}
        (src_keys, src_prefixes), prefixes = _pool(source), {f[:5] for f in forms}
        words = _words(target)
        beside = [w for i, v in enumerate(words) if in_pool(fold(v), forms, prefixes)
                  for w in words[i + 1:i + 3] + (words[i - 1:i] if i >= 2 and fold(words[i - 2]) in self._stop_tgt else [])]
        return any(len(w) >= 3 and fold(w) not in self._stop_tgt and not in_pool(fold(w), src_keys, src_prefixes)
                   and not any(in_pool(r, src_keys, src_prefixes) for r in self.lexicon.reverse(w)) for w in beside)

    def _added(self, source: str, target: str, back_words: set[str]) -> list[str]:
        """Names of the target that nothing in the source or the lexicon explains (and that its
        back-translation, folded ``back_words``, carries over), and numbers of the target (without a
        unit: a converted amount has one) with no counterpart in the source."""
        src_pool, prefixes = _pool(source)
        added = []
        for m in WORD.finditer(target):
            word = POSSESSIVE.sub("", m.group())
            key = fold(word)
            if key in self._stop_tgt or len(key) < 5 or not self.reader.is_name(word, target, m.start()) or "-" in word:
                continue
            if not in_pool(key, src_pool, prefixes) and not (self.lexicon and self.lexicon.reverse(word)) \
                    and not spelt_alike(key, src_pool) and key in back_words and not self._lexicon_word(word):
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
        pool, prefixes = _pool(target)
        translation = _ASIDE.sub("", translation)  # "Cromwell (em inglês)": the model's aside, not the word
        return any(in_pool(k, pool, prefixes) for w in WORD.findall(translation)
                   for k in [fold(w)] if len(k) >= 3 and k not in self._stop_tgt)

    def explained(self, source: str, words: list[str], translations: list[str]) -> set[str]:
        """Those of ``words`` (names of the target) whose translation alone into the source language
        is a word of ``source`` (``Platô`` -> ``Plateau``): a translation, not an addition."""
        pool, prefixes = _pool(source)
        return {w for w, t in zip(words, translations) if any(in_pool(fold(x), pool, prefixes) for x in WORD.findall(t))}

    def _lexicon_word(self, word: str) -> bool:
        """Whether ``word`` is a vocabulary word of the target language (a common noun written with
        a capital, not an invented name): the lexicon knows it as one piece."""
        return bool(self.lexicon and self.lexicon.known_target(word))
