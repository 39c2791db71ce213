"""One direction of dependency: each package imports only the packages below it, lowest first
config < accounts < tracker < reminders < sharing < portability < api (config/settings.py and
config/urls.py are the wiring and may name every package), and no two packages import each other.

The check reads the source with `ast` (imports inside functions count too) and imports nothing,
so a violation fails here however the code around it behaves.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["config", "accounts", "tracker", "reminders", "sharing", "portability", "api"]
WIRING = {"config/settings.py", "config/urls.py"}


def imported_packages(source: str) -> set[str]:
    """Hearth's packages that a module's source imports, anywhere in it."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return {name.split(".")[0] for name in names} & set(LAYERS)


def layer_violations(sources: dict[str, str]) -> list[str]:
    """What breaks the layering among modules given as {"package/module.py": source}."""
    problems = []
    imports: dict[str, set[str]] = {package: set() for package in LAYERS}
    for path, source in sorted(sources.items()):
        package = path.split("/")[0]
        if path in WIRING:
            continue
        for imported in sorted(imported_packages(source) - {package}):
            imports[package].add(imported)
            if LAYERS.index(imported) > LAYERS.index(package):
                problems.append(f"{path} imports {imported}, a layer above {package}")
    for index, package in enumerate(LAYERS):
        for other in LAYERS[index + 1 :]:
            if other in imports[package] and package in imports[other]:
                problems.append(f"{package} and {other} import each other")
    return problems


def package_sources() -> dict[str, str]:
    """Every module of the packages, migrations left out (they are history, not layout)."""
    return {
        path.relative_to(ROOT).as_posix(): path.read_text()
        for package in LAYERS
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.relative_to(ROOT).parts
    }


def test_every_package_imports_only_the_layers_below_it():
    sources = package_sources()
    assert {path.split("/")[0] for path in sources} == set(LAYERS)
    assert layer_violations(sources) == []


def test_the_check_catches_an_import_from_above_and_two_packages_importing_each_other():
    planted = {
        "config/views.py": "def page():\n    from accounts.models import User\n",
        "accounts/models.py": "from tracker import models\n",
        "tracker/models.py": "from accounts.models import User\n",
        "config/urls.py": "from api import urls\n",
        "api/urls.py": "from portability import views\nfrom config.errors import error_body\n",
    }
    assert layer_violations(planted) == [
        "accounts/models.py imports tracker, a layer above accounts",
        "config/views.py imports accounts, a layer above config",
        "accounts and tracker import each other",
    ]
