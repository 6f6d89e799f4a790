"""Uses a godoo API key with Python's standard xmlrpc.client, as an unmodified
Odoo script would: the key goes where the password goes. go test runs it
(integration/apikey_test.go) against a real server; it prints one line per
check, never a key, and exits non-zero on the first failure.

Usage: apikey_client.py URL DB LOGIN KEY OTHER_LOGIN OTHER_UID KEY_PATTERN
"""
import datetime
import re
import sys
import xmlrpc.client

from checks import check, fault


def denied(f):
    return f is not None and f.faultCode == 3 and f.faultString == "Access Denied"


def main():
    url, db, login, key, other_login, other_uid, pattern = sys.argv[1:8]
    other_uid = int(other_uid)
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")

    uid = common.authenticate(db, login, key, {})
    check(isinstance(uid, int) and uid > 0, "authenticate with the key returns the uid")
    check(common.login(db, login, key) == uid, "login with the key")
    ctx = models.execute_kw(db, uid, key, "res.users", "context_get", [])
    check(ctx["lang"] == "en_US", "execute_kw with the key")
    check(isinstance(models.execute(db, uid, key, "res.partner", "search_count", []), int), "execute with the key")

    check(common.login(db, other_login, key) is False, "the key does not log another user in")
    check(common.authenticate(db, other_login, key, {}) is False, "the key does not authenticate another user")
    check(denied(fault(lambda: models.execute_kw(db, other_uid, key, "res.partner", "search_count", []))),
          "the key is refused with another uid")
    bad = key[:-1] + ("A" if key[-1] != "A" else "B")
    check(common.login(db, login, bad) is False, "a key with a bad checksum does not log in")
    check(denied(fault(lambda: models.execute_kw(db, uid, bad, "res.partner", "search_count", []))),
          "a key with a bad checksum is refused")
    empty = fault(lambda: common.login(db, login, ""))
    check(empty is not None and "scope and key required" in empty.faultString,
          "an empty key does not log in (Odoo's AssertionError)")
    check(denied(fault(lambda: models.execute_kw(db, uid, "", "res.partner", "search_count", []))),
          "an empty key is refused")

    # The key mints a shorter-lived key, which works until it is revoked.
    expiry = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=12)).strftime("%Y-%m-%d %H:%M:%S")
    new = models.execute_kw(db, uid, key, "res.users.apikeys", "generate", ["rpc", "minted by python", expiry])
    check(isinstance(new, str) and re.fullmatch(pattern, new) is not None, "generate returns a key in godoo's format")
    check(new != key, "the new key is another key")
    check(models.execute_kw(db, uid, new, "res.users", "context_get", [])["lang"] == "en_US", "the new key works")
    rows = models.execute_kw(db, uid, key, "res.users.apikeys", "search_read",
                             [[["name", "=", "minted by python"]]], {"fields": ["name", "scope", "expiration_date", "user_id"]})
    check(len(rows) == 1 and rows[0]["scope"] == "rpc" and rows[0]["expiration_date"] == expiry
          and rows[0]["user_id"][0] == uid, "the new key is listed with its scope and expiry")
    check(all(new not in repr(v) for v in rows[0].values()), "the listing does not show the key")
    check(models.execute_kw(db, uid, key, "res.users.apikeys", "revoke", [[rows[0]["id"]]]) is True, "revoke")
    check(denied(fault(lambda: models.execute_kw(db, uid, new, "res.users", "context_get", []))),
          "the revoked key is refused")
    check(common.login(db, login, key) == uid, "the first key still works")
    print("PASSED")


if __name__ == "__main__":
    main()
