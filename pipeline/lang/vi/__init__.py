"""The Vietnamese rules as data: YAML files beside this module, loaded once.

Code reads vocabularies through `load(name)`; a new abbreviation or heading word is a line in
a YAML file, not a code change. Each file may carry `examples` that run as tests.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent


# libyaml's loader when PyYAML was built with it: ten times faster at start-up
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def load(name: str):
    with open(HERE / f"{name}.yaml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)
