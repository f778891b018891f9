#!/usr/bin/env python3
"""Generate the ROP structs and field tables from rops.def.

Usage: rop_gen.py rops.def out.h out.c

The output is interpreted by ndr/rop/rop_codec.c; see doc/rop-codec.md.
"""
import re
import sys

SCALARS = {'u8': ('uint8_t', 1, 'RFT_U8'), 'u16': ('uint16_t', 2, 'RFT_U16'),
           'u32': ('uint32_t', 4, 'RFT_U32'), 'u64': ('uint64_t', 8, 'RFT_U64')}
CUSTOM_TYPES = {
    'rows': 'struct PropertyRow *',
    'row': 'struct PropertyRow',
    'gps_row': 'struct PropertyRow',
    'rcvfolder_rows': 'struct PropertyRow *',
    'openrecip': 'struct OpenRecipientRow *',
    'modrecip': 'struct ModifyRecipientRow *',
    'readrecip': 'struct ReadRecipientRow *',
    'notifdata': 'struct NotificationData',
}
ARRAYS = {  # type -> (C element pointer type, RFT, min element size)
    'bytes': ('uint8_t *', 'RFT_BYTES'),
    'u16s': ('uint16_t *', 'RFT_U16S'),
    'u32s': ('uint32_t *', 'RFT_U32S'),
    'u64s': ('uint64_t *', 'RFT_U64S'),
    'ltids': ('struct LongTermID *', 'RFT_LTIDS'),
    'str8s': ('char **', 'RFT_STR8S'),
    'tpv': ('struct TaggedPropertyValue *', 'RFT_TPV'),
    'problems': ('struct PropertyProblem *', 'RFT_PROBLEMS'),
    'sortorders': ('struct SortOrder *', 'RFT_SORTORDERS'),
    'propnames': ('struct PropertyName *', 'RFT_PROPNAMES'),
}


class Field:
    def __init__(self, name, typ, conds, lineno):
        self.name, self.typ, self.conds, self.lineno = name, typ, conds, lineno


class Layout:
    def __init__(self, cname):
        self.cname = cname
        self.fields = []


class Rop:
    def __init__(self, name, rid, section, flags):
        self.name, self.rid, self.section = name, rid, section
        self.noresp = 'noresp' in flags
        self.noreq = 'noreq' in flags
        self.req = None if self.noreq else Layout('%s_req' % name)
        self.resp = None if self.noresp else Layout('%s_resp' % name)


def die(lineno, msg):
    sys.stderr.write('rops.def:%d: %s\n' % (lineno, msg))
    sys.exit(1)


def parse(path):
    rops, records, cur, cur_rop = [], {}, None, None
    for lineno, raw in enumerate(open(path), 1):
        line = raw.split('#', 1)[0].strip()
        if not line:
            continue
        words = line.split()
        if words[0] == 'rop':
            cur_rop = Rop(words[1], int(words[2], 16), words[3], words[4:])
            rops.append(cur_rop)
            cur = None
        elif words[0] == 'record':
            cur = Layout(words[1])
            records[words[1]] = cur
            cur_rop = None
        elif words[0] in ('req', 'resp'):
            cur = cur_rop.req if words[0] == 'req' else cur_rop.resp
            if cur is None:
                die(lineno, '%s not allowed here' % words[0])
        else:
            if cur is None:
                die(lineno, 'field outside a layout')
            cur.fields.append(Field(words[0], words[1], words[2:], lineno))
    return rops, records


def c_decl(f, records):
    t = f.typ
    base = t.split(':')[0]
    m = re.match(r'^(u16|u64)\[(\d+)\]$', t)
    if m:
        return ['%s %s[%s];' % (SCALARS[m.group(1)][0], f.name, m.group(2))]
    if base in SCALARS:
        return ['%s %s;' % (SCALARS[base][0], f.name)]
    if base == 'size16':
        return ['uint16_t %s;' % f.name]
    if base == 'size8':
        return ['uint8_t %s;' % f.name]
    if base == 'guid':
        return ['uint8_t %s[16];' % f.name]
    if base == 'fixed':
        return ['uint8_t %s[%s];' % (f.name, t.split(':')[1])]
    if base == 'ltid':
        return ['struct LongTermID %s;' % f.name]
    if base == 'logontime':
        return ['struct LogonTime %s;' % f.name]
    if base in ('str8', 'str8opt', 'str16', 'xstr'):
        return ['char *%s;' % f.name]
    if base == 'typedstring':
        return ['struct TypedString %s;' % f.name]
    if base == 'restriction':
        return ['struct Restriction *%s;' % f.name]
    if base in ARRAYS:
        return ['%s%s;' % (ARRAYS[base][0], f.name)]
    if base == 'rec':
        return ['struct %s *%s;' % (t.split(':')[1], f.name)]
    if base == 'recsend':
        parts = t.split(':')
        return ['struct %s *%s;' % (parts[1], f.name), 'uint32_t %s; /* not on the wire */' % parts[2]]
    if base == 'rest':
        return ['uint8_t *%s;' % f.name, 'uint32_t %s; /* not on the wire */' % t.split(':')[1]]
    if base == 'custom':
        fn = t.split(':')[1]
        ct = CUSTOM_TYPES[fn]
        sep = '' if ct.endswith('*') else ' '
        return ['%s%s%s;' % (ct, sep, f.name)]
    die(f.lineno, 'unknown type %s' % t)


def min_size(f):
    t = f.typ
    base = t.split(':')[0]
    m = re.match(r'^(u16|u64)\[(\d+)\]$', t)
    if m:
        return SCALARS[m.group(1)][1] * int(m.group(2))
    if base in SCALARS:
        return SCALARS[base][1]
    return {'size16': 2, 'size8': 1, 'guid': 16, 'ltid': 24, 'logontime': 8, 'str8': 1,
            'str16': 2, 'xstr': 1, 'typedstring': 1,
            'fixed': int(t.split(':')[1]) if base == 'fixed' else 0}.get(base, 0)


def field_index(layout, name, lineno):
    for i, f in enumerate(layout.fields):
        if f.name == name:
            return i
    die(lineno, 'no field %s' % name)


def cond_c(layout, c, lineno):
    if c == 'ok':
        return '{ RC_OK, %d, 0 }' % field_index(layout, 'ReturnValue', lineno)
    for pfx, kind in (('okor=', 'RC_OK_OR_RV'), ('rv!=', 'RC_RV_NE'), ('rv=', 'RC_RV_EQ')):
        if c.startswith(pfx):
            return '{ %s, %d, %s }' % (kind, field_index(layout, 'ReturnValue', lineno), c[len(pfx):])
    if c == 'private':
        return '{ RC_PRIVATE, -1, 0 }'
    if c == '!private':
        return '{ RC_PUBLIC, -1, 0 }'
    m = re.match(r'^(\w+)(!=|=)(\w+)$', c)
    if m:
        kind = 'RC_NE' if m.group(2) == '!=' else 'RC_EQ'
        return '{ %s, %d, %s }' % (kind, field_index(layout, m.group(1), lineno), m.group(3))
    if c.startswith('!'):
        return '{ RC_Z, %d, 0 }' % field_index(layout, c[1:], lineno)
    return '{ RC_NZ, %d, 0 }' % field_index(layout, c, lineno)


def field_c(layout, f):
    t = f.typ
    parts = t.split(':')
    base = parts[0]
    ref, n, aux, rec, custom, ccnt, ccols = -1, 0, '0', 'NULL', 'NULL', -1, -1
    m = re.match(r'^(u16|u64)\[(\d+)\]$', t)
    if m:
        rft = 'RFT_U16_FIXED' if m.group(1) == 'u16' else 'RFT_U64_FIXED'
        n = int(m.group(2))
    elif base in SCALARS:
        rft = SCALARS[base][2]
    elif base in ('size16', 'size8'):
        rft = 'RFT_SIZE16' if base == 'size16' else 'RFT_SIZE8'
        ref = field_index(layout, parts[1], f.lineno)
    elif base in ('guid', 'fixed'):
        rft = 'RFT_FIXED'
        n = 16 if base == 'guid' else int(parts[1])
    else:
        rft = {'ltid': 'RFT_LTID', 'logontime': 'RFT_LOGONTIME', 'str8': 'RFT_STR8',
               'str8opt': 'RFT_STR8OPT', 'str16': 'RFT_STR16', 'xstr': 'RFT_XSTR',
               'typedstring': 'RFT_TYPEDSTRING', 'restriction': 'RFT_RESTRICTION',
               'rec': 'RFT_REC', 'recsend': 'RFT_RECSEND', 'rest': 'RFT_REST',
               'custom': 'RFT_CUSTOM'}.get(base)
        if base in ARRAYS:
            rft = ARRAYS[base][1]
            ref = field_index(layout, parts[1], f.lineno)
        elif base == 'xstr':
            ref = field_index(layout, parts[1], f.lineno)
        elif base == 'rec':
            rec = '&rop_record_%s' % parts[1]
            ref = field_index(layout, parts[2], f.lineno)
        elif base == 'recsend':
            rec = '&rop_record_%s' % parts[1]
            aux = 'offsetof(struct %s, %s)' % (layout.cname, parts[2])
        elif base == 'rest':
            aux = 'offsetof(struct %s, %s)' % (layout.cname, parts[1])
        elif base == 'custom':
            custom = '&rop_custom_%s' % parts[1]
            if len(parts) > 2:
                ref = field_index(layout, parts[2], f.lineno)
            if len(parts) > 4:
                ccnt = field_index(layout, parts[3], f.lineno)
                ccols = field_index(layout, parts[4], f.lineno)
        if rft is None:
            die(f.lineno, 'unknown type %s' % t)
    conds = [cond_c(layout, c, f.lineno) for c in f.conds]
    if len(conds) > 3:
        die(f.lineno, 'at most three conditions')
    while len(conds) < 3:
        conds.append('{ RC_NONE, -1, 0 }')
    return ('\t{ "%s", %s, offsetof(struct %s, %s), %d, %d, %s, { %s }, %s, %s, %d, %d },'
            % (f.name, rft, layout.cname, f.name, ref, n, aux, ', '.join(conds),
               rec, custom, ccnt, ccols))


def emit_struct(out, layout, comment):
    out.append('/** %s */' % comment)
    out.append('struct %s {' % layout.cname)
    if not layout.fields:
        out.append('\tuint8_t Unused; /* no fields beyond the ROP header */')
    for f in layout.fields:
        for d in c_decl(f, None):
            out.append('\t' + d)
    out.append('};')
    out.append('')


def emit_table(out, layout):
    out.append('static const struct rop_field %s_fields[] = {' % layout.cname)
    for f in layout.fields:
        out.append(field_c(layout, f))
    if not layout.fields:
        out.append('\t{ NULL, 0, 0, -1, 0, 0, { { RC_NONE, -1, 0 } }, NULL, NULL, -1, -1 },')
    out.append('};')


def main():
    rops, records = parse(sys.argv[1])
    h = ['/* Generated by ndr/rop/gen/rop_gen.py from rops.def: do not edit. */',
         '#ifndef ROP_GEN_H', '#define ROP_GEN_H', '',
         '/** RopId values, [MS-OXCROPS] 2.2.2. */', 'enum rop_id {']
    for r in sorted(rops, key=lambda r: r.rid):
        h.append('\t%s = 0x%02X,' % (r.name, r.rid))
    h += ['};', '', '#define ROP_COUNT %d' % len(rops), '']
    for name, lay in records.items():
        emit_struct(h, lay, 'Record %s (a repeated element of a ROP).' % name)
    for r in rops:
        if r.req:
            emit_struct(h, r.req, '%s request, [MS-OXCROPS] %s.1.' % (r.name, r.section))
        if r.resp:
            emit_struct(h, r.resp, '%s response, [MS-OXCROPS] %s.2.' % (r.name, r.section))
    h.append('/** Every ROP request body, member named as the ROP. */')
    h.append('union rop_request_u {')
    for r in rops:
        if r.req:
            h.append('\tstruct %s_req %s;' % (r.name, r.name))
    h += ['};', '', '/** Every ROP response body, member named as the ROP. */',
          'union rop_response_u {']
    for r in rops:
        if r.resp:
            h.append('\tstruct %s_resp %s;' % (r.name, r.name))
    h += ['};', '', '#endif /* ROP_GEN_H */', '']

    c = ['/* Generated by ndr/rop/gen/rop_gen.py from rops.def: do not edit. */',
         '#include <stddef.h>', '', '#include "rop_private.h"', '']
    for name, lay in records.items():
        emit_table(c, lay)
        c.append('const struct rop_record rop_record_%s = { "%s", sizeof(struct %s), %s_fields, %d };'
                 % (name, name, name, name, len(lay.fields)))
        c.append('')
    for r in rops:
        for lay in (r.req, r.resp):
            if lay:
                emit_table(c, lay)
                c.append('')
    c.append('const struct rop_info rop_info_table[256] = {')
    for r in rops:
        req_min = 2 + sum(min_size(f) for f in r.req.fields if not f.conds) if r.req else 0
        c.append('\t[0x%02X] = {' % r.rid)
        c.append('\t\t.pub = { .RopId = 0x%02X, .name = "%s", .section = "%s",' % (r.rid, r.name, r.section))
        c.append('\t\t\t.min_request_size = %d, .has_request = %s, .has_response = %s },'
                 % (req_min, 'false' if r.noreq else 'true', 'false' if r.noresp else 'true'))
        if r.req:
            c.append('\t\t.req = { "%s", sizeof(struct %s), %s_fields, %d },'
                     % (r.req.cname, r.req.cname, r.req.cname, len(r.req.fields)))
        if r.resp:
            c.append('\t\t.resp = { "%s", sizeof(struct %s), %s_fields, %d },'
                     % (r.resp.cname, r.resp.cname, r.resp.cname, len(r.resp.fields)))
        c.append('\t},')
    c += ['};', '']
    open(sys.argv[2], 'w').write('\n'.join(h))
    open(sys.argv[3], 'w').write('\n'.join(c))


if __name__ == '__main__':
    main()
