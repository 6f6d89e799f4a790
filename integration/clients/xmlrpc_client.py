"""Drives godoo with Python's standard xmlrpc.client, as an unmodified Odoo
script would. go test runs it (integration/python_test.go) against a real
server; it prints one line per check and exits non-zero on the first failure.

Usage: xmlrpc_client.py URL DB LOGIN PASSWORD
"""
import sys
import xmlrpc.client

from checks import check, fault


def main():
    url, db, login, password = sys.argv[1:5]
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")

    version = common.version()
    check(version["server_version"] == "18.0", "version")
    check(len(version["server_version_info"]) == 6 and version["server_version_info"][5] == "", "server_version_info")
    uid = common.authenticate(db, login, password, {})
    check(isinstance(uid, int) and uid > 0, "authenticate returns the uid")
    check(common.login(db, login, "not the password") is False, "a wrong password logs in as False")

    pid = models.execute_kw(db, uid, password, "res.partner", "create", [{"name": "Python Client", "email": "py@example.com"}])
    check(isinstance(pid, int), "create with a dict returns an int")
    ids = models.execute_kw(db, uid, password, "res.partner", "create", [[{"name": "Py A", "parent_id": pid}, {"name": "Py B", "parent_id": pid}]])
    check(isinstance(ids, list) and len(ids) == 2, "create with a list returns a list")
    rows = models.execute_kw(db, uid, password, "res.partner", "search_read",
                             [[["parent_id", "=", pid]]], {"fields": ["name", "parent_id", "create_date"], "order": "name"})
    check([r["name"] for r in rows] == ["Py A", "Py B"], "search_read")
    check(rows[0]["parent_id"] == [pid, "Python Client"], "many2one as [id, name]")
    check(len(rows[0]["create_date"]) == 19 and rows[0]["create_date"][10] == " ", "datetime as a string")
    check(models.execute_kw(db, uid, password, "res.partner", "write", [ids, {"city": "Brussels"}]) is True, "write")
    check(models.execute(db, uid, password, "res.partner", "search_count", [["city", "=", "Brussels"], ["parent_id", "=", pid]]) == 2, "execute")
    read = models.execute_kw(db, uid, password, "res.partner", "read", [pid], {"fields": ["website", "child_ids"]})
    check(read[0]["website"] is False, "empty values are False")
    check(sorted(read[0]["child_ids"]) == sorted(ids), "one2many ids")
    check(models.execute_kw(db, uid, password, "res.partner", "unlink", [ids + [pid]]) is True, "unlink")
    check(models.execute_kw(db, uid, password, "res.users", "context_get", [])["lang"] == "en_US", "context_get")

    f = fault(lambda: models.execute_kw(db, uid, "wrong", "res.partner", "search", [[]]))
    check(f is not None and f.faultCode == 3 and f.faultString == "Access Denied", "wrong password is fault 3")
    f = fault(lambda: models.execute_kw(db, uid, password, "no.model", "search", [[]]))
    check(f is not None and f.faultCode == 2 and "Object no.model doesn't exist" in f.faultString, "unknown model is fault 2")
    f = fault(lambda: models.execute_kw(db, uid, password, "res.partner", "_search", [[]]))
    check(f is not None and f.faultCode == 4, "private method is fault 4")
    f = fault(lambda: models.execute_kw(db, uid, password, "res.partner", "nope", [[]]))
    check(f is not None and f.faultCode == 1 and f.faultString.startswith("Traceback (most recent call last):"), "missing method is fault 1 with a traceback")

    # The legacy endpoint answers with Odoo's string fault codes.
    legacy = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/object")
    f = fault(lambda: legacy.execute_kw(db, uid, "wrong", "res.partner", "search", [[]]))
    check(f is not None and f.faultCode == "AccessDenied" and f.faultString == "Access Denied", "legacy AccessDenied")
    f = fault(lambda: legacy.execute_kw(db, uid, password, "no.model", "search", [[]]))
    check(f is not None and f.faultCode == "warning -- UserError\n\nObject no.model doesn't exist" and f.faultString == "", "legacy UserError")
    f = fault(lambda: legacy.execute_kw(db, uid, password, "res.partner", "_search", [[]]))
    check(f is not None and f.faultCode.startswith("warning -- AccessError\n\nPrivate methods"), "legacy AccessError")
    f = fault(lambda: legacy.execute_kw(db, uid, password, "res.partner", "write", [[999999], {"name": "x"}]))
    check(f is not None and f.faultCode.startswith("warning -- MissingError\n\n"), "legacy MissingError")
    check(xmlrpc.client.ServerProxy(f"{url}/xmlrpc/common").login(db, login, password) == uid, "legacy common.login")

    dbs = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/db")
    check(db in dbs.list(), "db.list")
    check(dbs.server_version() == "18.0", "db.server_version")
    check(dbs.db_exist(db) is True and dbs.db_exist("no_such_db_here") is False, "db.db_exist")
    check(["en_US", "English (US)"] in dbs.list_lang(), "db.list_lang")
    print("PASSED")


if __name__ == "__main__":
    main()
