"""The package's shape: no import cycles (lazy imports included), no module over 400 lines, and
no module outside the language layer keying on a raw language tag."""
from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsmt"
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """newsmt modules ``path`` imports anywhere (functions too), except under ``if TYPE_CHECKING``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.level and node.module else base if node.level else node.module
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)  # submodules; other names drop out below
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m and m.startswith("newsmt") and _exists(m) and m != module_name(path)}


def _exists(module: str) -> bool:
    rel = Path(*module.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").is_file() or (PACKAGE / rel / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) for p in PACKAGE.rglob("*.py")}


def test_no_import_cycles():
    g = graph()
    # a package's __init__ re-exporting its own submodules is not a cycle between concerns
    edges = {m: {t for t in ts if not (m.startswith(t + ".") and t != "newsmt")} for m, ts in g.items()}
    cycles, state = [], {}

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        for t in sorted(edges.get(m, ())):
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t, stack + [t])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [m])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_no_module_over_400_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


# -- language tags: only the language layer knows language codes -------------------------------
LANGUAGE_LAYER = PACKAGE / "languages"
# a name that holds a language: lang, src_lang, tgt, source, to, code, ...
LANGUAGE_NAME = re.compile(r"lang|^(src|tgt|to|code|source|target|pair|locale)$", re.IGNORECASE)
# Strings that look like language codes but are not, or are a model's own vocabulary: each with
# its reason. Nothing else may be added here.
LANGUAGE_LITERAL_ALLOWED = {
    "translate/guards/units.py": "unit symbols (mi, km, lb, kg) paired for conversion, no languages",
    "translate/hf.py": "the language tokens of NLLB and mBART checkpoints: the models' vocabulary",
}


def _language_code(value: object) -> bool:
    """A string that is a language tag with a two-letter primary subtag ("en", "pt-BR", "zh_Hant")."""
    import langcodes

    if not isinstance(value, str) or not re.fullmatch(r"[a-z]{2}(?:[-_][A-Za-z0-9]{2,8})*", value):
        return False
    try:
        return langcodes.tag_is_valid(langcodes.standardize_tag(value))
    except (ValueError, LookupError):
        return False


def _names_language(node: ast.AST) -> bool:
    while isinstance(node, (ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return bool(name) and LANGUAGE_NAME.search(name) is not None


def _codes(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant):
        return [node.value] if _language_code(node.value) else []
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [c for e in node.elts for c in _codes(e)]
    return []


def language_literals(path: Path, root: Path = PACKAGE) -> list[str]:
    """Where ``path`` keys on a raw language tag: a comparison or ``in`` test of a language-named
    value with a language-code literal, ``.startswith("zh")`` on one, a dict keyed by codes, or a
    set/tuple/list of codes."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        what = ""
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(map(_names_language, sides)) and any(map(_codes, sides)):
                what = "comparison"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("startswith", "endswith") and _names_language(node.func.value) \
                    and node.args and _codes(node.args[0]):
                what = "prefix test"
        elif isinstance(node, ast.Dict):
            keys = [k for k in node.keys if k is not None]
            if len(keys) >= 2 and all(map(_codes, keys)):
                what = "dict keyed by language codes"
        elif isinstance(node, (ast.Set, ast.Tuple, ast.List)):
            if len(node.elts) >= 2 and all(map(_codes, node.elts)):
                what = "collection of language codes"
        if what:
            found.append(f"{path.relative_to(root)}:{node.lineno}: {what}: {ast.unparse(node)[:70]}")
    return found


def test_language_literal_check_finds_what_it_should(tmp_path):
    module = tmp_path / "x.py"
    module.write_text('if lang == "pt": pass\nif src_lang in ("zh", "ja"): pass\nUNITS = {"en": 1, "ru": 2}\n'
                      'if doc.lang.startswith("zh"): pass\n'
                      'if kind == "en": pass\nHEADERS = {"id": 1, "text": 2}\nif tgt == "auto": pass\n',
                      encoding="utf-8")
    hits = sorted((int(h.split(":")[1]), h.split(": ")[1]) for h in language_literals(module, tmp_path))
    assert hits == [(1, "comparison"), (2, "collection of language codes"), (2, "comparison"),
                    (3, "dict keyed by language codes"), (4, "prefix test")]


def test_no_module_outside_the_language_layer_keys_on_a_language_tag():
    found = [hit for p in sorted(PACKAGE.rglob("*.py")) if LANGUAGE_LAYER not in p.parents
             and p.relative_to(PACKAGE).as_posix() not in LANGUAGE_LITERAL_ALLOWED for hit in language_literals(p)]
    assert not found, "ask the Language (its pack's sections, .spaced, ...) instead:\n" + "\n".join(found)
    stale = {f for f in LANGUAGE_LITERAL_ALLOWED if not language_literals(PACKAGE / f)}
    assert not stale, f"allowed but clean now, remove from LANGUAGE_LITERAL_ALLOWED: {sorted(stale)}"
