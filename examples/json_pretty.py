"""json_pretty.py -- a JSON tokenizer, recursive-descent parser and pretty-printer, by hand.

No json module: the tokenizer walks the text character by character, the parser
builds dicts/lists/strs/ints/floats/bools/None, and the printer writes them back
with indentation. Also shows error reporting with line/column positions.
"""


class JSONError(Exception):
    def __init__(self, message, line, col):
        super().__init__(f"{message} at line {line}, column {col}")
        self.line = line
        self.col = col


class Token:
    __slots__ = ("kind", "value", "line", "col")

    def __init__(self, kind, value, line, col):
        self.kind = kind
        self.value = value
        self.line = line
        self.col = col

    def __repr__(self):
        return f"Token({self.kind!r}, {self.value!r})"


ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f",
           "n": "\n", "r": "\r", "t": "\t"}


def tokenize(text):
    tokens = []
    i, line, col = 0, 1, 1
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            i += 1
            line += 1
            col = 1
            continue
        if ch in " \t\r":
            i += 1
            col += 1
            continue
        start_col = col
        if ch in "{}[]:,":
            tokens.append(Token(ch, ch, line, start_col))
            i += 1
            col += 1
        elif ch == '"':
            i += 1
            col += 1
            chars = []
            while True:
                if i >= n:
                    raise JSONError("unterminated string", line, start_col)
                c = text[i]
                if c == '"':
                    i += 1
                    col += 1
                    break
                if c == "\\":
                    esc = text[i + 1] if i + 1 < n else ""
                    if esc == "u":
                        hexdigits = text[i + 2:i + 6]
                        if len(hexdigits) != 4:
                            raise JSONError("bad unicode escape", line, col)
                        chars.append(chr(int(hexdigits, 16)))
                        i += 6
                        col += 6
                        continue
                    if esc not in ESCAPES:
                        raise JSONError(f"bad escape \\{esc}", line, col)
                    chars.append(ESCAPES[esc])
                    i += 2
                    col += 2
                    continue
                chars.append(c)
                i += 1
                col += 1
            tokens.append(Token("string", "".join(chars), line, start_col))
        elif ch == "-" or ch.isdigit():
            j = i + 1
            while j < n and (text[j].isdigit() or text[j] in ".eE+-"):
                j += 1
            literal = text[i:j]
            try:
                if any(c in literal for c in ".eE"):
                    value = float(literal)
                else:
                    value = int(literal)
            except ValueError:
                raise JSONError(f"bad number {literal!r}", line, start_col) from None
            tokens.append(Token("number", value, line, start_col))
            col += j - i
            i = j
        elif ch.isalpha():
            j = i
            while j < n and text[j].isalpha():
                j += 1
            word = text[i:j]
            constants = {"true": True, "false": False, "null": None}
            if word not in constants:
                raise JSONError(f"unknown word {word!r}", line, start_col)
            tokens.append(Token("const", constants[word], line, start_col))
            col += j - i
            i = j
        else:
            raise JSONError(f"unexpected character {ch!r}", line, col)
    tokens.append(Token("eof", None, line, col))
    return tokens


class Parser:
    def __init__(self, text):
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos]

    def next(self):
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def expect(self, kind):
        tok = self.next()
        if tok.kind != kind:
            raise JSONError(f"expected {kind!r} but found {tok.kind!r}", tok.line, tok.col)
        return tok

    def parse(self):
        value = self.value()
        self.expect("eof")
        return value

    def value(self):
        tok = self.peek()
        if tok.kind == "{":
            return self.obj()
        if tok.kind == "[":
            return self.array()
        if tok.kind in ("string", "number", "const"):
            self.next()
            return tok.value
        raise JSONError(f"unexpected {tok.kind!r}", tok.line, tok.col)

    def obj(self):
        self.expect("{")
        result = {}
        if self.peek().kind == "}":
            self.next()
            return result
        while True:
            key = self.expect("string").value
            self.expect(":")
            result[key] = self.value()
            tok = self.next()
            if tok.kind == "}":
                return result
            if tok.kind != ",":
                raise JSONError("expected ',' or '}'", tok.line, tok.col)

    def array(self):
        self.expect("[")
        items = []
        if self.peek().kind == "]":
            self.next()
            return items
        while True:
            items.append(self.value())
            tok = self.next()
            if tok.kind == "]":
                return items
            if tok.kind != ",":
                raise JSONError("expected ',' or ']'", tok.line, tok.col)


def quote(s):
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) > 0x7E:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def pretty(value, indent=2, level=0, sort_keys=False):
    pad = " " * (indent * (level + 1))
    end_pad = " " * (indent * level)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        parts = [pad + pretty(v, indent, level + 1, sort_keys) for v in value]
        return "[\n" + ",\n".join(parts) + "\n" + end_pad + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        keys = sorted(value) if sort_keys else list(value)
        parts = [pad + quote(k) + ": " + pretty(value[k], indent, level + 1, sort_keys)
                 for k in keys]
        return "{\n" + ",\n".join(parts) + "\n" + end_pad + "}"
    raise TypeError(f"cannot print {type(value).__name__}")


DOCUMENT = """
{"name": "beale", "version": [0, 1, 0], "stable": false,
 "authors": [{"name": "Ada", "commits": 42}, {"name": "Grace \\"Amazing\\" H.", "commits": 7}],
 "ratio": 0.125, "big": 12345678901234567890, "exp": -1.5e3,
 "escapes": "tab\\there\\nnew line \\u00e9\\u4e2d", "empty": {}, "none": null,
 "nested": {"z": [1, [2, [3, []]]], "a": {"b": {"c": true}}}}
"""

BAD_DOCUMENTS = [
    '{"a": 1,, "b": 2}',
    '[1, 2',
    '{"a": tru}',
    '"unterminated',
    '{"x": 1}\n  @',
    '[01.2.3]',
]


def stats(value, depth=0):
    """Return (number of nodes, maximum depth)."""
    if isinstance(value, dict):
        children = list(value.values())
    elif isinstance(value, list):
        children = value
    else:
        return 1, depth
    count, deepest = 1, depth
    for child in children:
        c, d = stats(child, depth + 1)
        count += c
        deepest = max(deepest, d)
    return count, deepest


def main():
    data = Parser(DOCUMENT).parse()
    print(pretty(data))
    print(pretty(data["nested"], indent=4, sort_keys=True))
    nodes, depth = stats(data)
    print(f"nodes={nodes} depth={depth}")
    # Round trip: printing and re-parsing gives an equal value.
    again = Parser(pretty(data, sort_keys=True)).parse()
    print("round trip equal:", again == data)
    for bad in BAD_DOCUMENTS:
        try:
            Parser(bad).parse()
            print("parsed?!", bad)
        except JSONError as err:
            print(f"error: {err} (line {err.line})")


if __name__ == "__main__":
    main()
