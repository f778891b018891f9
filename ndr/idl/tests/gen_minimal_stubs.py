#!/usr/bin/env python3
"""Encode a minimal valid NDR stub for both directions of every call of the
given IDL files, independently of the generated C, and print them as a C
header for test_all_calls.c (run by meson at build time).

"Minimal": integers take their [range] minimum (or the first [case] label
of the union they select), unique pointers are NULL, [ref] pointers point at
minimal data, strings are empty, arrays take the count their size_is gives.
The encoder is a second, deliberately simple implementation of the NDR
rules: the C round trip must reproduce its bytes exactly.
Usage: gen_minimal_stubs.py OUT.h IDL...
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', '..', 'buildtools'))

from ndrgen_parser import parse_idl  # noqa: E402
from ndrgen_model import build_model, BASE_TYPES, parse_number  # noqa: E402

SIZES = {'uint8': 1, 'int8': 1, 'uint16': 2, 'int16': 2, 'uint32': 4,
         'int32': 4, 'hyper': 8, 'dlong': 8, 'double': 8}


class Enc:
    def __init__(self):
        self.buf = bytearray()

    def align(self, n):
        while len(self.buf) % n:
            self.buf.append(0)

    def u(self, base, value):
        n = SIZES[base]
        self.align(n)
        self.buf += (value & ((1 << (8 * n)) - 1)).to_bytes(n, 'little')


def evaluate(toks, values):
    toks = list(toks)
    expr = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.value == '(' and i + 2 < len(toks) and toks[i + 2].value == ')' \
                and (toks[i + 1].value in BASE_TYPES or
                     toks[i + 1].value in ('long', 'short')):
            i += 3                  # a cast
            continue
        if t.value == '*' and i + 1 < len(toks) and \
                toks[i + 1].value in values and \
                (i == 0 or toks[i - 1].value in ('(', '+', '-', '*', '&')):
            i += 1                  # *p: the value the pointer refers to
            continue
        if t.kind == 'ident' and t.value in values:
            expr.append(str(values[t.value]))
        elif t.kind == 'number':
            expr.append(str(parse_number(t.value)))
        else:
            expr.append(t.value)
        i += 1
    return int(eval(' '.join(expr), {}, {}))  # test-only, over our own IDL


def minimal_values(elements):
    """Field values: range minimum, or a switch selector's first label."""
    values = {}
    for e in elements:
        values[e.name] = parse_number(e.range[0]) if e.range else 0
    for e in elements:
        data = e.levels[-1].type
        if data.kind == 'union' and e.switch_is:
            label = parse_number(data.cases[0][0][0])
            refs = [t.value for t in e.switch_is if t.value in values]
            for r in refs:
                values[r] = label
    return values


def enc_data(enc, t, switch=None):
    if t.kind == 'base':
        if t.name == 'policy_handle':
            enc.align(4)
            enc.buf += bytes(20)
        elif t.name == 'GUID':
            enc.align(4)
            enc.buf += bytes(16)
        else:
            enc.u(t.name, 0)
    elif t.kind in ('enum', 'bitmap'):
        enc.u(t.base, 0)
    elif t.kind == 'struct':
        enc_struct(enc, t)
    elif t.kind == 'union':
        enc.align(t.align)
        enc.u(t.switch_type, switch)
        labels, arm = t.cases[0]
        if arm is not None:
            enc_element(enc, arm, {}, scalars_and_buffers=True)


def enc_struct(enc, t):
    values = minimal_values(t.elements)
    if t.conformant is not None:
        enc.u('uint32', evaluate(t.conformant.levels[0].size, values))
    enc.align(t.align)
    for e in t.elements:
        enc_element(enc, e, values, scalars_and_buffers=True, value=values[e.name])


def enc_levels(enc, e, i, values, value=0):
    lv = e.levels[i]
    if lv.kind == 'data':
        if lv.type.kind == 'base' and lv.type.name in SIZES:
            enc.u(lv.type.name, value)
        else:
            sw = evaluate(e.switch_is, values) if e.switch_is else None
            enc_data(enc, lv.type, sw)
    elif lv.kind == 'ptr':
        if lv.top and lv.ptype == 'ref':
            enc_levels(enc, e, i + 1, values, value)
        else:
            enc.u('uint32', 0)      # NULL unique pointer
    elif lv.kind == 'string':
        size = evaluate(lv.size, values) if lv.size else 1
        width = 2 if lv.charset == 'UTF16' else 1
        enc.u('uint32', size)
        enc.u('uint32', 0)
        enc.u('uint32', 1)
        enc.buf += bytes(width)
    elif lv.kind == 'array':
        size = lv.fixed if lv.fixed is not None else evaluate(lv.size, values)
        length = evaluate(lv.length, values) if lv.length else size
        if lv.fixed is None and not lv.inline:
            enc.u('uint32', size)
        if lv.length:
            enc.u('uint32', 0)
            enc.u('uint32', length)
        for _ in range(length):
            enc_levels(enc, e, i + 1, values)


def enc_element(enc, e, values, scalars_and_buffers=True, value=0):
    enc_levels(enc, e, 0, values, value)


def stub(fn, direction):
    enc = Enc()
    params = [p for p in fn.params if (p.is_in if direction == 'in' else p.is_out)]
    values = minimal_values(fn.params)
    for p in params:
        enc_levels(enc, p, 0, values, values[p.name])
    if direction == 'out' and fn.result is not None:
        enc.u(fn.result.name if fn.result.name in SIZES else 'uint32', 0)
    return bytes(enc.buf)


def main(argv):
    out, idls = argv[1], argv[2:]
    lines = ['/* Generated by gen_minimal_stubs.py: do not edit. */',
             '#include <stdint.h>', '']
    table = []
    for path in idls:
        with open(path) as f:
            info = build_model(parse_idl(f.read(), path)[0], path)
        for fn in info.functions:
            for direction in ('in', 'out'):
                if direction == 'in' and not any(p.is_in for p in fn.params):
                    continue
                if direction == 'out' and not (any(p.is_out for p in fn.params)
                                               or fn.result is not None):
                    continue
                data = stub(fn, direction)
                name = 'min_%s_%s' % (fn.name, direction)
                body = ', '.join('0x%02x' % b for b in data) or '0x00'
                lines.append('static const uint8_t %s[] = { %s };' % (name, body))
                table.append('\t{ &ndr_table_%s, %d, NDR_%s, %s, %d },'
                             % (info.name, fn.opnum, direction.upper(), name,
                                len(data)))
    lines.append('')
    lines.append('static const struct min_stub min_stubs[] = {')
    lines.extend(table)
    lines.append('};')
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
