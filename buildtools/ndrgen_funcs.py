"""Per-function C code for ndrgen: the `struct Fn { in; out; }` stubs'
push/pull/print, laid out as pidl does so dcesrv/dcerpc code can use them."""

from ndrgen_levels import ElementCode, Env, Writer, check, deref
from ndrgen_types import function_body


def proto_push(fn):
    return ('enum ndr_err_code ndr_push_%s(struct ndr_push *ndr, int flags, '
            'const struct %s *r)' % (fn.name, fn.name))


def proto_pull(fn):
    return ('enum ndr_err_code ndr_pull_%s(struct ndr_pull *ndr, int flags, '
            'struct %s *r)' % (fn.name, fn.name))


def proto_print(fn):
    return ('void ndr_print_%s(struct ndr_print *ndr, const char *name, '
            'int flags, const struct %s *r)' % (fn.name, fn.name))


def fn_env(fn, direction):
    params = {p.name: p for p in fn.params}
    return Env('fn', set(params), direction, params)


def has_in(fn):
    return any(p.is_in for p in fn.params)


def has_out(fn):
    return any(p.is_out for p in fn.params) or fn.result is not None


def var_of(p, direction):
    return 'r->%s.%s' % (direction, p.name)


def param_ref_checks(fn, env, direction, wr, push):
    """A NULL top-level [ref] pointer cannot be marshalled; check them all
    first, so that size_is(*p) expressions can dereference safely."""
    names = []
    for p in fn.params:
        if (p.is_in if direction == 'in' else p.is_out) and \
                p.levels[0].kind == 'ptr' and p.levels[0].ptype == 'ref':
            if push:
                names.append(env.name(p.name))
    for p in fn.params:
        if not (p.is_in if direction == 'in' else p.is_out):
            continue
        for lv in p.levels:
            for toks in (lv.size, lv.length):
                if toks:
                    names.extend(env.deref_pointers(toks))
    seen = []
    for n in names:
        if n in seen:
            continue
        seen.append(n)
        if not push and '->out.' in n:
            continue    # pulled (allocated) before use, checked at the end
        wr.open('if (%s == NULL)' % n)
        if push:
            wr.w('return ndr_push_error(ndr, NDR_ERR_INVALID_POINTER, '
                 '"NULL [ref] pointer");')
        else:
            wr.w('return ndr_pull_error(ndr, NDR_ERR_INVALID_POINTER, '
                 '"NULL [ref] pointer");')
        wr.close()


def push_param(p, env, wr, direction):
    code = ElementCode(p, env, wr)
    var = var_of(p, direction)
    if p.levels[0].kind == 'ptr':
        code.push_scalars(0, var)
    else:
        code.push_full(0, var)


def result_fn(fn):
    t = fn.result
    return t.fn_name()


def fn_push(fn):
    wr = Writer()
    wr.w('NDR_PUSH_CHECK_FN_FLAGS(ndr, flags);')
    for direction in ('in', 'out'):
        if direction == 'in' and not has_in(fn):
            continue
        if direction == 'out' and not has_out(fn):
            continue
        env = fn_env(fn, direction)
        wr.open('if (flags & NDR_%s)' % direction.upper())
        param_ref_checks(fn, env, direction, wr, push=True)
        for p in fn.params:
            if (p.is_in if direction == 'in' else p.is_out):
                push_param(p, env, wr, direction)
        if direction == 'out' and fn.result is not None:
            wr.w(check('ndr_push_%s(ndr, NDR_SCALARS, r->out.result)'
                       % result_fn(fn)))
        wr.close()
    wr.w('return NDR_ERR_SUCCESS;')
    return function_body(proto_push(fn), wr)


def out_alloc(fn, p, wr):
    """[out] parameters get storage while the request is pulled, as pidl
    does: zeroed for [out], a copy of the [in] value for [in,out]."""
    lv = p.levels[0]
    if lv.kind != 'ptr' or lv.ptype != 'ref':
        return
    nxt = p.levels[1]
    out = 'r->out.%s' % p.name
    if nxt.kind in ('data', 'ptr'):
        wr.w('NDR_PULL_ALLOC(ndr, %s);' % out)
        if p.is_in:
            wr.w('*%s = *r->in.%s;' % (out, p.name))
        else:
            wr.w('NDR_ZERO_STRUCTP(%s);' % out)
        return
    if nxt.kind == 'array' and not p.is_in:
        env = fn_env(fn, 'in')
        toks = nxt.size if nxt.fixed is None else None
        if nxt.fixed is not None:
            size = str(nxt.fixed)
        elif toks and all(fn_param(fn, n).is_in and fn_param(fn, n).range
                          for n in env.refs(toks)):
            # Only a count bounded by [range] may size the allocation.
            size = env.translate(toks)
        else:
            return
        wr.w('NDR_PULL_ALLOC_N(ndr, %s, %s);' % (out, size))
        wr.w('memset(%s, 0, (%s) * sizeof(*%s));' % (out, size, out))


def fn_param(fn, name):
    for p in fn.params:
        if p.name == name:
            return p
    return None


def fn_pull(fn):
    wr = Writer()
    wr.w('NDR_PULL_CHECK_FN_FLAGS(ndr, flags);')
    for direction in ('in', 'out'):
        if direction == 'in' and not has_in(fn):
            continue
        if direction == 'out' and not has_out(fn):
            continue
        env = fn_env(fn, direction)
        env.available = set()
        if direction == 'out':
            env.available = {p.name for p in fn.params if not p.is_out}
        wr.open('if (flags & NDR_%s)' % direction.upper())
        if direction == 'in' and has_out(fn):
            wr.w('NDR_ZERO_STRUCT(r->out);')
        if direction == 'out':
            param_ref_checks(fn, env, direction, wr, push=False)
        for p in fn.params:
            if not (p.is_in if direction == 'in' else p.is_out):
                continue
            code = ElementCode(p, env, wr)
            var = var_of(p, direction)
            if p.levels[0].kind == 'ptr':
                code.pull_scalars(0, var)
            else:
                code.pull_full(0, var)
            env.available.add(p.name)
        if direction == 'out' and fn.result is not None:
            wr.w(check('ndr_pull_%s(ndr, NDR_SCALARS, &r->out.result)'
                       % result_fn(fn)))
        for code in wr.deferred:
            for c in code:
                wr.w(c)
        wr.deferred = []
        if direction == 'in':
            for p in fn.params:
                if p.is_out:
                    out_alloc(fn, p, wr)
        wr.close()
    wr.w('return NDR_ERR_SUCCESS;')
    return function_body(proto_pull(fn), wr)


def fn_print(fn):
    wr = Writer()
    wr.w('ndr_print_struct(ndr, name, "%s");' % fn.name)
    wr.open('if (r == NULL)')
    wr.w('ndr_print_null(ndr);')
    wr.w('return;')
    wr.close()
    wr.w('ndr->depth++;')
    wr.open('if (flags & NDR_SET_VALUES)')
    wr.w('ndr->flags |= LIBNDR_PRINT_SET_VALUES;')
    wr.close()
    for direction in ('in', 'out'):
        env = fn_env(fn, direction)
        wr.open('if (flags & NDR_%s)' % direction.upper())
        wr.w('ndr_print_struct(ndr, "%s", "%s");' % (direction, fn.name))
        wr.w('ndr->depth++;')
        for p in fn.params:
            if (p.is_in if direction == 'in' else p.is_out):
                ElementCode(p, env, wr).print_level(0, var_of(p, direction),
                                                    p.name)
        if direction == 'out' and fn.result is not None:
            wr.w('ndr_print_%s(ndr, "result", r->out.result);' % result_fn(fn))
        wr.w('ndr->depth--;')
        wr.close()
    wr.w('ndr->depth--;')
    return function_body(proto_print(fn), wr)


def function_code(fn):
    return fn_push(fn) + fn_pull(fn) + fn_print(fn)


__all__ = ['function_code', 'proto_push', 'proto_pull', 'proto_print',
           'has_in', 'has_out', 'deref']
