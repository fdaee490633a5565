"""The category registry: built-ins, installed plugins (entry points) and `--plugin` files, by name."""

from __future__ import annotations

import importlib.util
from importlib.metadata import entry_points
from pathlib import Path

from singleton.categories.base import DEFAULT_ERROR_SPACE, Category, Rule, rule_for_name
from singleton.errors import SingletonError

ENTRY_POINT_GROUP = "singleton.categories"

_BUILTIN_MODULES = ("birth_date", "death_date", "birth_place", "death_place")


def _categories_in(namespace: dict[str, object]) -> list[Category]:
    """A plugin module's categories: its `CATEGORIES` list if it has one, else every module-level Category."""
    declared = namespace.get("CATEGORIES")
    if declared is not None:
        return list(declared)  # type: ignore[call-overload]
    return [value for value in namespace.values() if isinstance(value, Category)]


def builtin_categories() -> list[Category]:
    """The four built-in categories, in a fixed order."""
    found: list[Category] = []
    for module_name in _BUILTIN_MODULES:
        module = importlib.import_module(f"singleton.categories.{module_name}")
        found.extend(_categories_in(vars(module)))
    return found


def load_plugin_file(path: str | Path) -> list[Category]:
    """Categories defined in a user's Python file (`--plugin PATH.py`); the file is the user's own code."""
    path = Path(path)
    if not path.is_file():
        raise SingletonError("E006", f"plugin file {str(path)!r} does not exist")
    spec = importlib.util.spec_from_file_location(f"singleton_plugin_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise SingletonError("E006", f"plugin file {str(path)!r} is not a Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # a plugin's own bug must become one line, not a traceback
        raise SingletonError("E006", f"plugin file {str(path)!r} failed to load: {exc}") from exc
    categories = _categories_in(vars(module))
    if not categories:
        raise SingletonError("E006", f"plugin file {str(path)!r} defines no Category")
    return categories


def registry(plugins: tuple[str | Path, ...] | list[str | Path] = ()) -> dict[str, Category]:
    """Every category by name: built-ins, then installed entry points, then plugin files (later names win)."""
    categories = {category.name: category for category in builtin_categories()}
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        loaded = entry_point.load()
        for category in loaded if isinstance(loaded, (list, tuple)) else [loaded]:
            categories[category.name] = category
    for path in plugins:
        for category in load_plugin_file(path):
            categories[category.name] = category
    return categories


def select(names: list[str] | None, plugins: tuple[str | Path, ...] | list[str | Path] = ()) -> list[Category]:
    """The categories a run enables (all when `names` is None); an unknown name is an input error."""
    known = registry(plugins)
    if names is None:
        return list(known.values())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SingletonError(
            "E004", f"unknown category {unknown[0]!r}; known: {', '.join(sorted(known))}"
        )
    return [known[name] for name in names]


def rule_for(name: str, known: dict[str, Category] | None = None) -> Rule:
    """The compatibility rule for a category name: the registered category's, else by its suffix."""
    category = (known if known is not None else registry()).get(name)
    return category.rule if category is not None else rule_for_name(name)


def error_space_for(name: str, known: dict[str, Category] | None = None) -> int:
    """min |E_c| for a category name: the registered category's, else the default of its rule."""
    category = (known if known is not None else registry()).get(name)
    return category.error_space if category is not None else DEFAULT_ERROR_SPACE[rule_for_name(name)]


__all__ = [
    "Category",
    "Rule",
    "builtin_categories",
    "error_space_for",
    "load_plugin_file",
    "registry",
    "rule_for",
    "select",
]
