import json
import os


def record(call, **args):
    """Appends {"call": ..., **args} to $STUB_LOG (values that are not JSON are written as their type name)."""
    def plain(v):
        try:
            json.dumps(v)
            return v
        except TypeError:
            return type(v).__name__
    with open(os.environ["STUB_LOG"], "a") as f:
        f.write(json.dumps({"call": call, **{k: plain(v) for k, v in args.items()}}) + "\n")
