"""Extending the AD schema with the objects of schema_table.

Samba (like Windows) never deletes schema objects, and a schema refresh
(schemaUpdateNow) does not see objects added by the still-open transaction:
every schema object is therefore committed on its own and the schema is
refreshed before the next one that refers to it.  A run is planned in full
(conflicts, missing objects) before the first write, and is resumable: an
interrupted run leaves only complete, valid schema objects, which the next
run finds and skips.
"""

import ldb

from .common import OCError
from . import schema_table as T


def _guid_bytes(text):
    from samba.dcerpc import misc
    from samba.ndr import ndr_pack
    return ndr_pack(misc.GUID(text))


def _one(samdb, base, expr, attrs):
    res = samdb.search(base=base, scope=ldb.SCOPE_ONELEVEL, expression=expr,
                       attrs=attrs)
    return res[0] if len(res) else None


def _escape(value):
    return ldb.binary_encode(value)


class SchemaPlan:
    """What is missing from the DC's schema, computed without writing."""

    def __init__(self, samdb):
        self.samdb = samdb
        self.schema_dn = str(samdb.get_schema_basedn())
        self.attributes = []   # rows of T.ATTRIBUTES still to add
        self.classes = []      # rows of T.CLASSES still to add
        self.extensions = []   # (class dn, attribute, [missing values])
        self._plan()

    def _lookup(self, id_attr, oid, name):
        expr = "(|(%s=%s)(lDAPDisplayName=%s))" % (id_attr, _escape(oid),
                                                  _escape(name))
        res = self.samdb.search(base=self.schema_dn, scope=ldb.SCOPE_ONELEVEL,
                                expression=expr,
                                attrs=["lDAPDisplayName", id_attr])
        return list(res)

    def _check(self, id_attr, oid, name):
        """True when present and identical; False when missing."""
        found = self._lookup(id_attr, oid, name)
        if not found:
            return False
        for msg in found:
            have_name = str(msg["lDAPDisplayName"][0])
            have_oid = str(msg[id_attr][0])
            if have_name != name or have_oid != oid:
                raise OCError(
                    "the schema already defines %s with %s %s, which clashes "
                    "with Exchange's %s (%s); nothing was changed"
                    % (have_name, id_attr, have_oid, name, oid))
        return True

    def _plan(self):
        for row in T.ATTRIBUTES:
            if not self._check("attributeID", row[2], row[0]):
                self.attributes.append(row)
        for row in T.CLASSES:
            if not self._check("governsID", row[2], row[0]):
                self.classes.append(row)
        for cls, attr, values in T.EXTENSIONS:
            msg = _one(self.samdb, self.schema_dn,
                       "(&(objectClass=classSchema)(lDAPDisplayName=%s))"
                       % _escape(cls), [attr])
            if msg is None:
                raise OCError("the schema has no class %s; this DC's schema "
                              "is not an Active Directory one" % cls)
            have = set(str(v) for v in msg.get(attr, []))
            missing = [v for v in values if v not in have]
            if missing:
                self.extensions.append((str(msg.dn), attr, missing))

    @property
    def complete(self):
        return not (self.attributes or self.classes or self.extensions)


def _attribute_msg(samdb, schema_dn, row):
    name, cn, oid, syntax, single, guid, extra, _use = row
    a_syntax, om_syntax, om_class = T.SYNTAX[syntax]
    m = ldb.Message(ldb.Dn(samdb, "CN=%s,%s" % (cn, schema_dn)))
    m["objectClass"] = ["top", "attributeSchema"]
    m["cn"] = cn
    m["attributeID"] = oid
    m["attributeSyntax"] = a_syntax
    m["oMSyntax"] = str(om_syntax)
    if om_class is not None:
        m["oMObjectClass"] = ldb.MessageElement(om_class, ldb.FLAG_MOD_ADD,
                                                "oMObjectClass")
    m["isSingleValued"] = "TRUE" if single else "FALSE"
    m["lDAPDisplayName"] = name
    m["adminDisplayName"] = cn
    m["adminDescription"] = cn
    m["showInAdvancedViewOnly"] = "TRUE"
    if guid:
        m["schemaIDGUID"] = ldb.MessageElement(_guid_bytes(guid),
                                               ldb.FLAG_MOD_ADD,
                                               "schemaIDGUID")
    for k, v in extra.items():
        m[k] = v
    return m


def _class_msg(samdb, schema_dn, row):
    (name, cn, oid, category, sub, poss, may, aux, guid, _use) = row
    m = ldb.Message(ldb.Dn(samdb, "CN=%s,%s" % (cn, schema_dn)))
    m["objectClass"] = ["top", "classSchema"]
    m["cn"] = cn
    m["governsID"] = oid
    m["lDAPDisplayName"] = name
    m["objectClassCategory"] = str(category)
    m["subClassOf"] = sub
    m["rDNAttID"] = "cn"
    m["adminDisplayName"] = cn
    m["adminDescription"] = cn
    m["showInAdvancedViewOnly"] = "TRUE"
    m["defaultHidingValue"] = "TRUE"
    m["systemOnly"] = "FALSE"
    if category == 1:
        m["defaultSecurityDescriptor"] = "D:S:"
    if poss:
        m["possSuperiors"] = list(poss)
    if may:
        m["mayContain"] = list(may)
    if aux:
        m["auxiliaryClass"] = list(aux)
    if guid:
        m["schemaIDGUID"] = ldb.MessageElement(_guid_bytes(guid),
                                               ldb.FLAG_MOD_ADD,
                                               "schemaIDGUID")
    return m


def _add_committed(samdb, msg):
    """Add one schema object in its own transaction, then refresh."""
    samdb.transaction_start()
    try:
        samdb.add(msg)
        samdb.transaction_commit()
    except Exception:
        samdb.transaction_cancel()
        raise
    samdb.set_schema_update_now()


def _wrap(what, func, *args):
    try:
        return func(*args)
    except ldb.LdbError as e:
        raise OCError("%s failed: %s (the steps before it are complete; "
                      "run the command again after fixing the cause)"
                      % (what, e.args[1] if len(e.args) > 1 else e))


def apply_schema(samdb, plan, printer):
    """Write the plan, printing the guide's step lines."""
    schema_dn = plan.schema_dn
    printer.step("Register Exchange OIDs")
    printer.step("Add Exchange attributes to Samba schema")
    for row in plan.attributes:
        _wrap("adding attribute %s" % row[0], _add_committed, samdb,
              _attribute_msg(samdb, schema_dn, row))
    printer.step("Add Exchange auxiliary classes to Samba schema")
    for row in [r for r in plan.classes if r[3] == 3]:
        _wrap("adding class %s" % row[0], _add_committed, samdb,
              _class_msg(samdb, schema_dn, row))
    printer.step("Add Exchange container and server classes to Samba schema")
    for row in [r for r in plan.classes if r[3] != 3]:
        _wrap("adding class %s" % row[0], _add_committed, samdb,
              _class_msg(samdb, schema_dn, row))
    printer.step("Extend existing Samba classes and attributes")
    if plan.extensions:
        def extend():
            samdb.transaction_start()
            try:
                for dn, attr, values in plan.extensions:
                    m = ldb.Message(ldb.Dn(samdb, dn))
                    m[attr] = ldb.MessageElement(values, ldb.FLAG_MOD_ADD,
                                                 attr)
                    samdb.modify(m)
                samdb.transaction_commit()
            except Exception:
                samdb.transaction_cancel()
                raise
            samdb.set_schema_update_now()
        _wrap("extending the user, group and contact classes", extend)


def extensions_in_use(samdb):
    """True when some object still carries a recipient attribute."""
    expr = "(|%s)" % "".join("(%s=*)" % a for a in T.RECIPIENT_ATTRIBUTES)
    for base in (samdb.domain_dn(), str(samdb.get_config_basedn())):
        res = samdb.search(base=base, scope=ldb.SCOPE_SUBTREE,
                           expression=expr, attrs=["dn"])
        if len(res):
            return True
    return False


def remove_extensions(samdb):
    """Undo step "Extend existing Samba classes" (deprovision); the added
    attributeSchema/classSchema objects stay (AD never deletes them)."""
    schema_dn = str(samdb.get_schema_basedn())
    samdb.transaction_start()
    try:
        for cls, attr, values in T.EXTENSIONS:
            msg = _one(samdb, schema_dn,
                       "(&(objectClass=classSchema)(lDAPDisplayName=%s))"
                       % _escape(cls), [attr])
            if msg is None:
                continue
            have = set(str(v) for v in msg.get(attr, []))
            present = [v for v in values if v in have]
            if not present:
                continue
            m = ldb.Message(msg.dn)
            m[attr] = ldb.MessageElement(present, ldb.FLAG_MOD_DELETE, attr)
            samdb.modify(m)
        samdb.transaction_commit()
    except Exception:
        samdb.transaction_cancel()
        raise
    samdb.set_schema_update_now()
