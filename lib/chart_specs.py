"""Charts as Vega-Lite specs, made once per content: what `ui.chart` draws.

`st.altair_chart` turns an Altair chart into its spec on every script run: Altair checks
the whole spec against the Vega-Lite JSON schema (jsonschema, about 0.1 s a chart) after
building it (another 0.1 s: Altair copies and re-hashes its objects), so a page of eight
charts spent over a second on charts whose data had not changed since the last run.

Here a chart is made by `ChartCall` (a pure chart function of `lib.charts` and its
arguments) and its spec is cached by the **content** of those arguments
(`fingerprint`: the frames' columns, types and values, the other arguments' `repr`):
a warm run hashes a few small frames and draws the cached spec with
`st.vega_lite_chart`; nothing of Altair runs. A cold run builds the chart and converts it
as Streamlit does (`_convert`: its own data transformer, tables as Arrow, theme "none"),
without the schema check: the chart functions are checked against the schema by their
tests (`tests/test_app_charts.py` and others call `to_dict()`, which validates).

The spec drawn is the one `st.altair_chart` would send (same datasets, names and
encodings), so the element, its key, its selections and the tests reading
`proto.spec` are unchanged.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from lib import config

_log = logging.getLogger("itda.chart_specs")

try:  # Streamlit's own conversion (1.67): its Arrow data transformer and theme handling
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
except ImportError:  # pragma: no cover - a Streamlit without it: draw through altair_chart
    _convert_altair_to_vega_lite_spec = None


@dataclass(frozen=True)
class Known:
    """An argument told by a key rather than by its content, loaded only when the chart
    is made: the boundaries (thousands of shapes) by database, data version and scope."""

    key: tuple
    load: Callable[[], Any]


def _resolved(value: object) -> object:
    return value.load() if isinstance(value, Known) else value


@dataclass(frozen=True)
class ChartCall:
    """A chart still to be made: `build(*args, **kwargs)`, a pure function returning an
    Altair chart (`lib.charts.*`) or None (nothing to draw). Calling it makes the chart."""

    build: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)

    def __call__(self):
        args = [_resolved(a) for a in self.args]
        kwargs = {k: _resolved(v) for k, v in self.kwargs.items()}
        return self.build(*args, **kwargs)


@dataclass(frozen=True)
class Prepared:
    """A chart's spec made (`prepare`), with what made it (for its files)."""

    spec: dict
    chart: Any


def call(build: Callable[..., Any], *args, **kwargs) -> ChartCall:
    """`build(*args, **kwargs)`, made only when its spec is not cached yet."""
    return ChartCall(build, args, kwargs)


def chart_of(chart) -> Any:
    """The Altair chart itself (a `ChartCall` is made now): for files, made on a click."""
    if isinstance(chart, Prepared):
        chart = chart.chart
    return chart() if isinstance(chart, ChartCall) else chart


class _Unchecked:
    """An Altair chart whose `to_dict` skips the schema check (Streamlit's converter
    calls `to_dict()` on what it is given; it asks nothing else of it)."""

    def __init__(self, chart) -> None:
        self.chart = chart

    def to_dict(self, *args, **kwargs) -> dict:
        kwargs["validate"] = False
        return self.chart.to_dict(*args, **kwargs)


def _convert(chart) -> dict:
    """The spec `st.altair_chart` would draw, its tables as Arrow bytes, unchecked."""
    return _convert_altair_to_vega_lite_spec(_Unchecked(chart))


class _Unhashable(Exception):
    """An argument whose content cannot be told from its `repr` (an object address)."""


def _update(digest, value: object) -> None:
    """Feed `value`'s content into `digest` (frames by their values, not their identity)."""
    if isinstance(value, Known):
        digest.update(b"K")
        _update(digest, value.key)
    elif isinstance(value, pd.DataFrame):
        digest.update(b"F" + repr((list(value.columns), value.shape, value.attrs)).encode())
        _update(digest, value.index)
        for _, column in value.items():
            _update(digest, column)
    elif isinstance(value, pd.Series | pd.Index):
        digest.update(b"S" + repr((str(value.dtype), len(value), value.name)).encode())
        if isinstance(value, pd.RangeIndex):
            digest.update(repr((value.start, value.stop, value.step)).encode())
            return
        array = value.to_numpy()
        if array.dtype.kind in "biufcmM":  # numbers and times: their bytes
            digest.update(np.ascontiguousarray(array).tobytes())
        else:  # text, dates, `Suppressed`: their repr (a dataclass's names every field)
            digest.update(repr(array.tolist()).encode())
    elif isinstance(value, list | tuple):
        digest.update(b"L" + str(len(value)).encode())
        for item in value:
            _update(digest, item)
    elif isinstance(value, dict):
        digest.update(b"D" + str(len(value)).encode())
        for key, item in value.items():
            _update(digest, key)
            _update(digest, item)
    else:
        text = f"{type(value).__module__}.{type(value).__qualname__}:{value!r}"
        if " at 0x" in text:
            raise _Unhashable(text)
        digest.update(text.encode())


def fingerprint(call_: ChartCall) -> str | None:
    """A digest of the chart function and its arguments' content; None when an argument
    cannot be told by content, or the function is a lambda or a closure (then the chart
    is made every time, never cached). Chart functions are module-level and pure."""
    build = call_.build
    if getattr(build, "__closure__", None) or getattr(build, "__name__", "") == "<lambda>":
        return None  # what it draws may hang on more than its arguments
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{build.__module__}.{build.__qualname__}".encode())
    try:
        _update(digest, list(call_.args))
        _update(digest, dict(sorted(call_.kwargs.items())))
    except _Unhashable as exc:
        _log.debug("chart %s not cached: %s", build.__qualname__, exc)
        return None
    return digest.hexdigest()


def _spec_of(chart) -> dict | None:
    return None if chart is None else _convert(chart)


@st.cache_data(ttl=config.cache_ttl(), max_entries=2048, show_spinner=False)
def _cached_spec(key: str, _call: ChartCall) -> dict | None:
    # Keyed by the content digest only: `_call` (underscore) is not hashed by Streamlit.
    return _spec_of(_call())


def prepare(chart) -> Prepared | None:
    """`chart` (an Altair chart, a `ChartCall` or `Prepared`) with its spec made, cached
    by content for a `ChartCall`; None when there is nothing to draw (the chart function
    returned None)."""
    if isinstance(chart, Prepared) or chart is None:
        return chart
    if _convert_altair_to_vega_lite_spec is None:  # pragma: no cover - see the import
        made = chart_of(chart)
        return None if made is None else Prepared({}, made)
    if isinstance(chart, ChartCall):
        key = fingerprint(chart)
        made = _cached_spec(key, chart) if key is not None else _spec_of(chart())
    else:
        made = _spec_of(chart)
    return None if made is None else Prepared(made, chart)


def draw(chart, **kwargs):
    """Draw `chart` (an Altair chart, a `ChartCall` or `Prepared`) as
    `st.altair_chart(chart, **kwargs)` would, from its cached spec; returns what Streamlit
    returns (the selection state with `on_select`), None when there is nothing to draw."""
    prepared = prepare(chart)
    if prepared is None:
        return None
    if not prepared.spec:  # pragma: no cover - Streamlit without its converter
        return st.altair_chart(chart_of(prepared), **kwargs)
    return st.vega_lite_chart(prepared.spec, **kwargs)
