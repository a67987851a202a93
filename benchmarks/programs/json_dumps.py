"""json_dumps -- serialise nested data with the json module (after pyperformance's bm_json_dumps).

Exercises the stdlib json encoder (its pure-Python layers and, where the interpreter
supports them, the _json accelerator) on dicts, lists, strs with escapes, ints and floats.
Argument: number of repetitions (default 100). Prints the total length and a checksum.
"""
import json
import sys

EMPTY = ({}, 2000)
SIMPLE_DATA = {"key1": 0, "key2": True, "key3": "value", "key4": "foo", "key5": "string"}
SIMPLE = (SIMPLE_DATA, 1000)
NESTED_DATA = {"key1": 0, "key2": SIMPLE[0], "key3": "value", "key4": SIMPLE[0],
               "key5": SIMPLE[0], "key": "\u0105\u0107\u017c"}
NESTED = (NESTED_DATA, 1000)
HUGE = ([NESTED[0]] * 100, 1)
MIXED = ({"list": [1, 2.5, -3e10, None, False, "tab\there", [[], {}]],
          "unicode": "na\u00efve caf\u00e9 \u2603", "quote": 'say "hi"\n'}, 200)

CASES = [EMPTY, SIMPLE, NESTED, HUGE, MIXED]


def checksum(text):
    """A small polynomial hash of the text, written out (not hash(), which is salted)."""
    h = 0
    for i in range(0, len(text), 7):
        h = (h * 31 + ord(text[i])) % 1000000007
    return h


def main(reps):
    total = 0
    last = {}
    for _ in range(reps):
        for data, weight in CASES:
            for _ in range(weight // 100 or 1):
                s = json.dumps(data)
                total += len(s)
                last[len(s)] = s
    pretty = json.dumps(MIXED[0], indent=2, sort_keys=True)
    print(total, len(last), checksum(pretty), checksum(json.dumps(HUGE[0])))
    print(json.dumps(NESTED_DATA, sort_keys=True, ensure_ascii=True))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
