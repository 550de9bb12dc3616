"""The shape of the code: the four packages import strictly downward (models <- skills <- worker
<- assistant), no module imports another project module inside a function, there is no import
cycle, and light parts stay light: the schedule maths and the plain-words parser load no
database engine, no mail and no Slack client, and the command line loads none of the SDKs of
the surfaces it serves (MCP, FastAPI, uvicorn, Slack, Anthropic) nor Alembic until a command
needs one. Around the product: the tests may import bench's
kit (bench.kit) and nothing else of bench; bench never imports the tests; the product imports
neither."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("models", "skills", "worker", "assistant")
# what each folder may not import (anywhere, functions included): a package, or a package but
# for the part named after "but"
AROUND: dict[str, list[tuple[str, str | None]]] = {
    "tests": [("bench", "bench.kit")],
    "bench": [("tests", None)],
    **{layer: [("tests", None), ("bench", None)] for layer in LAYERS},
}


def project_modules() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for package in LAYERS:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue  # alembic scripts, run by alembic rather than imported
            name = ".".join(parts).removesuffix(".__init__")
            modules[name] = path
    return modules


MODULES = project_modules()


def imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The project modules an import statement loads (`from pkg import mod` names pkg.mod)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif node.level or node.module is None:
        names = []
    else:
        subs = [f"{node.module}.{alias.name}" for alias in node.names]
        names = [s for s in subs if s in MODULES]
        if len(names) < len(subs):
            names.append(node.module)
    found = []
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name:
            found.append(name)
    return found


def import_statements(
    tree: ast.AST, *, in_function: bool = False, type_only: bool = False
) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool, bool]]:
    """Each import with whether it sits in a function and whether only type checkers see it."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, in_function, type_only
        yield from import_statements(
            child,
            in_function=in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef),
            type_only=type_only
            or (isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)),
        )


def import_graph() -> tuple[dict[str, set[str]], list[str]]:
    """Module-level edges between project modules, and every import made inside a function."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    in_functions: list[str] = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, in_function, type_only in import_statements(tree):
            for target in imported(node):
                if target == name:
                    continue
                if in_function:
                    in_functions.append(f"{name}:{node.lineno} imports {target}")
                elif not type_only:
                    graph[name].add(target)
    return graph, in_functions


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_layout_is_found() -> None:
    assert {"models.store.run_queue", "worker.schedule.parse", "assistant.cli.root"} <= set(MODULES)


def test_packages_import_strictly_downward() -> None:
    graph, _ = import_graph()
    upward = [
        f"{source} imports {target}"
        for source, targets in graph.items()
        for target in targets
        if LAYERS.index(target.split(".")[0]) > LAYERS.index(source.split(".")[0])
    ]
    assert upward == []


def test_no_project_module_is_imported_inside_a_function() -> None:
    _, in_functions = import_graph()
    assert in_functions == []


def test_there_is_no_import_cycle() -> None:
    graph, _ = import_graph()
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


HEAVY = (
    "sqlalchemy",
    "sqlmodel",
    "smtplib",
    "slack_sdk",
    "anthropic",
    "jinja2",
    "models.engine",
    "models.store",
    "worker.tick",
    "worker.delivery",
    "worker.run",
)


# what a command line start does without until a command needs it: the SDKs of the surfaces
# it serves, each a noticeable part of a second to import (mcp alone over one), and the
# migration tool
NOT_AT_START = (
    "mcp",
    "fastapi",
    "uvicorn",
    "slack_bolt",
    "slack_sdk",
    "anthropic",
    "prometheus_client",
    "playwright",
    "alembic",
)


def loaded_after_import(
    module: str, heavy: tuple[str, ...] = HEAVY, *, then: str = ""
) -> list[str]:
    """Which of `heavy` (packages or modules) a fresh interpreter has loaded after importing
    `module` and running `then`."""
    code = (
        f"import sys, json, {module}\n"
        f"{then}\n"
        f"heavy = {heavy!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules\n"
        "    if any(m == h or m.startswith(h + '.') for h in heavy))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded: list[str] = json.loads(done.stdout)
    return loaded


@pytest.mark.parametrize("module", ["worker.schedule", "assistant.language"])
def test_light_parts_load_no_adapter_and_no_database(module: str) -> None:
    assert loaded_after_import(module) == []


def test_the_heavy_list_would_notice_an_adapter() -> None:
    assert "worker.delivery.slack" in loaded_after_import("worker.delivery.slack")


def test_the_command_line_starts_without_the_sdks_of_its_surfaces_or_the_migrations() -> None:
    assert loaded_after_import("assistant.cli.root", NOT_AT_START) == []


# what `skilltick --help` (or a mistyped command) has no use for: the application (the tool
# set, the tables, the skills) behind every command, over a second of a start
NOT_FOR_HELP = (*NOT_AT_START, "sqlalchemy", "sqlmodel", "assistant.app", "assistant.tools")
RUN_HELP = """
import contextlib, io
from assistant.cli.root import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main({args!r})
"""


def test_help_lists_every_command_without_loading_the_application() -> None:
    then = RUN_HELP.format(args=["--help"])
    assert loaded_after_import("assistant.cli.root", NOT_FOR_HELP, then=then) == []


def test_a_command_loads_what_it_uses_and_not_the_sdks_of_other_surfaces() -> None:
    loaded = loaded_after_import(
        "assistant.cli.root", NOT_FOR_HELP, then=RUN_HELP.format(args=["chat", "--help"])
    )
    assert "assistant.app" in loaded  # chat talks to the conversation engine
    assert {name.split(".")[0] for name in loaded}.isdisjoint(NOT_AT_START)


def test_a_surface_loads_its_sdk_when_built() -> None:
    built = loaded_after_import(
        "assistant.cli.root",
        NOT_AT_START,
        then="from assistant.mcp.plain import plain_server; plain_server('x', instructions='')",
    )
    assert "mcp" in {name.split(".")[0] for name in built}


def imported_names(source: str) -> set[str]:
    """What every absolute import in `source` loads, wherever it stands (`from a import b` is
    a.b, whether b is a module or a name in a)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def crossing(name: str, rules: list[tuple[str, str | None]]) -> bool:
    """True when `name` is in a banned package and not in the part of it that is allowed."""
    return any(
        within(name, banned) and not (allowed and within(name, allowed))
        for banned, allowed in rules
    )


def test_tests_import_only_benchs_kit_bench_never_tests_and_the_product_neither() -> None:
    crossings = [
        f"{path.relative_to(ROOT)} imports {name}"
        for folder, rules in AROUND.items()
        for path in sorted((ROOT / folder).rglob("*.py"))
        for name in sorted(imported_names(path.read_text(encoding="utf-8")))
        if crossing(name, rules)
    ]
    assert crossings == []


def test_the_folder_rule_would_notice_crossings() -> None:
    source = (
        "import json\n"
        "from bench.kit.peers import postgres\n"
        "def run():\n"
        "    from tests.factories import make_org\n"
        "    from bench import tick_throughput\n"
    )
    names = imported_names(source)
    assert sorted(n for n in names if crossing(n, AROUND["bench"])) == ["tests.factories.make_org"]
    assert sorted(n for n in names if crossing(n, AROUND["tests"])) == ["bench.tick_throughput"]
    assert sorted(n for n in names if crossing(n, AROUND["models"])) == [
        "bench.kit.peers.postgres",
        "bench.tick_throughput",
        "tests.factories.make_org",
    ]
