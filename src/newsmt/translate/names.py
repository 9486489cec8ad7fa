"""Names across spellings and scripts: ``Navalny`` = ``Навальный`` = ``Навального``,
``Tokayev`` = ``Токаева``, ``Johnson`` = ``Джонсон``.

A word in a script other than Latin is first written in Latin letters with its language pack's
``transliteration`` section (``[letters]``), once with and once without each case ending the section
lists (``endings``). Both words are then reduced to how their consonants sound (``sound_keys``):
vowels dropped, letters that one language writes for another's grouped (``h``/``g``/``kh``,
``sh``/``zh``/``ch``/``j``, ``v``/``w``, ``ts``/``z``/``s``), doubled letters once. English spelling is
ambiguous, so a Latin name gets every reading of ``ch``, ``c``, ``g``, ``j``, ``h``, ``w``, ``q``, ``x``,
``xh``, ``ng`` (before ``e`` or ``i`` also ``ndzh``), ``eu``, ``au``, ``th``, ``dg`` and a first ``kn``
(``Michael`` = ``Майкл``, ``Angela`` = ``Анджела``, ``George`` = ``Джордж``, ``John`` = ``Джон``, ``Jose`` =
``Хосе``, ``Xhaka`` = ``Джака``, ``Recep`` = ``Реджеп``, ``Eugenia`` = ``Евгения``, ``Qing`` = ``Цин``,
``Jong`` = ``Чен``, ``Mather`` = ``Мэзер``, ``Hodge`` = ``Ходж``, ``Knight`` = ``Найт``). Two words are
one name when a key of each agrees, or when long keys differ by one sound; a word of another script
is also the name where its Latin spelling is (``spelt_in``: ``Юннань`` = ``Yunnan``). In one script, a
name written another way shares its first five letters (``same_start``: ``Eurasia`` = ``Eurásia``) or
most of its letters or its sound (``spelt_alike``: ``Navalny`` = ``Navalni``, ``Oyapock`` = ``Oiapoque``).
``AcrossScripts`` counts the words of a target text that render a source name so, or by the target
pack's own forms (``Exonyms``: ``China`` = ``Китай``); a target word that renders one name better
renders no other (``rendered``: ``Греции`` is ``Greece``, not also ``Crete``).
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import product
from typing import TYPE_CHECKING

from ..languages import Language
from .letters import fold

if TYPE_CHECKING:
    from .lexicon import Lexicon

_VOWELS = set("aeiouyæøåäöüéèêëáàâíìîïóòôõúùûý'")
# digraphs first, then single letters; a tuple lists the readings of an ambiguous spelling
_READINGS: list[tuple[str, tuple[str, ...]]] = [
    ("shch", ("S",)), ("sch", ("S",)), ("dzh", ("S",)), ("tch", ("S",)), ("zh", ("S",)), ("sh", ("S", "Z")),
    ("gh", ("", "H", "F")), ("ch", ("S", "K", "H")), ("kh", ("H", "KH")), ("ph", ("F", "V")), ("th", ("T", "TH", "Z")), ("ck", ("K",)),
    ("qu", ("KV", "K")), ("dg", ("S", "DH")),
    ("ts", ("Z", "TZ")), ("tz", ("Z",)), ("dj", ("S",)), ("eu", ("", "V")), ("au", ("", "V")),
    ("nge", ("NS", "NH", "N")), ("ngi", ("NS", "NH", "N")), ("ng", ("NH", "N")),  # "Angela" = "Анджела"
    ("xh", ("S", "KZ")), ("x", ("KZ", "H", "Z")), ("c", ("K", "Z", "S")), ("g", ("H", "S")),
    ("j", ("S", "", "Z", "H")), ("h", ("H", "")), ("w", ("V", "")), ("k", ("K",)), ("q", ("K", "Z")), ("z", ("Z",)), ("s", ("Z",)),
    ("v", ("V",)), ("f", ("F",)), ("b", ("B",)), ("p", ("P",)), ("t", ("T",)), ("d", ("D",)), ("l", ("L",)),
    ("m", ("M",)), ("n", ("N",)), ("r", ("R",)),
]
_PIECE = re.compile("|".join(re.escape(a) for a, _ in _READINGS) + "|.")
_READ = dict(_READINGS)
_MAX_KEYS = 64


@lru_cache(maxsize=65536)
def sound_keys(latin: str) -> frozenset[str]:
    """The consonant skeletons a folded Latin spelling may be read as (see the module docstring)."""
    options: list[tuple[str, ...]] = [("", "K")] if latin.startswith("kn") else []  # "Knightsbridge" = "Найтсбридж"
    for piece in _PIECE.findall(latin[1:] if options else latin):
        if piece in _READ:
            options.append(_READ[piece])
        elif piece not in _VOWELS and piece.isalpha():
            options.append((piece.upper(),))
    keys = set()
    for combo in product(*options):
        key = re.sub(r"(.)\1+", r"\1", "".join(combo))
        keys.add(key)
        if len(keys) >= _MAX_KEYS:
            break
    return frozenset(keys)


class Transliteration:
    """A pack's ``transliteration`` section: a word of that script as Latin spellings (with and
    without a case ending)."""

    def __init__(self, lang: Language) -> None:
        section = lang.section("transliteration") or {}
        self.letters = {k: v for k, v in section.get("letters", {}).items()}
        adjective = section.get("adjective_endings", [])
        self.adjectives = tuple(d + e for d in section.get("derived", []) for e in adjective)
        self.endings = list(section.get("endings", [])) + list(self.adjectives)

    def __bool__(self) -> bool:
        return bool(self.letters)

    def made_from_name(self, word: str) -> bool:
        """Whether ``word`` ends like an adjective made from a name (``минойских``, ``шведской``)."""
        return word.lower().endswith(self.adjectives)

    def spellings(self, word: str) -> list[str]:
        """Latin spellings of ``word`` (lower case): as written and without each ending it has."""
        low = word.lower()
        stems = [low] + [low[:-len(e)] for e in self.endings if low.endswith(e) and len(low) - len(e) >= 2]
        return [fold("".join(self.letters.get(c, c) for c in stem)) for stem in dict.fromkeys(stems)]


@lru_cache(maxsize=64)
def transliteration(lang: Language) -> Transliteration:
    return Transliteration(lang)


@lru_cache(maxsize=65536)
def word_keys(word: str, lang: Language) -> frozenset[str]:
    """The sound keys of a word of ``lang`` (transliterated first when its pack has a table)."""
    table = transliteration(lang)
    if table and not word.isascii():
        return frozenset(k for s in table.spellings(word) for k in _plain_keys(s))
    return sound_keys(fold(word))


TargetSound = tuple[frozenset[str], bool, int, tuple[str, ...]]
_SILENT: TargetSound = (frozenset(), False, 2, ())  # a target word read for no name (Latin, a stopword)


@lru_cache(maxsize=65536)
def target_sound(word: str, lang: Language) -> TargetSound:
    """A target word read for names: its sound keys, whether one sound may name it (five letters or
    fewer), how many sounds a key in common needs (three in lower case, ``твиттере``, not ``угнан``
    for ``Chin(ese)``, unless the word is an adjective made from a name, ``минойских``) and its Latin
    spellings (``spelt_in``)."""
    table = transliteration(lang)
    lower = word.islower() and not table.made_from_name(word)
    return word_keys(word, lang), len(word) <= 5 and not lower, 3 if lower else 2, tuple(table.spellings(word))


def _plain_keys(latin: str) -> frozenset[str]:
    """Keys of an already transliterated spelling: letters as written (no English ambiguity)."""
    return frozenset({min(sound_keys(latin), key=lambda k: (len(k), k))} | sound_keys(latin)) if latin else frozenset()


def _one_apart(x: str, y: str, other: bool = True) -> bool:
    """Keys one sound apart: one more at an end (three sounds or more), one more inside a key of
    three, or one more, fewer or (where ``other``) other anywhere (four sounds or more)."""
    if len(x) > len(y):
        x, y = y, x
    if len(y) - len(x) > 1:
        return False
    if len(y) == len(x) + 1 and (y.startswith(x) or y.endswith(x)):
        return True
    if len(x) == 3 and len(y) == 4:  # a letter one language writes and the other does not (Halkett, Хокетт)
        return any(y[:i] + y[i + 1:] == x for i in range(1, 3))
    if len(x) < 4:
        return False
    if len(x) == len(y):
        return other and sum(p != q for p, q in zip(x, y)) == 1
    return any(y[:i] + y[i + 1:] == x for i in range(len(y)))


def same_sound(a: frozenset[str], b: frozenset[str], short: bool = False, least: int = 2) -> bool:
    """Whether two words' sound keys name one name: a key in common (``least`` sounds or more, or
    one when both words are ``short``: ``Yong`` = ``Ён``), keys one sound apart (``_one_apart``; each
    of ``least`` + 1 sounds or more and, for a word in lower case, ``least`` 3, by one sound more or
    fewer, not another: ``оживленного`` is not ``Evelyn``, ``сцены`` not ``Steven``), or keys of five
    sounds or more at least 0.8 alike."""
    if not a or not b:
        return False
    common = a & b
    if any(len(k) >= least for k in common):
        return True
    if common and short:
        return True
    if any(_one_apart(x, y, least < 3) for x, y in product(a, b) if min(len(x), len(y)) >= max(3, least + 1)):
        return True  # a final "n", a first vowel sound or a letter one language writes and the other does not
    # in sorted order: which eight are compared must not depend on a set's (hash-seeded) order
    long_a, long_b = sorted(k for k in a if len(k) >= 5), sorted(k for k in b if len(k) >= 5)
    return any(abs(len(x) - len(y)) <= 1 and SequenceMatcher(None, x, y, autojunk=False).ratio() >= 0.8
               for x in long_a[:8] for y in long_b[:8])


def same_start(a: str, b: str) -> bool:
    """Two folded words that share their first five letters (or are equal when shorter)."""
    n = min(5, len(a), len(b))
    return n >= 3 and a[:n] == b[:n] and (n == 5 or len(a) == len(b) or abs(len(a) - len(b)) <= 2)


def in_pool(word: str, pool: set[str], prefixes: set[str]) -> bool:
    """Whether the folded ``word`` is in ``pool`` or shares its start with a word there
    (``same_start``; ``prefixes``: the pool's words' first five letters)."""
    return word in pool or (len(word) >= 3 and word[:5] in prefixes
                            and any(same_start(word, w) for w in pool if w[:5] == word[:5]))


_SPELLINGS = [(re.compile(a), b) for a, b in (("ck|qu|c(?=[aou])", "k"), ("ph", "f"), ("eau", "o"), ("y", "i"),
                                              ("w", "v"), ("sh", "s"), ("(?<=.)e$", ""))]


def _spoken(word: str) -> str:
    """A folded Latin name as it sounds across spellings (``oyapock`` = ``oiapoque`` = ``oiapok``,
    ``bishkek`` = ``bisqueque``)."""
    for pattern, repl in _SPELLINGS:
        word = pattern.sub(repl, word)
    return word


def spelt_alike(word: str, pool: set[str]) -> bool:
    """A name written another way (``Navalny``/``Navalni``, ``Smyrna``/``Esmirna``,
    ``Oyapock``/``Oiapoque``, ``Bishkek``/``Bisqueque``): a word of the pool at least 0.75 similar by characters, of about
    the same length (two letters apart at most: ``right`` is not ``Brighton``), or the same when
    spelt as it sounds."""
    need = 0.75 if len(word) >= 6 else 0.8  # short names one letter apart are other names (Hong, Kong)
    return any(abs(len(w) - len(word)) <= 2 and (SequenceMatcher(None, word, w, autojunk=False).ratio() >= need
                                                 or _spoken(word) == _spoken(w))
               for w in pool if len(w) >= 4)


def count_spelt(key: str, folded: list[str]) -> int:
    """How many of the ``folded`` words are the folded name ``key``, in any spelling (``same_start``, ``spelt_alike``)."""
    return sum(1 for k in folded if k == key or same_start(key, k) or spelt_alike(key, {k}))


def made_from(key: str, endings: tuple[str, ...], vocabulary: Lexicon | None) -> bool:
    """Whether the folded ``key`` is a word made from another by one of ``endings``: its stem, or the
    stem and ``a`` or ``e``, is a piece of the ``vocabulary`` in lower case or capitalized (``Thrones``,
    ``Asian``, ``Babylonians``; not ``Zoran``)."""
    stems = [key[:-len(d)] for d in endings if key.endswith(d) and len(key) - len(d) >= 3]
    return vocabulary is not None and any(vocabulary.known_source(base) or vocabulary.known_source(base.capitalize())
                                          for stem in stems for base in (stem, stem + "a", stem + "e"))


def spelt_in(key: str, spellings: tuple[str, ...]) -> bool:
    """Whether a word of another script, written in Latin letters (``spellings``), is the folded
    name ``key`` whatever its sound keys: the same letters (``Юннань`` = ``Yunnan``, one sound), the
    name and an ending, or alike and with the same first letter (``саами`` = ``Sámi``, in lower case)."""
    return any(s == key or (len(key) >= 5 and s.startswith(key) and len(s) - len(key) <= 4)
               or (s[:1] == key[:1] and spelt_alike(key, {s})) for s in spellings)


Form = tuple[str, int, bool]  # a folded stem, most letters after it (0: any ending), written in capitals


class Exonyms:
    """The names a language writes in its own way (``China`` = ``Китай``, ``Pyongyang`` = ``Пхеньян``,
    ``Korean`` = ``корейский``): its pack's ``names`` section, ``[exonyms]`` (written by hand; a name
    listed there is always checked) and ``[cldr_exonyms]`` (from CLDR: ``scripts/exonyms_from_cldr.py``;
    ``[cldr_names] whole``: its keys that are a whole name of one word, ``Paris``) and ``[name_words]``
    (words of longer names a translator translates: ``North`` = ``север``, checked only inside a name).
    Each form is a stem that a case or adjective ending may follow (``Коре`` in ``Кореи``,
    ``корейскими``), also after the first part of a compound (``северокорейским``); a stem of three
    letters or fewer takes at most three more letters (``южн`` in ``Южного``), one written in capitals
    (``США``) two."""

    def __init__(self, lang: Language, derived: tuple[str, ...] = ()) -> None:
        section = lang.section("names") or {}
        self.listed = {fold(k): [fold(f) for f in v] for k, v in section.get("exonyms", {}).items()}
        self.whole = {fold(w) for w in section.get("cldr_names", {}).get("whole", "").split()}  # one-word CLDR names
        self.name_words = {fold(k) for k in section.get("name_words", {})}  # "Supreme" = "верховн" (of a longer name)
        self._forms: dict[str, list[Form]] = {}
        for table in (section.get("cldr_exonyms", {}), section.get("exonyms", {}), section.get("name_words", {})):
            for k, v in table.items():
                self._forms.setdefault(fold(k), []).extend((fold(f), 2 if f.isupper() else 3 if len(f) <= 3 else 0, f.isupper())
                                                           for f in v)
        self._derived = derived  # endings of the source's words made from names ("Korean" -> "Kore")
        self.forms = lru_cache(maxsize=65536)(self._forms_of)

    def __bool__(self) -> bool:
        return bool(self._forms)

    def listed_or_named(self, key: str) -> bool:
        """Whether the folded ``key`` is always checked: listed (``China``) or a word of longer names (``North``)."""
        return key in self.listed or key in self.name_words

    def _forms_of(self, key: str) -> list[Form]:
        """The forms (``Form``) of the folded source word ``key`` and of the name it is made from
        (``croatian`` -> ``croatia``; ``latvian``: ``латышский`` and ``латвийский``); ``forms`` (cached)."""
        own = self._forms.get(key, [])
        for ending in self._derived:
            stem = key[:-len(ending)] if key.endswith(ending) else ""
            near = [k for k in self._forms if k.startswith(stem) and len(k) - len(stem) <= 2 and k != key] if len(stem) >= 4 else []
            if near:
                return own + [f for k in near for f in self._forms[k]]
        return own

    def count(self, key: str, words: list[str]) -> int:
        """How many of the target ``words`` render ``key`` by one of its forms."""
        return len(self.rendering(key, words))

    def rendering(self, key: str, words: list[str]) -> list[int]:
        """Which of the target ``words`` render ``key`` by one of its forms (one in capitals only in
        capitals: ``ЕС``, not ``если``)."""
        forms = self.forms(key)
        return [i for i, w in enumerate(words) for low in [fold(w)]
                if any(_renders(low, f, most) and (not capitals or w[:len(f)].isupper()) for f, most, capitals in forms)] \
            if forms else []


class AcrossScripts:
    """Where a name of a ``src`` text stands in a ``tgt`` text: by sound in another script (``Navalny``
    in ``Навального``), or as one of the target pack's forms (``exonyms``: ``Китая``)."""

    def __init__(self, src: Language, tgt: Language, exonyms: Exonyms, derived: tuple[str, ...],
                 stopwords: frozenset[str]) -> None:
        """``derived``: the source pack's endings of words made from names (``Swedish``);
        ``stopwords``: the target pack's, folded."""
        self.src, self.tgt, self.exonyms, self._derived, self._stopwords = src, tgt, exonyms, derived, stopwords
        self.on = bool(transliteration(src)) or bool(transliteration(tgt))  # two scripts to match across

    def sounds(self, words: list[str]) -> list[TargetSound]:
        """``target_sound`` of each of the target ``words`` in another script than the source's (not a
        stopword in lower case; others get no sound): not Latin, or any where the source reads its
        words with a table (ru -> en: ``Stone`` for ``Стоун``); none where the two share a script."""
        latin = bool(transliteration(self.src))
        return [target_sound(w, self.tgt) if (latin or not w.isascii()) and len(w) >= 2
                and not (w.islower() and fold(w) in self._stopwords) else _SILENT for w in words] if self.on else []

    def _keys(self, word: str) -> frozenset[str]:
        """Sound keys of a source name, and of its stem when it is a word made from a name
        (``Swedish`` -> ``Swed``, matched with ``шведской``)."""
        stems = [word] + [word[:-len(d)] for d in self._derived if word.lower().endswith(d) and len(word) - len(d) >= 3]
        return frozenset(k for w in stems for k in word_keys(w, self.src))

    def count(self, word: str, key: str, sounds: list[TargetSound], written: list[str], owner: bool = False) -> int:
        """How many of the target's ``written`` words render ``word`` (folded: ``key``) in another
        script (``sounds``: theirs) or as an exonym (an acronym only as the pack lists it, never by
        sound); an ``owner`` (``Moore's``) also by all the sounds of the name and its ``s`` (``Морс``)."""
        return max(self.exonyms.count(key, written), len(self._alike(word, key, sounds, owner)))

    def _alike(self, word: str, key: str, sounds: list[TargetSound], owner: bool = False) -> dict[int, int]:
        """Target word (index of ``sounds``) -> how alike it sounds to ``word``: the longest sound key
        in common (0 when only near; 9 when the word's Latin spelling has the name)."""
        if word.isupper() or not sounds:
            return {}
        keys, short, owned = self._keys(word), len(word) <= 7, word_keys(word + "s", self.src) if owner else frozenset()
        return {i: 9 if spelt_in(key, latin) else max(map(len, keys & k | owned & k), default=0)
                for i, (k, s, least, latin) in enumerate(sounds)
                if same_sound(keys, k, short and s, least) or spelt_in(key, latin) or bool(owned & k)}

    def rendered(self, names: list[tuple[str, str, bool, int]], sounds: list[TargetSound], written: list[str]) -> set[str]:
        """The folded keys of the source's ``names`` (word, key, owner, which longer name it is part
        of) that a target word renders (``count``) and renders no other name better, one not of the
        same longer name nor made from the same one. One target word renders one name: ``Крит``
        deleted, ``Греции`` renders ``Greece``, not also ``Crete``; ``Германии`` renders ``Germany``, not
        ``Gagarin``. An exonym renders best; the more sounds in common, the better; a tie is shared."""
        memo: dict[tuple[str, str, bool], dict[int, int]] = {}
        for word, key, owner, _ in names:
            if (word, key, owner) not in memo:
                memo[word, key, owner] = {**self._alike(word, key, sounds, owner),
                                          **dict.fromkeys(self.exonyms.rendering(key, written), 99)}
        alike = [memo[word, key, owner] for word, key, owner, _ in names]
        owner_of: dict[int, int] = {}  # target word -> the name it renders, each name one word
        placed: set[int] = set()
        for _, n, i in sorted((-strength, n, i) for n, mine in enumerate(alike) for i, strength in mine.items()):
            if n not in placed and i not in owner_of:
                owner_of[i] = n
                placed.add(n)
        for n in sorted(set(range(len(names))) - placed):  # left without a word: one whose name has another free
            for i in sorted(alike[n], key=alike[n].get, reverse=True):
                free = next((j for j in alike[owner_of[i]] if j not in owner_of), None)
                if free is not None:
                    owner_of[free], owner_of[i] = owner_of[i], n
                    break

        def better(i: int, n: int) -> bool:  # the word renders another name better
            m = owner_of.get(i, n)
            return names[m][3] != names[n][3] and not same_start(names[m][1], names[n][1]) and alike[m][i] > alike[n][i]
        return {names[n][1] for n, mine in enumerate(alike) if any(not better(i, n) for i in mine)}


def _renders(word: str, form: str, most: int) -> bool:
    if most:
        return word.startswith(form) and len(word) - len(form) <= most
    if word.startswith(form):
        return len(word) - len(form) <= (9 if len(form) >= 6 else 7)
    at = word.find(form, 3)
    return len(form) >= 4 and at > 0 and word[at - 1] in "о-" and len(word) - at - len(form) <= 7


_LEFT_WORD, _RIGHT_WORD = re.compile(r"([^\W_]+)[ \t]+$"), re.compile(r"[ \t]+([^\W_]+)")  # a neighbouring word


def stands_alone(text: str, start: int, end: int, links: frozenset[str]) -> bool:
    """Whether the word at ``start:end`` stands alone: no capitalized word or number next to it,
    also across ``links`` (the pack's ``name_links``): ``Paris``, not the ``Nations`` of ``United
    Nations``, the ``Game`` of ``Game of Thrones`` or ``Number 1``."""
    for left in (True, False):
        pos = start if left else end
        while (m := _LEFT_WORD.search(text, max(0, pos - 40), pos) if left else _RIGHT_WORD.match(text, pos)) \
                and m.group(1) in links:
            pos = m.start() if left else m.end()
        if m is not None and (m.group(1)[:1].isupper() or m.group(1)[:1].isdigit()):
            return False
    return True
