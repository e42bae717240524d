"""The window's modules depend on each other one way only: no cycle, not even for type hints."""

from __future__ import annotations

import ast
from pathlib import Path

import flowsery_gui.ui

UI = Path(flowsery_gui.ui.__file__).parent
PREFIX = "flowsery_gui.ui."


def ui_imports(path: Path) -> set[str]:
    """The `flowsery_gui.ui` modules a file imports anywhere (top level, functions,
    TYPE_CHECKING blocks), by their short names."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from flowsery_gui.ui import icons` imports a module; `from x.y import Name` x.y
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            short = name.removeprefix(PREFIX)
            if name.startswith(PREFIX) and (UI / f"{short}.py").is_file():
                found.add(short)
    return found


def graph() -> dict[str, set[str]]:
    """Every ui module and the ui modules it imports."""
    return {path.stem: ui_imports(path) - {path.stem} for path in sorted(UI.glob("*.py"))}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path of module names (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_no_import_cycle_between_window_modules() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle_through_a_type_checking_import(tmp_path: Path) -> None:
    """The check can fail: a TYPE_CHECKING import back to the window closes a loop."""
    module = tmp_path / "panel.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from flowsery_gui.ui.main_window import MainWindow\n",
        encoding="utf-8",
    )
    edges = graph()
    edges["panel"] = ui_imports(module)
    edges["main_window"] = {*edges["main_window"], "panel"}
    assert find_cycle(edges) == ["main_window", "panel", "main_window"]


def test_the_context_and_the_services_import_no_widget_module() -> None:
    """Services stay apart from widgets: the context reaches only services and view models."""
    services = {"context", "history_service", "target", "tasks", "form_model", "plain"}
    services.add("metadata_model")  # the form's metadata table: a view model, no widget
    services |= {"suite_service", "suite_files", "suite_run", "suite_log"}  # goal suites
    services.add("test_identity")  # the profiles' test IDs: a service, no widget
    # The tracking plan and the sandbox's received goals: a service, a feed and its model.
    services |= {"plan_service", "received_feed", "received_model"}
    edges = graph()
    reached: set[str] = set()
    todo = ["context"]
    while todo:
        module = todo.pop()
        for nxt in edges[module] - reached:
            reached.add(nxt)
            todo.append(nxt)
    assert reached <= services, sorted(reached - services)
