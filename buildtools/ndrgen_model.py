"""Semantic model for ndrgen: resolves types and turns every element into a
list of NDR "levels" (pointer, array, string, data), the way the wire sees it.

Level kinds (outermost first):
  ptr    pointer; .ptype in ref/unique/full, .top for a top-level parameter
  array  .fixed (int) or conformant (.size expression) and/or varying
         (.length expression); .inline when not behind a pointer
  string conformant-varying NUL-terminated string; .charset DOS or UTF16,
         optional .size expression ([string, size_is(x)])
  data   the element type itself (.type is a TypeInfo)
"""

import re

from ndrgen_parser import IdlError, Token

# name: (C type, alignment, libndr suffix, category, unsigned)
BASE_TYPES = {
    'uint8': ('uint8_t', 1, 'uint8', 'int', True),
    'int8': ('int8_t', 1, 'int8', 'int', False),
    'uint16': ('uint16_t', 2, 'uint16', 'int', True),
    'int16': ('int16_t', 2, 'int16', 'int', False),
    'uint32': ('uint32_t', 4, 'uint32', 'int', True),
    'int32': ('int32_t', 4, 'int32', 'int', False),
    'hyper': ('uint64_t', 8, 'hyper', 'int', True),
    'dlong': ('int64_t', 8, 'hyper', 'int', False),
    'double': ('double', 8, 'double', 'float', False),
    'GUID': ('struct GUID', 4, 'GUID', 'extstruct', False),
    'policy_handle': ('struct policy_handle', 4, 'policy_handle',
                      'extstruct', False),
}

ENUM_WIDTHS = {'v1_enum': 'uint32', 'enum16bit': 'uint16', 'enum8bit': 'uint8'}
BITMAP_WIDTHS = {'bitmap32bit': 'uint32', 'bitmap16bit': 'uint16',
                 'bitmap8bit': 'uint8', 'bitmap64bit': 'hyper'}

DEFAULT_MAX_RECURSION = 64


class TypeInfo:
    def __init__(self, kind, name):
        self.kind = kind            # base struct union enum bitmap
        self.name = name
        self.ctype = None
        self.align = 1
        self.elements = []          # struct: ElementInfo list
        self.cases = []             # union: list of (labels or None, ElementInfo or None)
        self.switch_type = None     # union discriminant base type name
        self.values = []            # enum/bitmap (name, value text)
        self.base = None            # enum/bitmap/base: base type name
        self.has_buffers = False
        self.conformant = None      # struct: the ElementInfo of a trailing conformant array
        self.recursive = False
        self.check_recursion = False    # pull counts depth in this type
        self.explicit_recursion = False
        self.max_recursion = DEFAULT_MAX_RECURSION
        self.public = False
        self.line = 0

    @property
    def is_scalar_value(self):
        """Passed by value to push/print (integers, enums, bitmaps)."""
        if self.kind in ('enum', 'bitmap'):
            return True
        return self.kind == 'base' and BASE_TYPES[self.name][3] in ('int', 'float')

    def fn_name(self):
        if self.kind == 'base':
            return BASE_TYPES[self.name][2]
        return self.name


class Level:
    def __init__(self, kind, **kw):
        self.kind = kind
        self.ptype = kw.get('ptype')
        self.top = kw.get('top', False)
        self.fixed = kw.get('fixed')
        self.size = kw.get('size')          # token list or None
        self.length = kw.get('length')      # token list or None
        self.inline = kw.get('inline', False)
        self.charset = kw.get('charset')
        self.type = kw.get('type')

    def __repr__(self):
        bits = [self.kind]
        for k in ('ptype', 'fixed', 'charset'):
            if getattr(self, k):
                bits.append('%s=%s' % (k, getattr(self, k)))
        if self.size:
            bits.append('size=%s' % tokens_text(self.size))
        if self.length:
            bits.append('length=%s' % tokens_text(self.length))
        if self.inline:
            bits.append('inline')
        if self.top:
            bits.append('top')
        if self.type is not None:
            bits.append(self.type.name)
        return '<%s>' % ' '.join(bits)


class ElementInfo:
    def __init__(self, name, levels, attrs, line):
        self.name = name
        self.levels = levels
        self.attrs = attrs
        self.line = line
        self.is_in = 'in' in attrs
        self.is_out = 'out' in attrs
        self.range = None           # (lo text, hi text)
        self.switch_is = None       # token list

    @property
    def data(self):
        return self.levels[-1]


class FunctionInfo:
    def __init__(self, name, opnum, params, result, line):
        self.name = name
        self.opnum = opnum
        self.params = params
        self.result = result        # TypeInfo or None
        self.line = line


class InterfaceInfo:
    def __init__(self, name):
        self.name = name
        self.uuid = None
        self.version = 0
        self.version_text = '0.0'
        self.helpstring = None
        self.endpoints = []
        self.pointer_default = 'unique'
        self.types = []             # ordered TypeInfo (non-base)
        self.consts = []
        self.functions = []


def tokens_text(toks):
    return ' '.join(t.value for t in toks)


def parse_number(text):
    text = text.strip().rstrip('uUlL')
    return int(text, 0)


class Model:
    """Builds an InterfaceInfo from a parser Interface."""

    def __init__(self, iface, filename='<idl>'):
        self.ast = iface
        self.filename = filename
        self.info = InterfaceInfo(iface.name)
        self.types = {}
        self.aliases = {}
        self.tags = {}
        for name in BASE_TYPES:
            t = TypeInfo('base', name)
            t.ctype, t.align = BASE_TYPES[name][0], BASE_TYPES[name][1]
            t.base = name
            self.types[name] = t

    def error(self, line, msg):
        return IdlError('%s:%d: %s' % (self.filename, line, msg))

    # -- interface attributes -------------------------------------------
    def build(self):
        a = self.ast.attrs
        info = self.info
        if 'uuid' not in a:
            raise self.error(0, 'interface %s has no uuid' % info.name)
        info.uuid = a['uuid'].text().strip('"').replace(' ', '').lower()
        if not re.match(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-'
                        r'[0-9a-f]{12}$', info.uuid):
            raise self.error(0, 'bad uuid %r' % info.uuid)
        if 'version' in a:
            text = a['version'].text().replace(' ', '')
            major, _, minor = text.partition('.')
            info.version = (int(minor or '0') << 16) | int(major)
            info.version_text = text
        if 'helpstring' in a:
            info.helpstring = a['helpstring'].text()
        if 'endpoint' in a:
            info.endpoints = [a['endpoint'].text(i)
                              for i in range(len(a['endpoint'].args))]
        if 'pointer_default' in a:
            info.pointer_default = a['pointer_default'].text()
        info.consts = self.ast.consts
        for td in self.ast.typedefs:
            self.declare(td)
        for td in self.ast.typedefs:
            if td.kind != 'alias':
                self.define(td)
        self.compute_alignment()
        self.mark_buffers_and_recursion()
        opnum = 0
        for fn in self.ast.functions:
            if 'opnum' in fn.attrs:
                opnum = parse_number(fn.attrs['opnum'].text())
            if opnum != len(info.functions):
                raise self.error(fn.line, 'opnum %d of %s is out of order'
                                 % (opnum, fn.name))
            info.functions.append(self.function(fn, opnum))
            opnum += 1
        return info

    # -- types ------------------------------------------------------------
    def declare(self, td):
        if td.name in self.types or td.name in self.aliases:
            raise self.error(td.line, 'type %s defined twice' % td.name)
        if td.kind == 'alias':
            self.aliases[td.name] = td
            return
        kind = 'union' if td.kind == 'encapsulated_union' else td.kind
        t = TypeInfo(kind if td.kind != 'encapsulated_union' else 'struct',
                     td.name)
        t.line = td.line
        t.public = 'public' in td.attrs
        if 'max_recursion' in td.attrs:
            t.max_recursion = parse_number(td.attrs['max_recursion'].text())
            t.explicit_recursion = True
        self.types[td.name] = t
        self.info.types.append(t)
        if td.tag:
            self.tags[td.tag] = td.name

    def resolve(self, name, line, attrs=None, ptrs=0):
        """Type name -> (TypeInfo, extra attrs, extra pointers)."""
        name = self.tags.get(name, name)
        extra = {}
        extra_ptrs = 0
        seen = set()
        while name in self.aliases:
            if name in seen:
                raise self.error(line, 'alias loop at %s' % name)
            seen.add(name)
            td = self.aliases[name]
            tgt = td.target
            if 'context_handle' in td.attrs:
                # MIDL context handles travel as the 20-byte policy_handle.
                name = 'policy_handle'
                break
            for k, v in td.attrs.items():
                extra.setdefault(k, v)
            extra_ptrs += tgt.ptrs
            name = self.tags.get(tgt.typename, tgt.typename)
        if name not in self.types:
            raise self.error(line, 'unknown type %s' % name)
        return self.types[name], extra, extra_ptrs

    def define(self, td):
        t = self.types[td.name]
        if td.kind == 'struct':
            t.ctype = 'struct %s' % t.name
            for e in td.elements:
                t.elements.append(self.element(e, 'struct'))
            self.struct_layout(t)
        elif td.kind == 'encapsulated_union':
            self.encapsulated(td, t)
        elif td.kind == 'union':
            t.ctype = 'union %s' % t.name
            st = td.attrs.get('switch_type')
            t.switch_type = self.resolve(st.text(), td.line)[0].name if st \
                else 'uint32'
            self.union_arms(td, t)
        elif td.kind in ('enum', 'bitmap'):
            widths = ENUM_WIDTHS if td.kind == 'enum' else BITMAP_WIDTHS
            base = [w for a, w in widths.items() if a in td.attrs]
            t.base = base[0] if base else ('uint16' if td.kind == 'enum'
                                           else 'uint32')
            t.ctype = ('enum %s' % t.name) if td.kind == 'enum' \
                else BASE_TYPES[t.base][0]
            t.align = BASE_TYPES[t.base][1]
            t.values = td.values

    def union_arms(self, td, t):
        for e in td.elements:
            labels = None
            if 'case' in e.attrs:
                labels = [e.attrs['case'].text(i)
                          for i in range(len(e.attrs['case'].args))]
            elif 'default' not in e.attrs:
                raise self.error(e.line, 'union arm without [case] or [default]')
            arm = None
            if e.typename is not None:
                arm = self.element(e, 'union')
                if arm.levels[0].kind == 'array' and arm.levels[0].size:
                    raise self.error(e.line, 'conformant union arm %s' % e.name)
            t.cases.append((labels, arm))

    def encapsulated(self, td, t):
        """union switch(type d) u {...} X  ==  struct X { type d; union X_u u; }"""
        u = TypeInfo('union', '%s_%s' % (t.name, td.union_name))
        u.ctype = 'union %s' % u.name
        u.switch_type = self.resolve(td.switch_type, td.line)[0].name
        self.types[u.name] = u
        self.info.types.insert(self.info.types.index(t), u)
        self.union_arms(td, u)
        t.ctype = 'struct %s' % t.name
        disc = ElementInfo(td.switch_name, [Level('data', type=self.types[u.switch_type])],
                           {}, td.line)
        arm = ElementInfo(td.union_name, [Level('data', type=u)], {}, td.line)
        arm.switch_is = [Token('ident', td.switch_name, td.line)]
        t.elements = [disc, arm]
        self.struct_layout(t)

    def elem_align(self, e):
        """NDR alignment of an element placed inline in a struct or union."""
        lv = e.levels[0]
        if lv.kind in ('ptr', 'string'):
            return 4
        if lv.kind == 'array':
            inner = e.levels[1].type.align if e.levels[1].kind == 'data' else 4
            if lv.size is not None or lv.length is not None:
                return max(inner, 4)
            return inner
        return lv.type.align

    def struct_layout(self, t):
        for idx, e in enumerate(t.elements):
            lv = e.levels[0]
            if lv.kind == 'array' and lv.inline:
                if lv.size is not None:
                    if idx != len(t.elements) - 1:
                        raise self.error(e.line, 'conformant array %s must be '
                                         'the last member' % e.name)
                    t.conformant = e
                if e.levels[1].kind not in ('data', 'ptr'):
                    raise self.error(e.line, 'unsupported inline array %s'
                                     % e.name)

    def compute_alignment(self):
        """Fixed point over all types (members may be defined later)."""
        for _ in range(len(self.info.types) + 1):
            changed = False
            for t in self.info.types:
                if t.kind == 'struct':
                    a = max([self.elem_align(e) for e in t.elements] or [1])
                elif t.kind == 'union':
                    a = max([self.elem_align(arm) for _, arm in t.cases
                             if arm is not None] or [1])
                    a = max(a, BASE_TYPES[t.switch_type][1])
                else:
                    continue
                if a != t.align:
                    t.align = a
                    changed = True
            if not changed:
                break
        for t in self.info.types:
            if t.kind == 'struct':
                for e in t.elements:
                    lv = e.levels[0]
                    if lv.kind == 'data' and lv.type.kind == 'struct' and \
                            lv.type.conformant is not None:
                        raise self.error(e.line, 'embedding conformant struct '
                                         '%s inline is not supported'
                                         % lv.type.name)

    # -- elements -----------------------------------------------------------
    def element(self, e, context):
        """Build an ElementInfo.  context: struct, union or param."""
        ttype, extra, extra_ptrs = self.resolve(e.typename, e.line)
        attrs = dict(extra)
        attrs.update(e.attrs)
        ptrs = e.ptrs + extra_ptrs
        dims = list(e.dims)
        levels = []
        size_args = attrs['size_is'].args if 'size_is' in attrs else []
        length_args = attrs['length_is'].args if 'length_is' in attrs else []
        is_param = context == 'param'
        if dims and ptrs and is_param:
            raise self.error(e.line, 'array-of-pointer parameters are not '
                             'supported (%s)' % e.name)
        if len(dims) > 1:
            raise self.error(e.line, 'multi-dimensional arrays are not supported')
        explicit = [p for p in ('ref', 'unique', 'ptr') if p in attrs]
        if dims and ptrs:
            # Inline array of pointers: the array's count attributes apply
            # to the array, the pointer attribute to its elements.
            fixed = None
            if dims[0] is not None:
                fixed = self.const_value(dims[0], e.line)
            elif not size_args:
                raise self.error(e.line, '%s[] needs size_is' % e.name)
            levels.append(Level('array', size=None if fixed is not None else
                                size_args[0],
                                length=length_args[0] if length_args else None,
                                fixed=fixed, inline=True))
            for i in range(ptrs):
                ptype = explicit[0] if (i == 0 and explicit) else \
                    self.info.pointer_default
                levels.append(Level('ptr', ptype={'ptr': 'full'}.get(ptype, ptype)))
            ptrs, dims, size_args, length_args = 0, [], [], []
        if is_param and dims and dims[0] is None:
            # A top-level conformant array parameter is a [ref] pointer to
            # the array; a fixed-size one stays inline in the C struct.
            levels.append(Level('ptr', ptype='ref', top=True))
            ptrs_done = 1
        else:
            ptrs_done = 0
        for i in range(ptrs):
            if i == 0 and explicit:
                ptype = {'ptr': 'full'}.get(explicit[0], explicit[0])
            elif i == 0 and is_param:
                ptype = 'ref'
            else:
                ptype = {'ptr': 'full'}.get(self.info.pointer_default,
                                             self.info.pointer_default)
            levels.append(Level('ptr', ptype=ptype, top=(is_param and i == 0)))
            size = size_args[i] if i < len(size_args) and size_args[i] else None
            length = length_args[i] if i < len(length_args) and length_args[i] \
                else None
            if size or length:
                levels.append(Level('array', size=size, length=length))
        if dims:
            idx = ptrs_done + ptrs - 1 if ptrs_done else 0
            size = size_args[idx] if idx < len(size_args) and size_args[idx] \
                else None
            length = length_args[idx] if idx < len(length_args) and \
                length_args[idx] else None
            fixed = None
            if dims[0] is not None:
                fixed = self.const_value(dims[0], e.line)
                size = None
            elif size is None:
                raise self.error(e.line, '%s[] needs size_is' % e.name)
            levels.append(Level('array', size=size, length=length, fixed=fixed,
                                inline=not is_param))
        if 'string' in attrs:
            if ttype.name not in ('uint8', 'uint16'):
                raise self.error(e.line, '[string] needs a char or wchar_t '
                                 'element (%s)' % e.name)
            charset = attrs['charset'].text() if 'charset' in attrs else \
                ('DOS' if ttype.name == 'uint8' else 'UTF16')
            if charset not in ('DOS', 'UTF16', 'UTF8'):
                raise self.error(e.line, 'unsupported charset %s' % charset)
            if not levels:
                raise self.error(e.line, '[string] needs a pointer (%s)' % e.name)
            last = levels[-1]
            if last.kind == 'array':
                if last.inline or last.length:
                    raise self.error(e.line, 'unsupported [string] array %s'
                                     % e.name)
                levels[-1] = Level('string', charset=charset, size=last.size)
            else:
                levels.append(Level('string', charset=charset))
            levels.append(Level('data', type=ttype))
        else:
            levels.append(Level('data', type=ttype))
        info = ElementInfo(e.name, levels, attrs, e.line)
        if 'range' in attrs:
            info.range = (attrs['range'].text(0), attrs['range'].text(1))
            if ttype.kind not in ('base', 'enum') or not ttype.is_scalar_value:
                raise self.error(e.line, '[range] on non-integer %s' % e.name)
        if 'switch_is' in attrs:
            info.switch_is = attrs['switch_is'].args[0]
        if ttype.kind == 'union' and info.switch_is is None:
            raise self.error(e.line, 'union %s needs [switch_is]' % e.name)
        if context != 'param':
            for lv in levels:
                if lv.kind == 'ptr' and lv.ptype == 'ref' and context == 'union':
                    pass
        return info

    def const_value(self, text, line):
        for name, _, value in self.info.consts:
            if name == text.strip():
                return parse_number(value)
        try:
            return parse_number(text)
        except ValueError:
            raise self.error(line, 'bad array dimension %r' % text)

    # -- functions -----------------------------------------------------------
    def function(self, fn, opnum):
        params = []
        for p in fn.params:
            e = self.element(p, 'param')
            if not e.is_in and not e.is_out:
                raise self.error(p.line, 'parameter %s needs [in] or [out]'
                                 % p.name)
            if e.is_out and e.levels[0].kind != 'ptr' and \
                    e.levels[0].fixed is None:
                raise self.error(p.line, '[out] parameter %s must be a pointer'
                                 % p.name)
            params.append(e)
        result = None
        if fn.rettype != 'void':
            result = self.resolve(fn.rettype, fn.line)[0]
        return FunctionInfo(fn.name, opnum, params, result, fn.line)

    # -- whole-type properties -------------------------------------------------
    def element_children(self, e):
        return [lv.type for lv in e.levels if lv.kind == 'data']

    def mark_buffers_and_recursion(self):
        def elems(t):
            if t.kind == 'struct':
                return t.elements
            if t.kind == 'union':
                return [arm for _, arm in t.cases if arm is not None]
            return []
        changed = True
        while changed:
            changed = False
            for t in self.info.types:
                if t.has_buffers:
                    continue
                for e in elems(t):
                    if any(lv.kind == 'ptr' for lv in e.levels) or \
                            any(lv.kind == 'data' and lv.type.has_buffers
                                for lv in e.levels):
                        t.has_buffers = True
                        changed = True
                        break
        # A type is recursive when it can reach itself.
        graph = {t.name: set() for t in self.info.types}
        for t in self.info.types:
            for e in elems(t):
                for lv in e.levels:
                    if lv.kind == 'data' and lv.type.name in graph:
                        graph[t.name].add(lv.type.name)
        for t in self.info.types:
            stack = list(graph[t.name])
            seen = set()
            while stack:
                n = stack.pop()
                if n == t.name:
                    t.recursive = True
                    break
                if n in seen:
                    continue
                seen.add(n)
                stack.extend(graph[n])
        # Depth is counted in the types marked [max_recursion(N)]; without
        # any mark, in every recursive type (with the default bound).
        marked = any(t.explicit_recursion for t in self.info.types)
        for t in self.info.types:
            t.check_recursion = t.recursive and (t.explicit_recursion or
                                                 not marked)


def build_model(iface, filename='<idl>'):
    return Model(iface, filename).build()
