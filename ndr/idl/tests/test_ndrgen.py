#!/usr/bin/env python3
"""Unit tests of buildtools/ndrgen*.py: the IDL parser, the level model and
a few properties of the generated C.  Run by meson (suite 'ndr')."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', '..', 'buildtools'))

from ndrgen_parser import parse_idl, tokenize, IdlError  # noqa: E402
from ndrgen_model import build_model  # noqa: E402
from ndrgen_levels import c_decl  # noqa: E402
import ndrgen  # noqa: E402

HEAD = '[uuid("12345678-1234-1234-1234-123456789abc"), version(0.81), ' \
       'pointer_default(unique)] interface t {\n'


def model(body):
    return build_model(parse_idl(HEAD + body + '\n}')[0])


def kinds(elem):
    return [lv.kind + ('/' + lv.ptype if lv.ptype else '') for lv in elem.levels]


class TokenizerTest(unittest.TestCase):
    def test_comments_and_numbers(self):
        toks = tokenize('/* c */ a // x\n 0x1F 12 "s" <<')
        self.assertEqual([t.value for t in toks[:-1]],
                         ['a', '0x1F', '12', '"s"', '<<'])
        self.assertEqual(toks[1].line, 2)

    def test_bad_character(self):
        self.assertRaises(IdlError, tokenize, 'a @ b')


class ParserTest(unittest.TestCase):
    def test_interface_attributes(self):
        info = model('void F(void);')
        self.assertEqual(info.uuid, '12345678-1234-1234-1234-123456789abc')
        self.assertEqual(info.version, 81 << 16)
        self.assertEqual(info.functions[0].name, 'F')
        self.assertEqual(info.functions[0].params, [])

    def test_midl_types(self):
        info = model('typedef struct { unsigned long a; short b; '
                     'unsigned char c; wchar_t d; } S;')
        s = info.types[0]
        self.assertEqual([e.levels[-1].type.name for e in s.elements],
                         ['uint32', 'int16', 'uint8', 'uint16'])

    def test_syntax_error_has_line(self):
        with self.assertRaises(IdlError) as cm:
            parse_idl(HEAD + 'typedef struct { uint32 a } S;\n}')
        self.assertIn(':2:', str(cm.exception))

    def test_opnum_order(self):
        with self.assertRaises(IdlError):
            model('[opnum(1)] void F(void);')


class LevelTest(unittest.TestCase):
    def test_param_pointers(self):
        info = model('''
            uint32 F([in, string, charset(DOS)] uint8 *a,
                     [in, out, unique, string, charset(DOS)] uint8 **b,
                     [out] uint32 **c,
                     [in, size_is(n)] uint8 d[],
                     [in] uint32 n,
                     [in] uint16 e[3]);''')
        p = {x.name: x for x in info.functions[0].params}
        self.assertEqual(kinds(p['a']), ['ptr/ref', 'string', 'data'])
        self.assertTrue(p['a'].levels[0].top)
        self.assertEqual(kinds(p['b']), ['ptr/unique', 'ptr/unique', 'string', 'data'])
        self.assertEqual(kinds(p['c']), ['ptr/ref', 'ptr/unique', 'data'])
        self.assertEqual(kinds(p['d']), ['ptr/ref', 'array', 'data'])
        self.assertEqual(kinds(p['e']), ['array', 'data'])
        self.assertEqual(c_decl(p['b']), 'const char **b')
        self.assertEqual(c_decl(p['d']), 'uint8_t *d')
        self.assertEqual(c_decl(p['e']), 'uint16_t e[3]')

    def test_struct_arrays(self):
        info = model('''
            typedef struct {
                [range(0, 10)] uint32 n;
                [size_is(n + 1), length_is(n)] uint32 v[];
            } A;
            typedef struct {
                uint32 n;
                [size_is(n), string, charset(UTF16)] uint16 *s[];
            } B;
            typedef struct { uint8 ab[16]; } C;''')
        a, b, c = info.types
        self.assertIs(a.conformant, a.elements[1])
        self.assertEqual(a.elements[0].range, ('0', '10'))
        self.assertEqual(kinds(b.elements[1]), ['array', 'ptr/unique', 'string', 'data'])
        self.assertEqual(c_decl(b.elements[1]), 'const char **s')
        self.assertEqual(c_decl(c.elements[0]), 'uint8_t ab[16]')
        self.assertEqual(a.align, 4)
        self.assertEqual(c.align, 1)

    def test_alias_range_and_context_handle(self):
        info = model('''
            typedef [range(0, 0x40000)] uint32 BIG;
            typedef [context_handle] void *CXH;
            uint32 F([in, out, ref] CXH *h, [in, out] BIG *cb);''')
        h, cb = info.functions[0].params
        self.assertEqual(h.levels[-1].type.name, 'policy_handle')
        self.assertEqual(cb.range, ('0', '0x40000'))

    def test_recursion_detected(self):
        info = model('''
            typedef struct { uint32 n; [size_is(n)] R *p; } A;
            typedef [switch_type(uint32)] union { [case(0)] A a; [default] ; } U;
            typedef struct { uint32 k; [switch_is(k)] U u; } R;''')
        self.assertTrue(all(t.recursive for t in info.types))
        self.assertTrue(all(t.check_recursion for t in info.types))
        self.assertTrue(info.types[0].has_buffers)

    def test_enum_bitmap_encapsulated_union(self):
        info = model('''
            typedef [v1_enum] enum { X_A = 1, X_B = 2 } X;
            typedef [bitmap16bit] bitmap { F_ONE = 0x1 } F;
            typedef union switch (uint16 kind) u { [case(1)] uint32 a; [default] ; } E;''')
        names = [t.name for t in info.types]
        self.assertEqual(names, ['X', 'F', 'E_u', 'E'])
        self.assertEqual(info.types[0].base, 'uint32')
        self.assertEqual(info.types[1].base, 'uint16')
        self.assertEqual([e.name for e in info.types[3].elements], ['kind', 'u'])
        code = ndrgen.gen_c(info, 't.idl')
        self.assertIn('ndr_push_enum_uint32', code)
        self.assertIn('ndr_print_bitmap_flag', code)
        self.assertIn('ndr_push_set_switch_value(ndr, &r->u, (r->kind))', code)

    def test_unsupported(self):
        with self.assertRaises(IdlError):
            model('typedef struct { uint32 n; [size_is(n)] uint8 a[]; uint8 b; } S;')
        with self.assertRaises(IdlError):
            model('typedef struct { uint32 x; } S; typedef struct { uint32 x; } S;')
        with self.assertRaises(IdlError):
            model('uint32 F([out] uint32 x);')


class GeneratedCodeTest(unittest.TestCase):
    def test_pull_checks(self):
        info = model('''
            uint32 F([in, range(10, 1024)] uint32 cb,
                     [in, string, size_is(cb), charset(DOS)] uint8 *s,
                     [in, size_is(m)] uint8 data[],
                     [in] uint32 m);''')
        code = ndrgen.gen_c(info, 't.idl')
        self.assertIn('NDR_ERR_RANGE', code)
        self.assertIn('r->in.cb < 10 || r->in.cb > 1024', code)
        self.assertIn('ndr_check_string_terminator', code)
        # m follows data: its conformance check comes after m is pulled.
        pull = code[code.index('ndr_pull_F('):]
        self.assertLess(pull.index('&r->in.m'), pull.index('!= (r->in.m)'))
        self.assertIn('exceeds the remaining data', pull)

    def test_header_layout(self):
        info = model('uint32 F([in] uint32 a, [in, out, ref] uint32 *b, '
                     '[out] uint32 *c); void G(void);')
        h = ndrgen.gen_header(info, 't.idl')
        self.assertIn('struct F {\n\tstruct {\n\t\tuint32_t a;', h)
        self.assertIn('\t\tuint32_t result;\n\t} out;', h)
        self.assertIn('struct G {\n\tint _dummy_element;\n};', h)
        self.assertIn('#define NDR_F (0x00)', h)
        self.assertIn('#define NDR_T_CALL_COUNT (2)', h)
        self.assertIn('#define NDR_T_VERSION 0x00510000', h)


if __name__ == '__main__':
    unittest.main()
