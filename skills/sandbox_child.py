"""The template renderer process (started by skills.sandbox, never imported by the service).

It reads length-prefixed JSON requests on stdin ({"template", "context", "max_chars"}) and
answers each on stdout with {"text": ...} or {"error": kind, "message": ...}. It imports only
the standard library and Jinja2, renders in Jinja's sandbox, caps its own address space (a
template that builds a huge value gets a MemoryError, not the host's memory) and stops
rendering as soon as the output passes `max_chars`. The parent kills it when a render runs out
of time.
"""

from __future__ import annotations

import json
import resource
import struct
import sys
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

_HEADER = struct.Struct(">I")
_CACHE_SIZE = 256


class _Sandbox(SandboxedEnvironment):
    """Jinja folds constant expressions while compiling; `'x' * 20000000` would then be built
    (and written into the compiled code) before any limit applies. Intercepted operators are
    never folded: they are evaluated while rendering, like everything else."""

    intercepted_binops = frozenset(["*", "**", "+", "%", "//"])


def _render(env: SandboxedEnvironment, cache: dict[str, Template], request: Any) -> dict[str, Any]:
    source, limit = request["template"], request["max_chars"]
    try:
        template = cache.get(source)
        if template is None:
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            template = cache[source] = env.from_string(source)
        size, chunks = 0, []
        for chunk in template.generate(request["context"]):
            size += len(chunk)
            if size > limit:
                return {"error": "output", "message": ""}
            chunks.append(chunk)
        return {"text": "".join(chunks)}
    except MemoryError:
        return {"error": "memory", "message": ""}
    except TemplateError as exc:
        return {"error": "template", "message": str(exc.message or exc)}
    except RecursionError:
        return {"error": "template", "message": "too deeply nested"}
    except Exception as exc:  # arithmetic and type errors of the template's own expressions
        return {"error": "template", "message": f"{type(exc).__name__}: {exc}"}


def main() -> None:
    memory = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    env = _Sandbox(undefined=StrictUndefined, autoescape=False)
    cache: dict[str, Template] = {}
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(b"R")  # ready: the parent's time limits start counting from here
    stdout.flush()
    while True:
        header = stdin.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        request = json.loads(stdin.read(_HEADER.unpack(header)[0]))
        try:
            reply = json.dumps(_render(env, cache, request)).encode()
        except MemoryError:
            reply = b'{"error": "memory", "message": ""}'
        stdout.write(_HEADER.pack(len(reply)) + reply)
        stdout.flush()


if __name__ == "__main__":
    main()
