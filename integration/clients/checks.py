"""Helpers shared by the client scripts that go test runs."""
import sys
import xmlrpc.client


def check(cond, what):
    """Print one line per check; stop with a non-zero status on the first failure."""
    if not cond:
        print("FAIL", what)
        sys.exit(1)
    print("ok", what)


def fault(fn):
    """Call fn and return the XML-RPC fault it raised, or None."""
    try:
        fn()
    except xmlrpc.client.Fault as f:
        return f
    return None
