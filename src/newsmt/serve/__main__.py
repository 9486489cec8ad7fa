"""``python -m newsmt.serve``: the server without the CLI (the CLI's ``newsmt serve`` is the same).

    python -m newsmt.serve --config configs/en-pt-news.toml --port 5000 [--set key=value] [--workers 2]
        [--api-keys keys.txt] [--engine local|ray] [--option max_chars=20000 ...]
"""
from __future__ import annotations

import argparse
import dataclasses
import sys

from ..config import load_config
from ..errors import NewsmtError
from .app import serve
from .limits import ServeOptions


def _value(field: dataclasses.Field, text: str):  # noqa: ANN202
    kind = str(field.type)
    if "bool" in kind:
        return text.lower() in ("1", "true", "yes", "on")
    if "list" in kind:
        return [t.strip() for t in text.split(",") if t.strip()]
    if "float" in kind:
        return float(text)
    if "int" in kind:
        return int(text)
    return text


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m newsmt.serve", description=__doc__.splitlines()[0])
    p.add_argument("--config", "-c")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5000)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--api-keys")
    p.add_argument("--engine", default="local", choices=["local", "ray"])
    p.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                   help="a ServeOptions field: " + ", ".join(f.name for f in dataclasses.fields(ServeOptions)))
    a = p.parse_args(argv)
    fields = {f.name: f for f in dataclasses.fields(ServeOptions)}
    limits = {}
    try:
        for item in a.option:
            name, _, value = item.partition("=")
            if name not in fields or name == "api_keys":
                raise NewsmtError(f"unknown option {name!r}; known: {', '.join(n for n in fields if n != 'api_keys')}")
            limits[name] = _value(fields[name], value)
        cfg = load_config(a.config, a.set)
        serve(cfg, a.host, a.port, a.workers, a.api_keys, a.engine, **limits)
    except (NewsmtError, ValueError) as e:
        print(f"newsmt: error: {e}", file=sys.stderr)
        return getattr(e, "exit_code", 2)
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
