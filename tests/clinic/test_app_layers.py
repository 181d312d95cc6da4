"""The apps depend downward only: core and audit on nothing of ours, staff on audit, patients
and sessions on those (sessions on patients too), dashboard and demo on the rest, ops (health
and backups) on core alone, and the project package clinic wires them together. No lazy
import hides a cycle: an import inside a function counts as much as one at the top of a
module."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What each app may import from (besides itself). `core` is plain helpers, not a Django app.
MAY_IMPORT = {
    "core": set(),
    "audit": set(),
    "staff": {"core", "audit"},
    "patients": {"core", "audit", "staff"},
    "sessions": {"core", "audit", "staff", "patients"},
    "dashboard": {"core", "audit", "staff", "patients", "sessions"},
    "jobs": {"core"},
    "demo": {"core", "audit", "staff", "patients", "sessions"},
    "ops": {"core"},
    "clinic": {
        "core",
        "audit",
        "staff",
        "patients",
        "sessions",
        "dashboard",
        "jobs",
        "demo",
        "ops",
    },
}
OURS = set(MAY_IMPORT)


def app_modules():
    for app in sorted(OURS):
        for path in sorted((ROOT / app).rglob("*.py")):
            if {"migrations", "tests"} & set(path.relative_to(ROOT).parts):
                continue
            yield app, path


def imported_apps(path):
    """(app, line, at the top of the module?) for each import of one of our apps."""
    tree = ast.parse(path.read_text(), filename=str(path))
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            app = name.split(".")[0]
            if app in OURS:
                yield app, node.lineno, id(node) in top_level


def test_no_app_imports_upward_or_sideways():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for app, path in app_modules()
        for imported, line, _ in imported_apps(path)
        if imported != app and imported not in MAY_IMPORT[app]
    ]
    assert wrong == []


def test_the_layers_have_no_cycle():
    # The allowed imports alone must form no cycle, or the rule above would permit one.
    done, visiting = set(), set()

    def visit(app, trail):
        assert app not in visiting, f"cycle: {' -> '.join([*trail, app])}"
        if app in done:
            return
        visiting.add(app)
        for lower in MAY_IMPORT[app]:
            visit(lower, [*trail, app])
        visiting.discard(app)
        done.add(app)

    for app in MAY_IMPORT:
        visit(app, [])


def test_no_lazy_import_of_our_own_code():
    # An AppConfig.ready() may import the modules that connect signals: that is what it is for.
    lazy = [
        f"{path.relative_to(ROOT)}:{line} imports {imported} inside a function"
        for _, path in app_modules()
        if path.name != "apps.py"
        for imported, line, at_top in imported_apps(path)
        if not at_top
    ]
    assert lazy == []


def test_every_app_is_checked():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps - OURS == set()
