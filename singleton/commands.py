"""One function per CLI command: call the API, print for people, return the exit status."""

from __future__ import annotations

import argparse

from singleton import categories as category_registry


def categories(args: argparse.Namespace) -> int:
    """`singleton categories`: name, compatibility rule, error space and description of each category."""
    known = category_registry.registry(args.plugin)
    width = max(len(name) for name in known)
    for category in known.values():
        print(f"{category.name:<{width}}  {category.rule:<5}  |E|={category.error_space:<5}  {category.description}")
    return 0
