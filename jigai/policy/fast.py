"""Large batches straight to JSON bytes, on two processes where the machine has two cores.

The command line uses this; the bytes are the response of `evaluate_request`, serialized. Each result
is written into one growing buffer as soon as it is computed, so its objects are freed (and their
memory reused) at once instead of a whole response tree being kept. With two workers the second half of
the cases is evaluated in a forked child, which sends back its buffer; the cross-case rule (one project
a year) is then applied over the whole request, a result it changes being read back from its bytes
(not evaluated again: that would be serial work after the halves) and written anew in its place.
"""

from __future__ import annotations

import os
import pickle
from typing import Any

import orjson

from jigai.policy.engine import Batch, _gc_paused, _one_per_year
from jigai.policy.params import ParameterBook

PARALLEL_FROM = 20_000  # below this, forking costs more than it saves
PARENT_SHARE = 52  # percent of the cases evaluated by the parent process


class _Sink:
    """Results serialized one after the other, each followed by a comma; `write` returns its end."""

    def __init__(self) -> None:
        self.buf = bytearray()

    def write(self, result: dict) -> int:  # a bound method: cheaper to call than an instance
        buf = self.buf
        buf += orjson.dumps(result)
        buf += b","
        return len(buf)


def evaluate_to_json(
    body: object,
    *,
    overrides: dict | None = None,
    round_year: int | None = None,
    parameters: ParameterBook | None = None,
    workers: int = 1,
    indent: bool = False,
) -> bytes:
    """`evaluate_request(body)` serialized as UTF-8 JSON; `RequestError` when the body is refused.

    `workers=2` forks a second process for a large request: only where forking is safe (the command
    line, not a threaded web server).
    """
    batch = Batch.from_body(body, overrides=overrides, round_year=round_year, parameters=parameters)
    n = len(batch.cases)
    with _gc_paused(True):
        if workers < 2 or n < PARALLEL_FROM or not hasattr(os, "fork"):
            sink = _Sink()
            ends, groups, latest = batch.evaluate_slice(0, n, sink.write)
            halves = [(0, sink.buf, ends)]
        else:
            halves, groups, latest = _two_processes(batch)
        replaced: dict[int, bytes] = {}
        later = batch.one_per_year(groups)
        if later:
            written = _Written(halves)
            for index, first in later:
                # The result as already written, read back (same keys in the same order) instead of
                # evaluating the case again: these are serial work after the halves.
                replaced[index] = orjson.dumps(_one_per_year(orjson.loads(written[index]), first))
        policy = batch.policy_header(latest)
        parts: list[Any] = [b'{"policy":', orjson.dumps(policy), b',"results":[']
        for offset, buf, ends in halves:
            parts.extend(_with_replacements(memoryview(buf), ends, offset, replaced))
        if n:
            parts[-1] = parts[-1][:-1]  # the comma after the last result
        parts.append(b"]}")
        data = b"".join(parts)
    if indent:
        return orjson.dumps(orjson.loads(data), option=orjson.OPT_INDENT_2)
    return data


class _Written:
    """The serialized result at an index of the request, from the buffers of the halves."""

    def __init__(self, halves: list[tuple[int, Any, list[int]]]) -> None:
        self.halves = [(offset, memoryview(buf), ends) for offset, buf, ends in halves]

    def __getitem__(self, index: int) -> memoryview:
        for offset, view, ends in self.halves:
            j = index - offset
            if 0 <= j < len(ends):
                begin = ends[j - 1] if j else 0
                return view[begin : ends[j] - 1]  # without its comma
        raise IndexError(index)


def _with_replacements(view: memoryview, ends: list[int], offset: int, replaced: dict[int, bytes]) -> list:
    """The buffer of one half, with the results at the replaced indexes written anew."""
    parts = []
    start = 0
    for index in sorted(i for i in replaced if offset <= i < offset + len(ends)):
        j = index - offset
        begin = ends[j - 1] if j else 0
        parts.append(view[start:begin])
        parts.append(replaced[index] + b",")
        start = ends[j]
    parts.append(view[start : len(view)])
    return [p for p in parts if len(p)] or [b""]


def _two_processes(batch: Batch) -> tuple[list[tuple[int, Any, list[int]]], dict, Any]:
    n = len(batch.cases)
    # The child starts later (the fork) and its half must still be pickled and sent back: the parent
    # takes a little more than half.
    mid = n * PARENT_SHARE // 100
    batch.index_ids()  # duplicate ids are judged over the whole request, not per half
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the second half
        status = 1
        try:
            os.close(read_fd)
            sink = _Sink()
            ends, groups, latest = batch.evaluate_slice(mid, n, sink.write)
            payload = pickle.dumps((sink.buf, ends, groups, latest), protocol=5)
            with os.fdopen(write_fd, "wb") as out:
                out.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    sink = _Sink()
    ends, groups, latest = batch.evaluate_slice(0, mid, sink.write)
    with os.fdopen(read_fd, "rb") as inp:
        payload = inp.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not payload:  # the child failed: do its half here
        more_sink = _Sink()
        more_ends, more_groups, more_latest = batch.evaluate_slice(mid, n, more_sink.write)
        more_buf = more_sink.buf
    else:
        more_buf, more_ends, more_groups, more_latest = pickle.loads(payload)  # noqa: S301 - our own child's
    for key, group in more_groups.items():
        mine = groups.get(key)
        if mine is None:
            groups[key] = group
        else:
            groups[key] = [
                *([mine] if type(mine) is int else mine),
                *([group] if type(group) is int else group),
            ]
    if latest is None or (more_latest is not None and more_latest > latest):
        latest = more_latest
    return [(0, sink.buf, ends), (mid, more_buf, more_ends)], groups, latest
