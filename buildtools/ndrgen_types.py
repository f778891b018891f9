"""Per-type C code for ndrgen: push/pull/print of structs, unions, enums and
bitmaps, with the signatures pidl gives them so Samba code can call them."""

from ndrgen_levels import ElementCode, Env, Writer, check, GenError
from ndrgen_model import BASE_TYPES


def proto_push(t):
    if t.is_scalar_value:
        return ('enum ndr_err_code ndr_push_%s(struct ndr_push *ndr, '
                'int ndr_flags, %s r)' % (t.name, t.ctype))
    return ('enum ndr_err_code ndr_push_%s(struct ndr_push *ndr, '
            'int ndr_flags, const %s *r)' % (t.name, t.ctype))


def proto_pull(t):
    return ('enum ndr_err_code ndr_pull_%s(struct ndr_pull *ndr, '
            'int ndr_flags, %s *r)' % (t.name, t.ctype))


def proto_print(t):
    if t.is_scalar_value:
        return ('void ndr_print_%s(struct ndr_print *ndr, const char *name, '
                '%s r)' % (t.name, t.ctype))
    return ('void ndr_print_%s(struct ndr_print *ndr, const char *name, '
            'const %s *r)' % (t.name, t.ctype))


def function_body(proto, wr, head=(), tail=()):
    out = [proto, '{']
    out.extend(wr.declarations())
    out.extend('\t' + h for h in head)
    out.extend(wr.lines)
    out.extend('\t' + x for x in tail)
    out.append('}')
    out.append('')
    return out


# ------------------------------------------------------------ enum/bitmap
def enum_code(t):
    base = BASE_TYPES[t.base]
    kind = 'enum_' if t.kind == 'enum' else ''
    ctype = base[0]
    out = []
    out += [proto_push(t), '{',
            '\tNDR_CHECK(ndr_push_%s%s(ndr, NDR_SCALARS, r));' % (kind, base[2]),
            '\treturn NDR_ERR_SUCCESS;', '}', '']
    out += [proto_pull(t), '{', '\t%s v;' % ctype,
            '\tNDR_CHECK(ndr_pull_%s%s(ndr, NDR_SCALARS, &v));' % (kind, base[2]),
            '\t*r = v;', '\treturn NDR_ERR_SUCCESS;', '}', '']
    out += [proto_print(t), '{']
    if t.kind == 'enum':
        out.append('\tconst char *val = NULL;')
        out.append('')
        out.append('\tswitch (r) {')
        for name, _ in t.values:
            out.append('\tcase %s: val = "%s"; break;' % (name, name))
        out.append('\t}')
        out.append('\tndr_print_enum(ndr, name, "ENUM", val, r);')
    else:
        out.append('\tndr_print_%s(ndr, name, r);' % base[2])
        out.append('\tndr->depth++;')
        for name, _ in t.values:
            out.append('\tndr_print_bitmap_flag(ndr, sizeof(%s), "%s", %s, r);'
                       % (ctype, name, name))
        out.append('\tndr->depth--;')
    out += ['}', '']
    return out


# ------------------------------------------------------------------ struct
def struct_env(t):
    return Env('struct', {e.name for e in t.elements})


def recursion_head(t):
    if not t.check_recursion:
        return [], []
    return (['NDR_RECURSION_CHECK(ndr, %d);' % t.max_recursion],
            ['NDR_RECURSION_UNWIND(ndr);'])


def struct_push(t):
    wr = Writer()
    env = struct_env(t)
    wr.w('NDR_PUSH_CHECK_FLAGS(ndr, ndr_flags);')
    wr.open('if (ndr_flags & NDR_SCALARS)')
    if t.conformant is not None:
        lv = t.conformant.levels[0]
        wr.w(check('ndr_push_uint3264(ndr, NDR_SCALARS, %s)'
                   % env.translate(lv.size)))
    wr.w(check('ndr_push_align(ndr, %d)' % t.align))
    for e in t.elements:
        ElementCode(e, env, wr).push_scalars(0, 'r->%s' % e.name)
    wr.close()
    wr.open('if (ndr_flags & NDR_BUFFERS)')
    for e in t.elements:
        ElementCode(e, env, wr).push_buffers(0, 'r->%s' % e.name)
    wr.close()
    wr.w('return NDR_ERR_SUCCESS;')
    return function_body(proto_push(t), wr)


def struct_pull(t):
    wr = Writer()
    env = struct_env(t)
    env.available = set()
    head, tail = recursion_head(t)
    wr.w('NDR_PULL_CHECK_FLAGS(ndr, ndr_flags);')
    for h in head:
        wr.w(h)
    wr.open('if (ndr_flags & NDR_SCALARS)')
    if t.conformant is not None:
        size = wr.var('size_%s_0' % t.conformant.name, 'uint32_t', '0')
        wr.w(check('ndr_pull_uint3264(ndr, NDR_SCALARS, &%s)' % size))
    wr.w(check('ndr_pull_align(ndr, %d)' % t.align))
    for e in t.elements:
        ElementCode(e, env, wr).pull_scalars(0, 'r->%s' % e.name)
        env.available.add(e.name)
    for code in wr.deferred:
        for c in code:
            wr.w(c)
    wr.deferred = []
    wr.close()
    wr.open('if (ndr_flags & NDR_BUFFERS)')
    for e in t.elements:
        ElementCode(e, env, wr).pull_buffers(0, 'r->%s' % e.name)
    wr.close()
    for x in tail:
        wr.w(x)
    wr.w('return NDR_ERR_SUCCESS;')
    return function_body(proto_pull(t), wr)


def struct_print(t):
    wr = Writer()
    env = struct_env(t)
    wr.w('ndr_print_struct(ndr, name, "%s");' % t.name)
    wr.open('if (r == NULL)')
    wr.w('ndr_print_null(ndr);')
    wr.w('return;')
    wr.close()
    wr.w('ndr->depth++;')
    for e in t.elements:
        ElementCode(e, env, wr).print_level(0, 'r->%s' % e.name, e.name)
    wr.w('ndr->depth--;')
    return function_body(proto_print(t), wr)


# ------------------------------------------------------------------- union
def union_labels(labels):
    return ['case %s:' % l for l in labels] if labels else ['default:']


def has_default(t):
    return any(labels is None for labels, _ in t.cases)


def union_switch(wr, t, env, level, emit, error_fn):
    """switch (level) { case ...: <emit(arm)> break; } with the
    bad-switch default unless the union has its own default arm."""
    wr.open('switch (%s)' % level)
    for labels, arm in t.cases:
        for l in union_labels(labels):
            wr.w(l)
        wr.ind += 1
        if arm is not None:
            emit(ElementCode(arm, env, wr), 'r->%s' % arm.name)
        wr.w('break;')
        wr.ind -= 1
    if not has_default(t):
        wr.w('default:')
        wr.w('\treturn %s(ndr, NDR_ERR_BAD_SWITCH, '
             '"Bad switch value %%u", (unsigned)%s);' % (error_fn, level))
    wr.close()


def union_push(t):
    wr = Writer()
    env = Env('struct', set())
    sw = BASE_TYPES[t.switch_type]
    level = wr.var('level', 'uint32_t', '0')
    wr.w('NDR_PUSH_CHECK_FLAGS(ndr, ndr_flags);')
    wr.w(check('ndr_push_steal_switch_value(ndr, r, &%s)' % level))
    wr.open('if (ndr_flags & NDR_SCALARS)')
    wr.w(check('ndr_push_align(ndr, %d)' % t.align))
    wr.w(check('ndr_push_%s(ndr, NDR_SCALARS, (%s)%s)' % (sw[2], sw[0], level)))
    union_switch(wr, t, env, level, lambda code, v: code.push_scalars(0, v), 'ndr_push_error')
    wr.close()
    wr.open('if (ndr_flags & NDR_BUFFERS)')
    union_switch(wr, t, env, level, lambda code, v: code.push_buffers(0, v), 'ndr_push_error')
    wr.close()
    wr.w('return NDR_ERR_SUCCESS;')
    return function_body(proto_push(t), wr)


def union_pull(t):
    wr = Writer()
    env = Env('struct', set())
    env.available = set()
    sw = BASE_TYPES[t.switch_type]
    level = wr.var('level', 'uint32_t', '0')
    wire = wr.var('_level', sw[0], '0')
    head, tail = recursion_head(t)
    wr.w('NDR_PULL_CHECK_FLAGS(ndr, ndr_flags);')
    for h in head:
        wr.w(h)
    wr.w(check('ndr_pull_steal_switch_value(ndr, r, &%s)' % level))
    wr.open('if (ndr_flags & NDR_SCALARS)')
    wr.w(check('ndr_pull_align(ndr, %d)' % t.align))
    wr.w(check('ndr_pull_%s(ndr, NDR_SCALARS, &%s)' % (sw[2], wire)))
    wr.open('if ((uint32_t)%s != %s)' % (wire, level))
    wr.w('return ndr_pull_error(ndr, NDR_ERR_BAD_SWITCH, "Bad switch value '
         '%%u, expected %%u", (unsigned)%s, (unsigned)%s);' % (wire, level))
    wr.close()
    union_switch(wr, t, env, level, lambda code, v: code.pull_scalars(0, v), 'ndr_pull_error')
    wr.close()
    wr.open('if (ndr_flags & NDR_BUFFERS)')
    union_switch(wr, t, env, level, lambda code, v: code.pull_buffers(0, v), 'ndr_pull_error')
    wr.close()
    for x in tail:
        wr.w(x)
    wr.w('return NDR_ERR_SUCCESS;')
    if wr.deferred:
        raise GenError('union %s: unsupported size_is reference' % t.name)
    return function_body(proto_pull(t), wr)


def union_print(t):
    wr = Writer()
    env = Env('struct', set())
    level = wr.var('level', 'uint32_t', '0')
    wr.w('%s = ndr_print_steal_switch_value(ndr, r);' % level)
    wr.w('ndr_print_union(ndr, name, %s, "%s");' % (level, t.name))
    wr.open('switch (%s)' % level)
    for labels, arm in t.cases:
        for l in union_labels(labels):
            wr.w(l)
        wr.ind += 1
        if arm is not None:
            ElementCode(arm, env, wr).print_level(0, 'r->%s' % arm.name, arm.name)
        wr.w('break;')
        wr.ind -= 1
    if not has_default(t):
        wr.w('default:')
        wr.w('\tndr_print_bad_level(ndr, name, (uint16_t)%s);' % level)
    wr.close()
    return function_body(proto_print(t), wr)


def type_code(t):
    if t.kind in ('enum', 'bitmap'):
        return enum_code(t)
    if t.kind == 'struct':
        return struct_push(t) + struct_pull(t) + struct_print(t)
    if t.kind == 'union':
        return union_push(t) + union_pull(t) + union_print(t)
    raise GenError('cannot generate code for %s' % t.name)
