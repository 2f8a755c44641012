"""What every command does first or last: load the config, open the database, print JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Iterable

from ..config import Config, config_path, from_dict, load
from ..store.database import Database


def load_config(args: argparse.Namespace) -> Config:
    """`--config PATH`, else `$MAILINTAKE_CONFIG`, else ./config.toml."""
    return load(config_path(args.config))


def config_or_defaults(args: argparse.Namespace) -> Config:
    """The config as `load_config` finds it; the embedded defaults when none was named and ./config.toml is
    absent (the offline commands run anywhere, and read what the office configured where there is a config)."""
    path = config_path(args.config)
    if not args.config and not path.exists():
        return from_dict({}, source="embedded defaults")
    return load(path)


def open_database(config: Config, require_current: bool = True) -> Database:
    """The configured database; commands refuse a schema older than this program unless asked not to."""
    database = Database(config.database.resolved_url())
    if require_current:
        database.require_current_schema()
    return database


def configured(args: argparse.Namespace) -> tuple[Config, Database]:
    config = load_config(args)
    return config, open_database(config)


def print_json(data, *, pretty: bool = False) -> None:
    """One line of JSON, or (pretty) indented with the text as written."""
    if pretty:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(json.dumps(data, ensure_ascii=False))
    sys.stdout.flush()


def print_json_array(items: Iterable) -> None:
    """A JSON array as `print_json(list(items), pretty=True)` prints it, written item by item as they come."""
    out = sys.stdout
    opened = False
    for item in items:
        out.write(",\n  " if opened else "[\n  ")
        out.write(json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  "))
        opened = True
    out.write("\n]\n" if opened else "[]\n")
    out.flush()
