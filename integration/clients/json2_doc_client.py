"""A JSON-2 client in the style of Odoo 19's documentation: it reads
/doc-bearer/<model>.json once per model and maps the positional arguments of
a call to the parameters' names in the order the document gives them, then
posts them to /json/2/<model>/<method>. Only Python's standard library.
go test runs it (integration/json2_test.go) against a real server; it prints
one line per check, never the key, and exits non-zero on the first failure.

Usage: json2_doc_client.py URL DB KEY
"""
import json
import sys
import urllib.request

from checks import check


class Client:
    def __init__(self, url, db, key):
        self.url, self.db, self.key, self.docs = url, db, key, {}

    def request(self, path, body=None):
        headers = {"Authorization": f"bearer {self.key}", "X-Odoo-Database": self.db}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, headers=headers)
        with urllib.request.urlopen(req) as resp:
            return json.loads(resp.read())

    def doc(self, model):
        if model not in self.docs:
            self.docs[model] = self.request(f"/doc-bearer/{model}.json")
        return self.docs[model]

    def call(self, model, method, *args, ids=None, **kwargs):
        """Maps args to the method's parameters by position, as the
        document orders them, and adds ids for record methods."""
        meth = self.doc(model)["methods"][method]
        names = list(meth["parameters"])
        if len(args) > len(names):
            raise TypeError(f"{method}{meth['signature']} takes {len(names)} arguments")
        body = dict(zip(names, args))
        body.update(kwargs)
        if "model" not in meth.get("api", []):
            body["ids"] = ids or []
        return self.request(f"/json/2/{model}/{method}", body)


def main():
    url, db, key = sys.argv[1:4]
    c = Client(url, db, key)
    doc = c.doc("res.partner")
    check(list(doc)[:5] == ["model", "name", "doc", "fields", "methods"], "the document's keys in api_doc's order")
    search = doc["methods"]["search"]
    check(list(search["parameters"]) == ["domain", "offset", "limit", "order"], "search's parameters, without self")
    check(search["signature"] == "(domain, offset=0, limit=None, order=None)", "search's signature")
    check("model" in search["api"] and search["model"] == "core" and search["module"] == "core", "search is a model method of core")
    read = doc["methods"]["read"]
    check(list(read["parameters"]) == ["fields", "load"], "read's parameters, without the ids")
    check("model" not in read.get("api", []), "read is a record method")
    check(doc["fields"]["name"]["type"] == "char" and doc["fields"]["name"]["module"] == "base", "fields with their module")
    check(doc["fields"]["id"]["module"] is None, "automatic fields name no module")

    # Positional arguments, mapped through the document.
    [pid] = c.call("res.partner", "create", [{"name": "JSON-2 doc client", "email": "doc@example.com"}])
    check(isinstance(pid, int) and pid > 0, "create with vals_list by position")
    ids = c.call("res.partner", "search", [["id", "=", pid]], 0, 1)
    check(ids == [pid], "search with domain, offset and limit by position")
    rows = c.call("res.partner", "read", ["name", "email"], ids=[pid])
    check(rows[0]["name"] == "JSON-2 doc client" and rows[0]["email"] == "doc@example.com", "read with fields by position")
    rows = c.call("res.partner", "search_read", [["id", "=", pid]], ["name"])
    check(rows == [{"id": pid, "name": "JSON-2 doc client"}], "search_read with domain and fields by position")
    c.call("res.partner", "write", {"city": "Ghent"}, ids=[pid])
    check(c.call("res.partner", "read", ["city"], ids=[pid])[0]["city"] == "Ghent", "write with vals by position")
    check(c.call("res.partner", "unlink", ids=[pid]) is True, "unlink")
    print("PASSED")


if __name__ == "__main__":
    main()
