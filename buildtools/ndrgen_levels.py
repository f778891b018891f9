"""Element-level C code generation for ndrgen: push, pull and print of one
element's chain of NDR levels (see ndrgen_model.py).

Wire rules implemented here ([C706] chapter 14, [MS-RPCE] 2.2.5):
  * embedded pointers: the referent ID is in the scalars pass, the referent
    is deferred to the buffers pass of the outermost construct;
  * top-level (parameter) pointers: [ref] has no wire representation, a
    [unique] referent follows its ID at once;
  * conformant arrays: max_count first; varying: offset (must be 0) and
    actual_count; a conformant struct's max_count precedes the struct.
"""

from ndrgen_model import BASE_TYPES, tokens_text

CHARSETS = {'DOS': ('CH_DOS', 'uint8_t'), 'UTF16': ('CH_UTF16', 'uint16_t'),
            'UTF8': ('CH_UTF8', 'uint8_t')}

TYPE_MAX = {'uint8': 0xff, 'int8': 0x7f, 'uint16': 0xffff, 'int16': 0x7fff,
            'uint32': 0xffffffff, 'int32': 0x7fffffff,
            'hyper': 0xffffffffffffffff, 'dlong': 0x7fffffffffffffff}
TYPE_MIN = {'int8': -0x80, 'int16': -0x8000, 'int32': -0x80000000,
            'dlong': -0x8000000000000000}


class GenError(Exception):
    pass


class Env:
    """Maps identifiers of size_is/length_is/switch_is expressions to C.

    kind 'struct': fields of r.  kind 'fn': parameters of a function, in
    direction 'in' or 'out' (an out-direction reference to a parameter that
    is not [out] reads r->in).
    """

    def __init__(self, kind, names, direction=None, params=None):
        self.kind = kind
        self.names = names              # set of field/param names
        self.direction = direction
        self.params = params or {}      # name -> ElementInfo

    def name(self, ident):
        if self.kind == 'struct':
            return 'r->%s' % ident
        p = self.params[ident]
        if self.direction == 'out' and p.is_out:
            return 'r->out.%s' % ident
        return 'r->in.%s' % ident

    def refs(self, toks):
        return [t.value for t in toks if t.kind == 'ident' and t.value in self.names]

    def translate(self, toks, guard=False):
        """C text of an expression.  guard: replace '*p' of a NULL p by 0."""
        out = []
        derefs = []
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.kind == 'ident' and t.value in self.names:
                c = self.name(t.value)
                if out and out[-1] == '*' and (len(out) == 1 or out[-2] in
                                                 ('(', '+', '-', '*', '/', ',',
                                                  '&', '|', '<<', '>>')):
                    derefs.append(c)
                out.append(c)
            elif t.kind == 'ident' and t.value in BASE_TYPES:
                out.append(BASE_TYPES[t.value][0])
            elif t.kind == 'ident' and t.value in ('long', 'short'):
                out.append({'long': 'int32_t', 'short': 'int16_t'}[t.value])
            else:
                out.append(t.value)
            i += 1
        expr = '(%s)' % ' '.join(out)
        if guard and derefs:
            cond = ' && '.join('%s != NULL' % d for d in derefs)
            expr = '((%s) ? %s : 0)' % (cond, expr)
        return expr

    def deref_pointers(self, toks):
        """Parameters dereferenced by an expression (must not be NULL)."""
        res = []
        for idx, t in enumerate(toks):
            if t.kind == 'ident' and t.value in self.names and idx > 0 and \
                    toks[idx - 1].value == '*':
                res.append(self.name(t.value))
        return res


class Writer:
    """Collects C lines and the function-scope variable declarations."""

    def __init__(self, indent=1):
        self.lines = []
        self.ind = indent
        self.decls = {}
        self.order = []
        self.deferred = []

    def w(self, line):
        self.lines.append('\t' * self.ind + line if line else '')

    def open(self, head):
        self.w(head + ' {')
        self.ind += 1

    def close(self, tail=''):
        self.ind -= 1
        self.w('}' + tail)

    def var(self, name, ctype, init=None):
        if name not in self.decls:
            self.decls[name] = (ctype, init)
            self.order.append(name)
        return name

    def declarations(self):
        res = []
        for n in self.order:
            ctype, init = self.decls[n]
            sep = '' if ctype.endswith('*') else ' '
            if init is None:
                res.append('\t%s%s%s;' % (ctype, sep, n))
            else:
                res.append('\t%s%s%s = %s;' % (ctype, sep, n, init))
        return res


def deref(var):
    return '(*%s)' % var


def addr(var):
    if var.startswith('(*') and var.endswith(')'):
        return var[2:-1]
    return '&%s' % var


def check(call):
    return 'NDR_CHECK(%s);' % call


def sanitize(name):
    return name.replace('.', '_')


class ElementCode:
    """Generates the code for one element in one context."""

    def __init__(self, elem, env, wr, base_name=None):
        self.e = elem
        self.env = env
        self.wr = wr
        self.base = sanitize(base_name or elem.name)

    # ------------------------------------------------------------ helpers
    def vname(self, prefix, i):
        return '%s_%s_%d' % (prefix, self.base, i)

    def count_exprs(self, lv, guard=False):
        size = str(lv.fixed) if lv.fixed is not None else \
            (self.env.translate(lv.size, guard) if lv.size else None)
        length = self.env.translate(lv.length, guard) if lv.length else None
        return size, length

    def elem_has_buffers(self, i):
        for lv in self.e.levels[i:]:
            if lv.kind in ('ptr', 'string'):
                return True
            if lv.kind == 'data' and lv.type.has_buffers:
                return True
            if lv.kind == 'array' and not lv.inline:
                return True
        return False

    def switch_expr(self, guard=False):
        return self.env.translate(self.e.switch_is, guard)

    # ============================================================== push
    def push_data(self, lv, var, flags):
        t = lv.type
        w = self.wr.w
        if t.kind == 'union':
            w(check('ndr_push_set_switch_value(ndr, %s, %s)'
                    % (addr(var), self.switch_expr())))
        if t.is_scalar_value:
            w(check('ndr_push_%s(ndr, NDR_SCALARS, %s)' % (t.fn_name(), var)))
        elif t.kind == 'base' and t.name == 'policy_handle':
            w(check('ndr_push_policy_handle(ndr, NDR_SCALARS, %s)' % addr(var)))
        else:
            w(check('ndr_push_%s(ndr, %s, %s)' % (t.fn_name(), flags, addr(var))))

    def push_scalars(self, i, var):
        lv = self.e.levels[i]
        w = self.wr.w
        if lv.kind == 'data':
            self.push_data(lv, var, 'NDR_SCALARS')
        elif lv.kind == 'ptr' and lv.top:
            if lv.ptype == 'ref':
                self.push_full(i + 1, self.pointee(i, var))
            else:
                w(check('ndr_push_%s_ptr(ndr, %s)'
                        % ('full' if lv.ptype == 'full' else 'unique', var)))
                self.wr.open('if (%s)' % var)
                self.push_full(i + 1, self.pointee(i, var))
                self.wr.close()
        elif lv.kind == 'ptr':
            if lv.ptype == 'ref':
                self.wr.open('if (%s == NULL)' % var)
                w('return ndr_push_error(ndr, NDR_ERR_INVALID_POINTER, '
                  '"NULL [ref] pointer %s");' % self.e.name)
                self.wr.close()
                w(check('ndr_push_ref_ptr(ndr)'))
            else:
                w(check('ndr_push_%s_ptr(ndr, %s)'
                        % ('full' if lv.ptype == 'full' else 'unique', var)))
        elif lv.kind == 'array':
            self.push_array_body(i, var, header=False, scalars=True,
                                 buffers=False)
        else:
            raise GenError('%s: string not behind a pointer' % self.e.name)

    def push_buffers(self, i, var):
        lv = self.e.levels[i]
        if lv.kind == 'data':
            if lv.type.has_buffers:
                self.push_data(lv, var, 'NDR_BUFFERS')
        elif lv.kind == 'ptr' and not lv.top:
            self.wr.open('if (%s)' % var)
            self.push_full(i + 1, self.pointee(i, var))
            self.wr.close()
        elif lv.kind == 'array' and self.elem_has_buffers(i + 1):
            self.push_array_body(i, var, header=False, scalars=False,
                                 buffers=True)

    def push_full(self, i, var):
        lv = self.e.levels[i]
        if lv.kind == 'data':
            self.push_data(lv, var, 'NDR_SCALARS|NDR_BUFFERS')
        elif lv.kind == 'ptr':
            self.push_scalars(i, var)
            self.push_buffers(i, var)
        elif lv.kind == 'array':
            self.push_array_body(i, var, header=True, scalars=True,
                                 buffers=self.elem_has_buffers(i + 1))
        elif lv.kind == 'string':
            self.push_string(i, var)

    def pointee(self, i, var):
        nxt = self.e.levels[i + 1]
        if nxt.kind in ('array', 'string'):
            return var
        return deref(var)

    def push_string(self, i, var):
        lv = self.e.levels[i]
        w = self.wr.w
        chset, ctype = CHARSETS[lv.charset]
        ln = self.wr.var(self.vname('length', i), 'uint32_t', '0')
        if chset == 'CH_DOS':
            # Samba's ndr_charset_length() counts a DOS string in UTF-8
            # bytes, which over-sizes any non-ASCII string (the extra
            # bytes go on the wire as NULs): count the converted bytes.
            w('%s = strlen_m_ext_term(%s, CH_UNIX, CH_DOS);' % (ln, var))
        else:
            w('%s = ndr_charset_length(%s, %s);' % (ln, var, chset))
        size = ln
        if lv.size:
            size = self.env.translate(lv.size)
            self.wr.open('if (%s > %s)' % (ln, size))
            w('return ndr_push_error(ndr, NDR_ERR_ARRAY_SIZE, '
              '"string %s longer than its size_is");' % self.e.name)
            self.wr.close()
        w(check('ndr_push_uint3264(ndr, NDR_SCALARS, %s)' % size))
        w(check('ndr_push_uint3264(ndr, NDR_SCALARS, 0)'))
        w(check('ndr_push_uint3264(ndr, NDR_SCALARS, %s)' % ln))
        w(check('ndr_push_charset(ndr, NDR_SCALARS, %s, %s, sizeof(%s), %s)'
                % (var, ln, ctype, chset)))

    def push_array_body(self, i, var, header, scalars, buffers):
        lv = self.e.levels[i]
        w = self.wr.w
        size, length = self.count_exprs(lv)
        count = length if length else size
        if scalars:
            if header and lv.fixed is None:
                w(check('ndr_push_uint3264(ndr, NDR_SCALARS, %s)' % size))
            if length:
                if size is not None and size != length:
                    self.wr.open('if (%s > %s)' % (length, size))
                    w('return ndr_push_error(ndr, NDR_ERR_ARRAY_SIZE, '
                      '"%s: length_is exceeds size_is");' % self.e.name)
                    self.wr.close()
                w(check('ndr_push_uint3264(ndr, NDR_SCALARS, 0)'))
                w(check('ndr_push_uint3264(ndr, NDR_SCALARS, %s)' % length))
        nxt = self.e.levels[i + 1]
        if scalars and nxt.kind == 'data' and nxt.type.name == 'uint8':
            w(check('ndr_push_array_uint8(ndr, NDR_SCALARS, %s, %s)'
                    % (var, count)))
            return
        cntr = self.wr.var(self.vname('cntr', i), 'uint32_t')
        item = '%s[%s]' % (var, cntr)
        if scalars:
            self.wr.open('for (%s = 0; %s < %s; %s++)' % (cntr, cntr, count, cntr))
            self.push_scalars(i + 1, item)
            self.wr.close()
        if buffers:
            self.wr.open('for (%s = 0; %s < %s; %s++)' % (cntr, cntr, count, cntr))
            self.push_buffers(i + 1, item)
            self.wr.close()

    # ============================================================== pull
    def pull_data(self, lv, var, flags):
        t = lv.type
        w = self.wr.w
        if t.kind == 'union':
            w(check('ndr_pull_set_switch_value(ndr, %s, %s)'
                    % (addr(var), self.switch_expr())))
        if t.is_scalar_value:
            w(check('ndr_pull_%s(ndr, NDR_SCALARS, %s)' % (t.fn_name(), addr(var))))
            self.range_check(lv, var)
        elif t.kind == 'base' and t.name == 'policy_handle':
            w(check('ndr_pull_policy_handle(ndr, NDR_SCALARS, %s)' % addr(var)))
        else:
            w(check('ndr_pull_%s(ndr, %s, %s)' % (t.fn_name(), flags, addr(var))))

    def range_check(self, lv, var):
        if self.e.range is None:
            return
        base = lv.type.base if lv.type.kind != 'base' else lv.type.name
        lo_t, hi_t = self.e.range
        lo, hi = int(lo_t.rstrip('uUlL'), 0), int(hi_t.rstrip('uUlL'), 0)
        conds = []
        if lo > TYPE_MIN.get(base, 0):
            conds.append('%s < %s' % (var, lo_t))
        if hi < TYPE_MAX.get(base, 0):
            conds.append('%s > %s' % (var, hi_t))
        if not conds:
            return
        self.wr.open('if (%s)' % ' || '.join(conds))
        self.wr.w('return ndr_pull_error(ndr, NDR_ERR_RANGE, "value (%%llu) '
                  'of %s out of range (%s - %s)", (unsigned long long)%s);'
                  % (self.e.name, lo_t, hi_t, var))
        self.wr.close()

    def alloc_ptr(self, i, var, ref_alloc=False):
        """Allocate the target of pointer level i (arrays/strings allocate
        themselves; a placeholder marks presence between passes)."""
        w = self.wr.w
        if ref_alloc:
            self.wr.open('if ((ndr->flags & LIBNDR_FLAG_REF_ALLOC) || %s == NULL)'
                         % var)
            w('NDR_PULL_ALLOC(ndr, %s);' % var)
            self.wr.close()
        else:
            w('NDR_PULL_ALLOC(ndr, %s);' % var)

    def memctx_push(self, i, var, flag='0'):
        save = self.wr.var(self.vname('_mem_save', i), 'TALLOC_CTX *', 'NULL')
        self.wr.w('%s = NDR_PULL_GET_MEM_CTX(ndr);' % save)
        self.wr.w('NDR_PULL_SET_MEM_CTX(ndr, %s, %s);' % (var, flag))
        return save

    def memctx_pop(self, save, flag='0'):
        self.wr.w('NDR_PULL_SET_MEM_CTX(ndr, %s, %s);' % (save, flag))

    def pull_scalars(self, i, var):
        lv = self.e.levels[i]
        w = self.wr.w
        if lv.kind == 'data':
            self.pull_data(lv, var, 'NDR_SCALARS')
        elif lv.kind == 'ptr' and lv.top:
            nxt = self.e.levels[i + 1]
            if lv.ptype == 'ref':
                if nxt.kind in ('data', 'ptr'):
                    self.alloc_ptr(i, var, ref_alloc=True)
                    save = self.memctx_push(i, var, 'LIBNDR_FLAG_REF_ALLOC')
                    self.pull_full(i + 1, self.pointee(i, var))
                    self.memctx_pop(save, 'LIBNDR_FLAG_REF_ALLOC')
                else:
                    self.pull_full(i + 1, self.pointee(i, var))
            else:
                ptr = self.wr.var(self.vname('_ptr', i), 'uint32_t', '0')
                w(check('ndr_pull_generic_ptr(ndr, &%s)' % ptr))
                self.wr.open('if (%s)' % ptr)
                if nxt.kind in ('data', 'ptr'):
                    w('NDR_PULL_ALLOC(ndr, %s);' % var)
                    save = self.memctx_push(i, var)
                    self.pull_full(i + 1, self.pointee(i, var))
                    self.memctx_pop(save)
                else:
                    self.pull_full(i + 1, self.pointee(i, var))
                self.wr.close()
                self.wr.open('else')
                w('%s = NULL;' % var)
                self.wr.close()
        elif lv.kind == 'ptr':
            ptr = self.wr.var(self.vname('_ptr', i), 'uint32_t', '0')
            if lv.ptype == 'ref':
                w(check('ndr_pull_ref_ptr(ndr, &%s)' % ptr))
            else:
                w(check('ndr_pull_generic_ptr(ndr, &%s)' % ptr))
            self.wr.open('if (%s)' % ptr)
            w('NDR_PULL_ALLOC(ndr, %s);' % var)
            self.wr.close()
            self.wr.open('else')
            w('%s = NULL;' % var)
            self.wr.close()
        elif lv.kind == 'array':
            self.pull_array(i, var, inline=True, scalars=True, buffers=False)
        else:
            raise GenError('%s: string not behind a pointer' % self.e.name)

    def pull_buffers(self, i, var):
        lv = self.e.levels[i]
        if lv.kind == 'data':
            if lv.type.has_buffers:
                self.pull_data(lv, var, 'NDR_BUFFERS')
        elif lv.kind == 'ptr' and not lv.top:
            self.wr.open('if (%s)' % var)
            nxt = self.e.levels[i + 1]
            if nxt.kind in ('data', 'ptr'):
                save = self.memctx_push(i, var)
                self.pull_full(i + 1, self.pointee(i, var))
                self.memctx_pop(save)
            else:
                self.pull_full(i + 1, self.pointee(i, var))
            self.wr.close()
        elif lv.kind == 'array' and self.elem_has_buffers(i + 1):
            self.pull_array(i, var, inline=True, scalars=False, buffers=True)

    def pull_full(self, i, var):
        lv = self.e.levels[i]
        if lv.kind == 'data':
            self.pull_data(lv, var, 'NDR_SCALARS|NDR_BUFFERS')
        elif lv.kind == 'ptr':
            self.pull_scalars(i, var)
            self.pull_buffers(i, var)
        elif lv.kind == 'array':
            self.pull_array(i, var, inline=False, scalars=True,
                            buffers=self.elem_has_buffers(i + 1))
        elif lv.kind == 'string':
            self.pull_string(i, var)

    def size_check(self, lv, toks, wire, what):
        """Compare a wire count with its size_is/length_is expression, now or
        (when the expression's fields are not pulled yet) at the end."""
        expr = self.env.translate(toks)
        code = ['if (%s != %s) {' % (wire, expr),
                '\treturn ndr_pull_error(ndr, NDR_ERR_ARRAY_SIZE, '
                '"%s: %s %%u does not match its attribute", (unsigned)%s);'
                % (self.e.name, what, wire), '}']
        refs = self.env.refs(toks)
        avail = getattr(self.env, 'available', None)
        if avail is None or all(r in avail for r in refs):
            for c in code:
                self.wr.w(c)
        else:
            self.wr.deferred.append(code)

    def pull_string(self, i, var):
        lv = self.e.levels[i]
        w = self.wr.w
        chset, ctype = CHARSETS[lv.charset]
        size = self.wr.var(self.vname('size', i), 'uint32_t', '0')
        ofs = self.wr.var(self.vname('offset', i), 'uint32_t', '0')
        ln = self.wr.var(self.vname('length', i), 'uint32_t', '0')
        w(check('ndr_pull_uint3264(ndr, NDR_SCALARS, &%s)' % size))
        w(check('ndr_pull_uint3264(ndr, NDR_SCALARS, &%s)' % ofs))
        w(check('ndr_pull_uint3264(ndr, NDR_SCALARS, &%s)' % ln))
        self.wr.open('if (%s != 0 || %s > %s)' % (ofs, ln, size))
        w('return ndr_pull_error(ndr, NDR_ERR_ARRAY_SIZE, "%s: bad string '
          'bounds (offset %%u, length %%u, size %%u)", (unsigned)%s, '
          '(unsigned)%s, (unsigned)%s);' % (self.e.name, ofs, ln, size))
        self.wr.close()
        if lv.size:
            self.size_check(lv, lv.size, size, 'string size')
        w(check('ndr_check_string_terminator(ndr, %s, sizeof(%s))' % (ln, ctype)))
        w(check('ndr_pull_charset(ndr, NDR_SCALARS, &%s, %s, sizeof(%s), %s)'
                % (var, ln, ctype, chset)))

    def pull_array(self, i, var, inline, scalars, buffers):
        lv = self.e.levels[i]
        w = self.wr.w
        nxt = self.e.levels[i + 1]
        conformant = lv.fixed is None
        size = self.vname('size', i) if conformant else str(lv.fixed)
        length = self.vname('length', i) if lv.length else None
        count = length or size
        if scalars:
            if conformant:
                self.wr.var(size, 'uint32_t', '0')
                if not inline:
                    w(check('ndr_pull_uint3264(ndr, NDR_SCALARS, &%s)' % size))
                # inline: the struct pulled it before its alignment
            if length:
                ofs = self.wr.var(self.vname('offset', i), 'uint32_t', '0')
                self.wr.var(length, 'uint32_t', '0')
                w(check('ndr_pull_uint3264(ndr, NDR_SCALARS, &%s)' % ofs))
                w(check('ndr_pull_uint3264(ndr, NDR_SCALARS, &%s)' % length))
                self.wr.open('if (%s != 0 || %s > %s)' % (ofs, length, size))
                w('return ndr_pull_error(ndr, NDR_ERR_ARRAY_SIZE, "%s: bad '
                  'array bounds (offset %%u, length %%u, size %%u)", '
                  '(unsigned)%s, (unsigned)%s, (unsigned)%s);'
                  % (self.e.name, ofs, length, size))
                self.wr.close()
            if conformant:
                self.size_check(lv, lv.size, size, 'size')
            if length:
                self.size_check(lv, lv.length, length, 'length')
            # Every element takes at least one byte: a count larger than what
            # is left cannot be genuine, and must not size an allocation.
            self.wr.open('if (%s > ndr->data_size - ndr->offset)' % count)
            w('return ndr_pull_error(ndr, NDR_ERR_ARRAY_SIZE, "%s: count %%u '
              'exceeds the remaining data", (unsigned)%s);' % (self.e.name, count))
            self.wr.close()
            if conformant and length:
                self.wr.open('if (%s - %s > ndr->data_size)' % (size, length))
                w('return ndr_pull_error(ndr, NDR_ERR_ARRAY_SIZE, "%s: size %%u '
                  'is implausible", (unsigned)%s);' % (self.e.name, size))
                self.wr.close()
            if conformant:
                w('NDR_PULL_ALLOC_N(ndr, %s, %s);' % (var, size))
        save = None
        if conformant:
            save = self.memctx_push(i, var)
        if scalars and nxt.kind == 'data' and nxt.type.name == 'uint8':
            w(check('ndr_pull_array_uint8(ndr, NDR_SCALARS, %s, %s)' % (var, count)))
        else:
            cntr = self.wr.var(self.vname('cntr', i), 'uint32_t')
            item = '%s[%s]' % (var, cntr)
            if scalars:
                self.wr.open('for (%s = 0; %s < %s; %s++)' % (cntr, cntr, count, cntr))
                self.pull_scalars(i + 1, item)
                self.wr.close()
            if buffers:
                if not scalars and conformant:
                    count = self.buffers_count(lv)
                self.wr.open('for (%s = 0; %s < %s; %s++)' % (cntr, cntr, count, cntr))
                self.pull_buffers(i + 1, item)
                self.wr.close()
        if save:
            self.memctx_pop(save)

    def buffers_count(self, lv):
        """Element count for the buffers pass of an inline conformant array:
        the attribute, which the scalars pass has checked against the wire."""
        size, length = self.count_exprs(lv)
        return length or size

    # ============================================================== print
    def print_level(self, i, var, name):
        lv = self.e.levels[i]
        w = self.wr.w
        if lv.kind == 'data':
            t = lv.type
            if t.kind == 'union':
                w('ndr_print_set_switch_value(ndr, %s, %s);'
                  % (addr(var), self.switch_expr(guard=True)))
            if t.is_scalar_value:
                w('ndr_print_%s(ndr, "%s", %s);' % (t.fn_name(), name, var))
            else:
                w('ndr_print_%s(ndr, "%s", %s);' % (t.fn_name(), name, addr(var)))
        elif lv.kind == 'ptr':
            w('ndr_print_ptr(ndr, "%s", %s);' % (name, var))
            w('ndr->depth++;')
            self.wr.open('if (%s)' % var)
            self.print_level(i + 1, self.pointee(i, var), name)
            self.wr.close()
            w('ndr->depth--;')
        elif lv.kind == 'string':
            w('ndr_print_string(ndr, "%s", %s);' % (name, var))
        elif lv.kind == 'array':
            size, length = self.count_exprs(lv, guard=True)
            count = length or size
            nxt = self.e.levels[i + 1]
            if nxt.kind == 'data' and nxt.type.name == 'uint8':
                w('ndr_print_array_uint8(ndr, "%s", %s, %s);' % (name, var, count))
                return
            cntr = self.wr.var(self.vname('cntr', i), 'uint32_t')
            w('ndr->print(ndr, "%%s: ARRAY(%%u)", "%s", (unsigned)%s);'
              % (name, count))
            w('ndr->depth++;')
            self.wr.open('for (%s = 0; %s < %s; %s++)' % (cntr, cntr, count, cntr))
            self.print_level(i + 1, '%s[%s]' % (var, cntr), name)
            self.wr.close()
            w('ndr->depth--;')


def c_decl(elem, name=None):
    """C declaration of an element: 'uint32_t *x', 'uint8_t ab[16]'."""
    levels = elem.levels
    data = levels[-1].type
    stars = 0
    suffix = ''
    base = data.ctype
    for idx, lv in enumerate(levels[:-1]):
        if lv.kind == 'ptr':
            nxt = levels[idx + 1]
            if nxt.kind == 'string':
                base = 'const char'
            stars += 1
        elif lv.kind == 'array':
            prev = levels[idx - 1] if idx else None
            if prev is not None and prev.kind == 'ptr':
                continue
            if lv.fixed is not None:
                suffix = '[%d]' % lv.fixed
            else:
                stars += 1
    n = name or elem.name
    return '%s %s%s%s' % (base, '*' * stars, n, suffix)


def attr_comment(elem):
    bits = []
    for k in sorted(elem.attrs):
        a = elem.attrs[k]
        if a.args:
            bits.append('%s(%s)' % (k, ','.join(tokens_text(x) for x in a.args)))
        else:
            bits.append(k)
    return '/* [%s] */' % ','.join(bits) if bits else ''
