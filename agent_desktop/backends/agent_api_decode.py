"""The first page's answers read without pydantic's validators (startup/fast_start.py, 13).

Building a model's validator is the costly part of pydantic at a start: the models the first page
decodes (the sign-in, the agents, the templates, the team settings and a page of threads, 16
models with their parts) took ~80 M instructions to build, 4 % of a start, before the first row
could be painted. Until the first page is painted (`hand_decoding`), `decode` reads those
answers itself into the same model classes (`model_construct`) and pydantic builds each
validator later, on the model's first `model_validate`.

It is strict, never looser than pydantic: it takes a value only in the one exact form the server
sends (a `str` for a string, an `int` that is not a bool for an integer, a UTC time written as
`2026-12-07T14:28:14.569131Z`, a JSON object for a model...) and gives the same model as
pydantic would; anything else (a number written as a string, another time zone, a missing
field, a wrong type) makes it give up, and the caller validates with pydantic as before, which
accepts or refuses it with its usual error. What it reads is taken from each model's own fields
(`model_fields`), so a field added to a model is read without a change here; a model whose
fields it does not know how to read (a validator, an alias, a constraint, another type) is
always left to pydantic.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

__all__ = ["decode", "hand_decoding"]

M = TypeVar("M", bound=BaseModel)

_on = False


def hand_decoding(on: bool) -> None:
    """Decode answers by hand (`decode`) or not: on from the start of the app until its first
    page is painted; off everywhere else (the server, the tests, the rest of a session)."""
    global _on
    _on = on


class _Mismatch(Exception):
    """Not in the one form read here: pydantic decides."""


_MISSING = object()
_UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|\+00:00)", re.ASCII)

Reader = Callable[[Any], Any]


def decode(model: type[M], payload: Any) -> M | None:
    """`payload` as a `model`, equal to `model.model_validate(payload)`, or None when hand
    decoding is off or `payload` is not exactly in the form read here (the caller then validates
    it with pydantic)."""
    if not _on:
        return None
    reader = _model_reader(model)
    if reader is None:
        return None
    try:
        value: M = reader(payload)
    except _Mismatch:
        return None
    return value


def _exact(kind: type) -> Reader:
    def read(value: Any) -> Any:
        if type(value) is not kind:
            raise _Mismatch
        return value

    return read


def _utc_time(value: Any) -> datetime:
    if type(value) is not str or not _UTC_TIME.fullmatch(value):
        raise _Mismatch
    try:
        return datetime.fromisoformat(value)  # its time zone is `datetime.UTC` itself
    except ValueError:  # a day or an hour out of range: pydantic words the error
        raise _Mismatch from None


def _optional(inner: Reader) -> Reader:
    def read(value: Any) -> Any:
        return None if value is None else inner(value)

    return read


def _one_of(allowed: frozenset[str]) -> Reader:
    def read(value: Any) -> Any:
        if type(value) is not str or value not in allowed:
            raise _Mismatch
        return value

    return read


def _list_of(item: Reader) -> Reader:
    def read(value: Any) -> Any:
        if type(value) is not list:
            raise _Mismatch
        return [item(v) for v in value]

    return read


def _dict_of(item: Reader) -> Reader:
    def read(value: Any) -> Any:
        if type(value) is not dict:
            raise _Mismatch
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise _Mismatch
            out[k] = item(v)
        return out

    return read


_READERS: dict[type[BaseModel], Reader | None] = {}
_SCALARS: dict[Any, Reader] = {
    str: _exact(str),
    int: _exact(int),
    bool: _exact(bool),
    float: _exact(float),
    datetime: _utc_time,
}


def _reader(annotation: Any) -> Reader | None:
    """How to read a value of `annotation`, or None when it is not a type read here."""
    scalar = _SCALARS.get(annotation)
    if scalar is not None:
        return scalar
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model_reader(annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Literal:
        return _one_of(frozenset(args)) if all(type(a) is str for a in args) else None
    if origin in (types.UnionType, typing.Union):
        others = [a for a in args if a is not type(None)]
        inner = _reader(others[0]) if len(others) == 1 and len(args) == 2 else None
        return _optional(inner) if inner is not None else None
    if origin is list and len(args) == 1:
        item = _reader(args[0])
        return _list_of(item) if item is not None else None
    if origin is dict and len(args) == 2 and args[0] is str:
        item = _reader(args[1])
        return _dict_of(item) if item is not None else None
    return None


def _plain(model: type[BaseModel]) -> bool:
    """Whether pydantic would do nothing for `model` beyond checking its fields' types: no
    validators or serializers, no aliases, no constraints, no other configuration."""
    config = model.model_config
    if set(config) - {"extra", "frozen", "defer_build"} or config.get("extra") != "ignore":
        return False
    decorators = model.__pydantic_decorators__
    if any(
        (
            decorators.validators,
            decorators.field_validators,
            decorators.root_validators,
            decorators.model_validators,
            decorators.field_serializers,
            decorators.model_serializers,
            decorators.computed_fields,
        )
    ):
        return False
    return all(
        f.alias is None and f.validation_alias is None and not f.metadata and not f.discriminator
        for f in model.model_fields.values()
    )


_IMMUTABLE = (type(None), str, int, float, bool)
_PLAIN_TYPES = (str, int, bool, float)


def _field(annotation: Any) -> tuple[type | None, bool, Reader | None] | None:
    """How one field is read: a type its value must have exactly (with whether None is taken
    too), else a reader; None when it is not read here."""
    if annotation in _PLAIN_TYPES:
        return annotation, False, None
    if typing.get_origin(annotation) in (types.UnionType, typing.Union):
        args = typing.get_args(annotation)
        if len(args) == 2 and type(None) in args:
            other = args[0] if args[1] is type(None) else args[1]
            if other in _PLAIN_TYPES:
                return other, True, None
    read = _reader(annotation)
    return (None, False, read) if read is not None else None


def _model_reader(model: type[BaseModel]) -> Reader | None:
    """A reader making `model` as pydantic's validator would (the same `__dict__`, fields set,
    extra and private parts, then `model_post_init`), or None when it cannot."""
    if model in _READERS:
        return _READERS[model]
    _READERS[model] = None  # a model that holds itself is left to pydantic
    fields: list[tuple[str, type | None, bool, Reader | None, bool, Any, Any]] = []
    for name, info in model.model_fields.items() if _plain(model) else ():
        how = _field(info.annotation)
        factory = info.default_factory
        if how is None:
            return None
        # (Asked only of a function: for a class such as `list`, pydantic reads its signature
        # from its text, compiling tokenize's large regular expression.)
        if (
            factory is not None
            and not isinstance(factory, type)
            and info.default_factory_takes_validated_data
        ):
            return None
        if not info.is_required() and factory is None and type(info.default) not in _IMMUTABLE:
            return None  # pydantic would copy a mutable default
        exact, nullable, read = how
        fields.append((name, exact, nullable, read, info.is_required(), factory, info.default))
    if not fields:
        return None
    new = model.__new__
    post_init = bool(model.__pydantic_post_init__)
    set_attribute = object.__setattr__

    def read_model(value: Any) -> Any:
        if type(value) is not dict:
            raise _Mismatch
        get = value.get
        values: dict[str, Any] = {}
        missing: list[str] = []
        for name, exact, nullable, read, required, factory, default in fields:
            raw = get(name, _MISSING)
            if raw is _MISSING:
                if required:
                    raise _Mismatch
                values[name] = default if factory is None else factory()
                missing.append(name)
            elif exact is None:
                values[name] = read(raw)  # type: ignore[misc]
            elif type(raw) is exact or (nullable and raw is None):
                values[name] = raw
            else:
                raise _Mismatch
        made = new(model)
        set_attribute(made, "__dict__", values)
        set_attribute(made, "__pydantic_fields_set__", set(values).difference(missing))
        set_attribute(made, "__pydantic_extra__", None)
        set_attribute(made, "__pydantic_private__", None)
        if post_init:
            made.model_post_init(None)
        return made

    _READERS[model] = read_model
    return read_model
