"""The package's shape, read from the source with `ast`: no import cycles, each I/O library in one module,
nothing imported that the package does not declare, and development tooling kept out.

Every import counts, also one inside a function: a deferred import must not hide a cycle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from collections import defaultdict
from functools import lru_cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from tests.support.paths import ROOT

PACKAGE = ROOT / "mailintake"
# Each third-party I/O library, and the one module allowed to import it.
CONFINED = {
    "imapclient": "mailintake.mail.imap",
    "mailparser": "mailintake.mail.parsing",
    "mailparser_reply": "mailintake.mail.parsing",
    "smtplib": "mailintake.mail.smtp",
    "jinja2": "mailintake.outbox.compose",
    "nh3": "mailintake.mail.html",
    "weasyprint": "mailintake.year.report.render",
    "matplotlib": "mailintake.year.report.charts",
    "apscheduler": "mailintake.daemon.runner",
    "waitress": "mailintake.web.server",
    "prometheus_client": "mailintake.daemon.health",
    "msal": "mailintake.mail.oauth2",
    "google": "mailintake.mail.oauth2",
    "requests": "mailintake.mail.oauth2",
}
# The stages in the order a message flows through them; a stage imports only those before it.
LAYERS = ("errors", "domain", "faults", "backoff", "memory", "config", "store", "mail", "triage", "outbox", "intake", "review",
          "year", "daemon", "web", "cli", "__main__")
ALEMBIC_SCRIPTS = "mailintake.store.migrations"  # run by Alembic, which imports them itself


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=1)
def sources() -> dict[str, tuple[Path, ast.Module]]:
    return {module_name(p): (p, ast.parse(p.read_text("utf-8"), str(p))) for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, tree: ast.Module, is_package: bool) -> set[str]:
    """Every module `name` imports, anywhere in its body; relative imports resolved."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return found


@lru_cache(maxsize=1)
def graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports, with the packages Python runs on the way."""
    modules = sources()
    edges: dict[str, set[str]] = {}
    for name, (path, tree) in modules.items():
        targets = set()
        for target in imported(name, tree, path.name == "__init__.py"):
            parts = target.split(".")
            for end in range(1, len(parts) + 1):
                prefix = ".".join(parts[:end])
                if prefix in modules and prefix != name and not name.startswith(prefix + "."):
                    targets.add(prefix)  # a parent package of the importer is already initialised
        edges[name] = targets
    return edges


def top_level_imports(name: str) -> set[str]:
    """The top-level packages a module imports (`mailintake` itself left out)."""
    path, tree = sources()[name]
    return {t.split(".")[0] for t in imported(name, tree, path.name == "__init__.py") if t} - {"mailintake"}


def third_party(name: str) -> set[str]:
    return {top for top in top_level_imports(name) if top not in sys.stdlib_module_names}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
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

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_the_import_graph_is_read_from_every_module():
    edges = graph()
    assert len(edges) > 60
    assert "mailintake.intake.ledger" in edges["mailintake.intake.poll"]
    assert "mailintake.store.models" in edges["mailintake.intake.ledger"]


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_stages_import_only_earlier_stages():
    wrong = []
    for module, targets in graph().items():
        here = layer(module)
        for target in targets:
            there = layer(target)
            if here in LAYERS and there in LAYERS and LAYERS.index(there) > LAYERS.index(here):
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_every_stage_is_placed_in_the_flow():
    assert {layer(m) for m in sources() if layer(m)} <= set(LAYERS)


@pytest.mark.parametrize("library", sorted(CONFINED))
def test_each_io_library_sits_in_one_module(library):
    users = sorted(m for m in sources() if not m.startswith(ALEMBIC_SCRIPTS) and library in top_level_imports(m))
    assert users == [CONFINED[library]]


def test_the_package_imports_only_what_it_declares():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {_distribution(spec) for spec in project["dependencies"]}
    distributions = packages_distributions()
    undeclared = {}
    for module in sources():
        for top in third_party(module):
            owners = {_normalise(d) for d in distributions.get(top, [top])}
            if not owners & declared:
                undeclared[module] = top
    assert undeclared == {}


def test_no_development_tooling_in_the_package():
    names = set(sources())
    assert not any(part in names for part in ("mailintake.devmail", "mailintake.mailgen", "mailintake.bench"))
    importers = sorted(m for m in names if {"devkit", "tests", "aiosmtpd", "pytest"} & third_party(m))
    assert importers == []


def test_every_exception_derives_from_the_one_root():
    from mailintake import errors

    classes = defaultdict(list)
    for name, (_, tree) in sources().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(_base_name(b).endswith(("Error", "Exception", "Failure"))
                                                      for b in node.bases):
                classes[name].append(node.name)
    assert set(classes) == {"mailintake.errors"}
    for name in classes["mailintake.errors"]:
        assert issubclass(getattr(errors, name), errors.MailintakeError)


def _base_name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def _distribution(spec: str) -> str:
    name = spec.split(";")[0]
    for stop in "<>=!~[ ":
        name = name.split(stop)[0]
    return _normalise(name)


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def test_a_command_imports_only_what_it_uses():
    """Every CLI call (and each analysis worker, which re-imports the main module) pays for what the CLI imports."""
    probe = ("import sys; from mailintake.cli import build_parser; build_parser(); "
             "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))")
    loaded = set(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split())
    assert loaded.isdisjoint({"matplotlib", "weasyprint", "flask", "msal", "google", "alembic", "apscheduler",
                              "imapclient", "mailparser", "waitress"})
