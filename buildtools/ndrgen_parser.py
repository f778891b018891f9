"""IDL tokenizer and parser for ndrgen (the OpenChange IDL -> C NDR generator).

The accepted language is the subset of MIDL / Samba-pidl IDL that our four
interfaces need (doc/ndr-generator.md lists it).  The parser produces a small
syntax tree of plain Python objects; ndrgen_model.py gives it meaning.
"""

import re


class IdlError(Exception):
    """A syntax or semantic error, with the file position when known."""


_TOKEN_RE = re.compile(r'''
    (?P<ws>\s+)
  | (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<cpp>^\#[^\n]*)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>0[xX][0-9a-fA-F]+[uUlL]*|[0-9]+(?:\.[0-9]+)?[uUlL]*)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><<|>>|==|!=|<=|>=|&&|\|\||[\[\](){};,*=<>&|+\-/~!^%?:.])
''', re.VERBOSE | re.DOTALL | re.MULTILINE)

# MIDL base type spellings mapped onto the pidl names the generator uses.
MIDL_TYPES = {
    ('unsigned', 'long'): 'uint32', ('unsigned', 'int'): 'uint32',
    ('unsigned', '__int32'): 'uint32', ('long',): 'int32', ('int',): 'int32',
    ('unsigned', 'short'): 'uint16', ('unsigned', 'short', 'int'): 'uint16',
    ('short',): 'int16', ('short', 'int'): 'int16',
    ('unsigned', 'char'): 'uint8', ('char',): 'uint8', ('byte',): 'uint8',
    ('small',): 'int8', ('unsigned', 'small'): 'uint8',
    ('wchar_t',): 'uint16', ('boolean',): 'uint8',
    ('hyper',): 'hyper', ('unsigned', 'hyper'): 'hyper',
    ('__int64',): 'dlong', ('unsigned', '__int64'): 'hyper',
    ('DWORD',): 'uint32', ('WORD',): 'uint16', ('BYTE',): 'uint8',
    ('ULONG',): 'uint32', ('USHORT',): 'uint16',
}
_MIDL_WORDS = {'unsigned', 'signed', 'long', 'int', 'short', 'char', 'small',
               'hyper', '__int32', '__int64'}


class Token:
    __slots__ = ('kind', 'value', 'line')

    def __init__(self, kind, value, line):
        self.kind = kind
        self.value = value
        self.line = line

    def __repr__(self):
        return 'Token(%s,%r,%d)' % (self.kind, self.value, self.line)


def tokenize(text, filename='<idl>'):
    """Split IDL text into tokens; comments and preprocessor lines are dropped."""
    tokens = []
    pos = 0
    line = 1
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            raise IdlError('%s:%d: unexpected character %r'
                           % (filename, line, text[pos]))
        kind = m.lastgroup
        value = m.group(kind)
        if kind not in ('ws', 'comment', 'cpp'):
            tokens.append(Token(kind, value, line))
        line += value.count('\n')
        pos = m.end()
    tokens.append(Token('eof', '', line))
    return tokens


class Attr:
    """One attribute: name and its arguments (each a list of tokens)."""

    def __init__(self, name, args):
        self.name = name
        self.args = args

    def text(self, i=0):
        """Argument i as C-ish source text."""
        if i >= len(self.args):
            return ''
        return ' '.join(t.value for t in self.args[i]).strip()


class Element:
    """A struct member, union arm or function parameter."""

    def __init__(self, attrs, typename, ptrs, dims, name, line):
        self.attrs = attrs          # dict name -> Attr
        self.typename = typename    # pidl type name, or None for an empty arm
        self.ptrs = ptrs            # number of '*'
        self.dims = dims            # list of dims: None ('[]', '[*]') or text
        self.name = name
        self.line = line


class TypeDef:
    """typedef struct/union/enum/bitmap or an alias."""

    def __init__(self, kind, name, attrs, line):
        self.kind = kind            # 'struct', 'union', 'enum', 'bitmap', 'alias'
        self.name = name
        self.attrs = attrs
        self.line = line
        self.elements = []          # struct members / union arms
        self.values = []            # enum/bitmap (name, value text)
        self.target = None          # alias target (Element-like info)
        self.tag = None             # C struct tag used in the IDL (_Foo)


class Function:
    def __init__(self, name, rettype, attrs, params, line):
        self.name = name
        self.rettype = rettype      # pidl type name or 'void'
        self.attrs = attrs
        self.params = params
        self.line = line


class Interface:
    def __init__(self, name, attrs):
        self.name = name
        self.attrs = attrs
        self.typedefs = []
        self.consts = []            # (name, typename, value text)
        self.functions = []


class Parser:
    def __init__(self, text, filename='<idl>'):
        self.filename = filename
        self.toks = tokenize(text, filename)
        self.i = 0

    # -- token helpers -------------------------------------------------
    def peek(self, k=0):
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def next(self):
        t = self.toks[self.i]
        if t.kind != 'eof':
            self.i += 1
        return t

    def error(self, msg, tok=None):
        tok = tok or self.peek()
        return IdlError('%s:%d: %s (at %r)' % (self.filename, tok.line, msg,
                                               tok.value))

    def accept(self, value):
        if self.peek().value == value and self.peek().kind != 'string':
            return self.next()
        return None

    def expect(self, value):
        t = self.accept(value)
        if t is None:
            raise self.error('expected %r' % value)
        return t

    def ident(self):
        t = self.next()
        if t.kind != 'ident':
            raise self.error('expected an identifier', t)
        return t.value

    # -- grammar -------------------------------------------------------
    def parse(self):
        interfaces = []
        while self.peek().kind != 'eof':
            if self.accept(';'):
                continue
            if self.peek().value in ('import', 'include'):
                while not self.accept(';'):
                    self.next()
                continue
            attrs = self.attributes()
            if self.peek().value != 'interface':
                raise self.error('expected interface')
            self.next()
            name = self.ident()
            iface = Interface(name, attrs)
            self.expect('{')
            while not self.accept('}'):
                self.definition(iface)
            self.accept(';')
            interfaces.append(iface)
        return interfaces

    def attributes(self):
        """Zero or more [a, b(c)] lists, merged into one dict."""
        attrs = {}
        while self.peek().value == '[':
            self.next()
            while True:
                name = self.ident()
                args = []
                if self.accept('('):
                    args = self.arglist()
                attrs[name] = Attr(name, args)
                if self.accept(']'):
                    break
                self.expect(',')
        return attrs

    def arglist(self):
        """Tokens up to the matching ')', split on top-level commas."""
        args = [[]]
        depth = 0
        while True:
            t = self.next()
            if t.kind == 'eof':
                raise self.error('unterminated attribute argument list')
            if t.value == '(' and t.kind == 'op':
                depth += 1
            elif t.value == ')' and t.kind == 'op':
                if depth == 0:
                    break
                depth -= 1
            elif t.value == ',' and t.kind == 'op' and depth == 0:
                args.append([])
                continue
            args[-1].append(t)
        if args == [[]]:
            return []
        return args

    def typename(self):
        """A type reference; MIDL multi-word base types become pidl names."""
        self.accept('const')
        t = self.peek()
        if t.value in ('struct', 'union', 'enum', 'bitmap'):
            self.next()
            return self.ident()
        if t.value in _MIDL_WORDS:
            words = []
            while self.peek().value in _MIDL_WORDS:
                words.append(self.next().value)
            if words[0] == 'signed':
                words = words[1:]
            key = tuple(words)
            if key not in MIDL_TYPES:
                raise self.error('unknown base type %r' % ' '.join(words), t)
            return MIDL_TYPES[key]
        name = self.ident()
        return MIDL_TYPES.get((name,), name)

    def declarator(self):
        ptrs = 0
        while self.accept('*'):
            ptrs += 1
            self.accept('const')
        line = self.peek().line
        name = self.ident()
        dims = []
        while self.accept('['):
            toks = []
            while not self.accept(']'):
                toks.append(self.next())
            text = ' '.join(t.value for t in toks)
            dims.append(None if text in ('', '*') else text)
        return ptrs, dims, name, line

    def element(self, union_arm=False):
        attrs = self.attributes()
        if union_arm and self.accept(';'):
            return Element(attrs, None, 0, [], None, self.peek().line)
        typename = self.typename()
        ptrs, dims, name, line = self.declarator()
        return Element(attrs, typename, ptrs, dims, name, line)

    def definition(self, iface):
        if self.accept(';'):
            return
        t = self.peek()
        if t.value == 'typedef':
            self.next()
            self.typedef(iface)
            return
        if t.value == 'const':
            self.next()
            typename = self.typename()
            name = self.ident()
            self.expect('=')
            toks = []
            while not self.accept(';'):
                toks.append(self.next())
            iface.consts.append((name, typename,
                                 ' '.join(x.value for x in toks)))
            return
        attrs = self.attributes()
        line = self.peek().line
        if self.accept('void'):
            rettype = 'void'
        else:
            rettype = self.typename()
        name = self.ident()
        self.expect('(')
        params = []
        if self.peek().value == 'void' and self.peek(1).value == ')':
            self.next()
        while not self.accept(')'):
            p = self.element()
            if p.typename != 'handle_t':
                params.append(p)
            if not self.accept(','):
                self.expect(')')
                break
        self.expect(';')
        iface.functions.append(Function(name, rettype, attrs, params, line))

    def typedef(self, iface):
        attrs = self.attributes()
        line = self.peek().line
        kw = self.peek().value
        if kw in ('struct', 'union', 'enum', 'bitmap') and \
                (self.peek(1).value in ('{', 'switch') or
                 self.peek(2).value in ('{', 'switch')):
            self.next()
            tag = None
            if self.peek().kind == 'ident' and self.peek().value != 'switch':
                tag = self.ident()
            td = TypeDef(kw, None, attrs, line)
            td.tag = tag
            if kw == 'union' and self.accept('switch'):
                # Encapsulated union: union switch (type name) armsname { }
                self.expect('(')
                td.switch_type = self.typename()
                td.switch_name = self.ident()
                self.expect(')')
                td.union_name = self.ident() if self.peek().kind == 'ident' else 'u'
                td.kind = 'encapsulated_union'
            self.expect('{')
            if kw in ('enum', 'bitmap'):
                self.enum_body(td)
            else:
                while not self.accept('}'):
                    el = self.element(union_arm=(kw == 'union'))
                    td.elements.append(el)
                    if el.typename is not None:
                        self.expect(';')
            names = [self.declarator()]
            while self.accept(','):
                names.append(self.declarator())
            self.expect(';')
            for ptrs, dims, name, _ in names:
                if ptrs or dims:
                    raise self.error('pointer typedefs of composite types '
                                     'are not supported')
                copy = TypeDef(td.kind, name, dict(attrs), line)
                copy.elements = td.elements
                copy.values = td.values
                copy.tag = tag
                for extra in ('switch_type', 'switch_name', 'union_name'):
                    if hasattr(td, extra):
                        setattr(copy, extra, getattr(td, extra))
                iface.typedefs.append(copy)
            return
        # alias: typedef [attrs] type *name;
        if self.accept('void'):
            target = 'void'
        else:
            target = self.typename()
        ptrs, dims, name, line = self.declarator()
        self.expect(';')
        td = TypeDef('alias', name, attrs, line)
        td.target = Element(attrs, target, ptrs, dims, name, line)
        iface.typedefs.append(td)

    def enum_body(self, td):
        while not self.accept('}'):
            name = self.ident()
            value = None
            if self.accept('='):
                toks = []
                while self.peek().value not in (',', '}'):
                    toks.append(self.next())
                value = ' '.join(x.value for x in toks)
            td.values.append((name, value))
            if not self.accept(','):
                self.expect('}')
                break


def parse_idl(text, filename='<idl>'):
    """Parse IDL text; returns a list of Interface objects."""
    return Parser(text, filename).parse()
