"""The JSON Schema of aspect files (schema.json, draft 2020-12): loading, the kind lists it
declares, and turning its validation errors into one located message."""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("schema.json")


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def join_point_kinds() -> frozenset:
    return frozenset(schema()["$defs"]["joinPoint"]["properties"])


def advice_kinds() -> frozenset:
    return frozenset(schema()["$defs"]["advice"]["properties"])


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    return jsonschema.Draft202012Validator(schema())


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def first_error(doc):
    """The most relevant schema violation of `doc` as (path, kind, message), or None."""
    import jsonschema

    errors = list(_validator().iter_errors(doc))
    # A misspelt key also makes the key it was meant to be "missing": report the misspelling.
    extra = [e for e in errors if e.validator == "additionalProperties"
             and any(e.absolute_path == r.absolute_path for r in errors if r.validator == "required")]
    error = jsonschema.exceptions.best_match(extra or errors)
    if error is None:
        return None
    path = list(error.absolute_path)
    kinds = join_point_kinds() | advice_kinds()
    kind = next((str(p) for p in reversed(path) if p in kinds), "")
    message = _message(error, path)
    if error.validator == "additionalProperties":
        path.append(sorted(set(error.instance) - set(error.schema.get("properties", {})), key=str)[0])
    return path, kind, message


def _message(error, path) -> str:
    v = error.validator
    if v == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        where = _where(path)
        if where in ("join point", "advice"):
            choices = join_point_kinds() if where == "join point" else advice_kinds()
            return f'unknown {where} kind "{extra[0]}"{did_you_mean(extra[0], choices)}'
        return f'unknown field "{extra[0]}"{did_you_mean(extra[0], error.schema.get("properties", {}))}'
    if v in ("minProperties", "maxProperties") and _where(path) in ("join point", "advice"):
        return f"{'an' if _where(path) == 'advice' else 'a'} {_where(path)} must have exactly one kind, got {len(error.instance)}"
    if v == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return f"expected {' or '.join(_JSON_TYPES.get(w, w) for w in wanted)}, got {_yaml_type(error.instance)}"
    if v == "minItems":
        return f"needs at least {error.validator_value} item{'s' if error.validator_value != 1 else ''}, got {len(error.instance)}"
    if v == "oneOf":
        return f"expected {_ONE_OF.get(path[-1] if path else '', 'a value of another shape')}, got {_yaml_type(error.instance)}"
    if v == "required":
        return error.message.replace("'", '"')
    if v == "pattern":
        return f"bad value {error.instance!r}"
    return error.message


_JSON_TYPES = {"array": "a list", "object": "a mapping", "string": "a string", "boolean": "a boolean",
               "integer": "an integer", "number": "a number", "null": "null"}
_ONE_OF = {"advice": "one advice mapping or a list of them", "function": "a list of function options",
           "package-filter": "a glob string or {pattern, root}", "prepend-statements": "a code template",
           "wrap-expression": "a code template", "assign-value": "a code template"}


def _where(path) -> str:
    for p in reversed(path):
        if p == "join-point" or p in ("all-of", "one-of", "not", "function-body"):
            return "join point"
        if p == "advice":
            return "advice"
        if isinstance(p, str) and p not in ("aspects",):
            return "field"
    return "field"


def _yaml_type(value) -> str:
    from .registry import yaml_type

    return yaml_type(value)
