#!/usr/bin/env python3
"""Write the fuzz seed corpora from the C test vectors.

Every `static const uint8_t NAME[] = {...};` in ndr/idl/tests/*.c and
impacket_vectors.h whose NAME ends in _in or _out and is listed in SEEDS
becomes corpus_<iface>/<NAME>: [opnum, direction] + the stub bytes.
Run from any directory; rewrites the corpus files it owns.
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(HERE, '..', 'tests')

# vector name -> (interface, opnum)
SEEDS = {}


def load_seeds():
    path = os.path.join(HERE, 'seeds.txt')
    with open(path) as f:
        for line in f:
            line = line.split('#')[0].split()
            if len(line) == 3:
                SEEDS[line[0]] = (line[1], int(line[2], 0))


def vectors():
    arr = re.compile(r'static const uint8_t (\w+)\[\] = \{(.*?)\};', re.S)
    for name in sorted(os.listdir(TESTS)):
        if not name.endswith(('.c', '.h')):
            continue
        with open(os.path.join(TESTS, name)) as f:
            text = f.read()
        text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
        for m in re.finditer(r'#define (\w+) ((?:[^\n]*\\\n)*[^\n]*)', text):
            body = m.group(2).replace('\\\n', ' ')
            if re.match(r'^[\s0-9a-fA-Fx,]+$', body):
                text = re.sub(r'\b%s\b(?!\s+0x)' % m.group(1), body, text)
        for m in arr.finditer(text):
            body = []
            for tok in m.group(2).replace('\n', ' ').split(','):
                tok = tok.strip()
                if not tok:
                    continue
                if tok.startswith("'"):
                    body.append(ord(tok[1:-1].encode().decode('unicode_escape')))
                else:
                    body.append(int(tok, 0))
            yield m.group(1), bytes(body)


def minimal_stubs():
    """The minimal stubs of tests/gen_minimal_stubs.py, for every call."""
    sys.path.insert(0, TESTS)
    import gen_minimal_stubs as g
    for idl in sorted(os.listdir(os.path.join(HERE, '..'))):
        if not idl.endswith('.idl'):
            continue
        path = os.path.join(HERE, '..', idl)
        with open(path) as f:
            info = g.build_model(g.parse_idl(f.read(), path)[0], path)
        for fn in info.functions:
            for direction in ('in', 'out'):
                params = [p for p in fn.params
                          if (p.is_in if direction == 'in' else p.is_out)]
                if not params and (direction == 'in' or fn.result is None):
                    continue
                yield (info.name, fn.opnum, direction,
                       'min_%s_%s' % (fn.name, direction), g.stub(fn, direction))


def main():
    load_seeds()
    written = 0
    for iface, opnum, direction, name, data in minimal_stubs():
        d = os.path.join(HERE, 'corpus_' + iface)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), 'wb') as f:
            f.write(bytes([opnum, 1 if direction == 'out' else 0]) + data)
        written += 1
    for name, data in vectors():
        if name not in SEEDS:
            continue
        iface, opnum = SEEDS[name]
        direction = 1 if name.endswith('_out') else 0
        d = os.path.join(HERE, 'corpus_' + iface)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), 'wb') as f:
            f.write(bytes([opnum, direction]) + data)
        written += 1
    print('wrote %d seeds' % written)
    return 0


if __name__ == '__main__':
    sys.exit(main())
