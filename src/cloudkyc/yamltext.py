"""YAML read with libyaml's safe loader when PyYAML has it: the catalog and vocabularies load
about ten times faster than with the pure-Python one, and every command starts sooner."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader either way
