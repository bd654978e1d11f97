"""Read YAML keeping the position of every value; write canonical YAML.

PyYAML's ``safe_load`` forgets where things were, silently keeps the last of
two equal keys and turns ``2023-02-30`` into an exception (or ``2022-12-06``
into a ``date``) before we can say which line is wrong. So we compose the
node tree ourselves and convert it: dates stay strings (the status parsers in
:mod:`watwerkt.status.values` check them), keys stay the words written, and
every value remembers its line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import CatalogueError, Collector, Mark, Path, Positions

Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

TAG = "tag:yaml.org,2002:"
# Scalars converted to Python values; timestamps are left as the text written.
_CONVERTED = {f"{TAG}{name}" for name in ("int", "float", "bool", "null")}
_TEXT = {f"{TAG}str", f"{TAG}timestamp"}

# Aliases can make a small file expand enormously ("billion laughs"); no real
# catalogue comes near this many values.
MAX_NODES = 5_000_000


@dataclass
class Document:
    data: Any
    positions: Positions = field(default_factory=Positions)


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class _Converter:
    def __init__(self, collector: Collector) -> None:
        self.collector = collector
        self.positions = collector.positions
        self.constructor = yaml.constructor.SafeConstructor()
        self.count = 0

    def convert(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge
        self.positions.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, f"{TAG}seq", path)
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        self._check_tag(node, f"{TAG}map", path)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == f"{TAG}merge":
                message = "keys must be plain words (no <<, lists or maps)"
                self.collector.at(_mark(key_node), message, path)
                continue
            key = str(key_node.value)  # the word written: `no:` is the key "no", not False
            where = (*path, key)
            if key in result:
                first = self.positions.keys[where]
                message = f"duplicate key {key!r} (first at {first})"
                self.collector.at(_mark(key_node), message, where)
                continue
            self.positions.keys[where] = _mark(key_node)
            result[key] = self.convert(value_node, where)
        return result

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        if node.tag in _TEXT:
            return str(node.value)
        if node.tag in _CONVERTED:
            return self.constructor.construct_object(node, deep=True)
        self.collector.add(path, f"unsupported YAML tag {node.tag!r}")
        return None

    def _check_tag(self, node: yaml.Node, expected: str, path: Path) -> None:
        if node.tag != expected:
            self.collector.add(path, f"unsupported YAML tag {node.tag!r}")


class _TooLarge(Exception):
    pass


def load_yaml(text: str, filename: str) -> tuple[Document, list[CatalogueError]]:
    """The document and the errors found reading it (syntax, duplicate keys, tags)."""
    collector = Collector(filename)
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else None
        problem = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        collector.at(where, f"YAML syntax error: {problem}")
        return Document(None), collector.errors
    except yaml.YAMLError as exc:  # e.g. a control character the reader refuses
        collector.at(None, f"YAML error: {exc}")
        return Document(None), collector.errors
    if root is None:
        collector.at(Mark(1, 1), "the file is empty; a catalogue starts with 'watwerkt: 1'")
        return Document(None), collector.errors
    converter = _Converter(collector)
    try:
        data = converter.convert(root, ())
    except _TooLarge:
        collector.at(_mark(root), f"more than {MAX_NODES:,} values (aliases expanding?)")
        return Document(None), collector.errors
    return Document(data, collector.positions), collector.errors


# -- writing ------------------------------------------------------------------


class CanonicalDumper(Dumper):  # type: ignore[valid-type,misc]
    """Block style, keys in the order given, dates written plain.

    Without the timestamp resolver the emitter no longer quotes ``2023-03-15``;
    our loader reads it back as the same string either way, and people read
    dates without quotes more easily.
    """


CanonicalDumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != f"{TAG}timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


class Flow(dict[str, Any]):
    """A small mapping written on one line: ``{id: e-loket, kind: online, name: E-loket}``."""


def _represent_flow(dumper: yaml.SafeDumper, value: Flow) -> yaml.MappingNode:
    return dumper.represent_mapping(f"{TAG}map", value, flow_style=True)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(f"{TAG}str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    # Lists of words (keywords, dependencies) read best on one line.
    flow = bool(value) and all(isinstance(v, str) and "\n" not in v for v in value)
    return dumper.represent_sequence(f"{TAG}seq", value, flow_style=flow)


CanonicalDumper.add_representer(str, _represent_str)
CanonicalDumper.add_representer(list, _represent_list)
CanonicalDumper.add_representer(Flow, _represent_flow)


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=CanonicalDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100_000,  # never fold a long text over several lines: diffs stay readable
        indent=2,
    )
