"""string_formatting.py -- f-strings, format specs, %-formatting, str.format and str methods.

Every line prints something whose exact text is defined by the language, so the guest
must reproduce CPython's formatting rules: widths, alignment, fill, sign, grouping,
precision, the g/e/f/%/x/o/b/c types, !r/!s/!a conversions, nested format specs,
the = specifier, bytes formatting, and the str methods people use every day.
"""
import string


class Temperature:
    def __init__(self, celsius):
        self.celsius = celsius

    def __format__(self, spec):
        if spec.endswith("F"):
            return format(self.celsius * 9 / 5 + 32, spec[:-1] or ".1f") + "°F"
        return format(self.celsius, spec or ".1f") + "°C"

    def __repr__(self):
        return f"Temperature({self.celsius!r})"

    def __str__(self):
        return f"{self.celsius} degrees"


def section(title):
    print()
    print(f" {title} ".center(60, "="))


def main():
    name, value, pi, big, neg = "beale", 42, 3.141592653589793, 12345678.9, -7.25

    section("f-strings")
    print(f"{name} {value} {pi}")
    print(f"{name!r} {name!s} {'café'!a} {name.upper()} {value * 2}")
    print(f"[{name:>10}] [{name:<10}] [{name:^10}] [{name:*^11}] [{name:.3}]")
    print(f"[{value:5d}] [{value:<5d}] [{value:05d}] [{value:+d}] [{-value: d}] [{value: d}]")
    print(f"{value:x} {value:X} {value:#x} {value:o} {value:#o} {value:b} {value:#b} {65:c}")
    print(f"{1234567:,} {1234567:_} {0xDEADBEEF:_x} {1234567.891:,.2f}")
    print(f"{pi:.2f} {pi:10.4f} {pi:<10.3f}| {pi:e} {pi:.3E} {pi:g} {big:g} {1e-7:g}")
    print(f"{0.25:%} {0.25:.1%} {neg:+.1f} {neg:=+10.2f} {-0.0} {float('inf')} {float('nan')}")
    width, precision = 12, 3
    print(f"[{pi:{width}.{precision}f}] [{name:{'>'}{width}}] [{value:{'0'}{width}}]")
    print(f"{value=} {name=!r} {pi=:.3f} {value + 1 = }")
    t = Temperature(21.5)
    print(f"{t} {t!r} {t:.2f} {t:F} {t:.0F}")
    nested = {"a": [1, 2, {"b": "deep"}]}
    print(f"{nested['a'][2]['b']} {len(nested)} {'yes' if nested else 'no'}")
    print(f"{{literal braces}} {'{'}{value}{'}'}")
    print(f"""multi
line {name}""")

    section("format() and str.format")
    print("{} + {} = {}".format(1, 2, 3))
    print("{0}{1}{0}".format("abra", "cad"))
    print("{name} is {age} years old".format(name="Ada", age=36))
    print("{0[0]} {0[1]} {1.real} {1.imag}".format(["x", "y"], 3 + 4j))
    print("{:>8.3f}|{:^9}|{:<6}|".format(2 / 3, "mid", True))
    print(format(255, "08b"), format(3.5, "^9.2f"), format("s", "#>3"), format(10**20, ","))
    print("{!r:>12} {!s:<8}|".format("quoted", None))
    print(string.Template("$who likes $what").substitute(who="Tim", what="kung pao"))

    section("% formatting")
    print("%s has %d items costing %.2f" % ("cart", 3, 19.999))
    print("%5s|%-5s|%05d|%+d|%x|%X|%o|%e|%g|%c|%%" % ("ab", "ab", 42, 42, 255, 255, 8, 12345.678, 0.00001, 97))
    print("%(name)s is %(age)03d" % {"name": "Bob", "age": 7})
    print("%r %a %*d %-*d| %.*f" % ("x", "é", 5, 42, 5, 42, 2, pi))
    print(b"%s and %d bytes" % (b"raw", 5), b"%05.1f" % 2.25)

    section("str methods")
    s = "  Hello, World! Hello, Python!  "
    print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip(" !")))
    print(s.strip().lower(), s.strip().upper(), s.strip().swapcase(), "hello world".title())
    print(s.count("Hello"), s.find("World"), s.rfind("Hello"), s.find("nope"), s.index("P"))
    print(s.replace("Hello", "Bye"), s.replace("Hello", "Bye", 1).strip())
    print("a,b,,c".split(","), "a b  c".split(), "a,b,c".split(",", 1), "a,b,c".rsplit(",", 1))
    print("one\ntwo\r\nthree".splitlines(), "x".join("abc"), "-".join(["2024", "01", "02"]))
    print("42".zfill(5), "-42".zfill(5), "abc".center(9, "."), "abc".ljust(6, "_"), "abc".rjust(6))
    print("hello".startswith("he"), "hello".endswith(("lo", "x")), "abc123".isalnum(),
          "123".isdigit(), "abc".isalpha(), "   ".isspace(), "Title Case".istitle(), "ABC".isupper())
    print("key=value=more".partition("="), "key=value=more".rpartition("="))
    print("tab\tseparated".expandtabs(4), repr("CamelCase".casefold()), "ß".upper(), "ǅ".lower())
    table = str.maketrans("abc", "xyz", "!")
    print("aabbcc!!".translate(table), "hello"[::-1], "hello"[1:4], "hello"[-3:])
    print("prefix_name".removeprefix("prefix_"), "file.txt".removesuffix(".txt"))
    print(ord("€"), chr(8364), "€".encode("utf-8"), b"\xe2\x82\xac".decode("utf-8"), len("€"), len("€".encode()))
    print(sorted(["banana", "Apple", "cherry", "apple"]), sorted(["banana", "Apple", "cherry"], key=str.lower))
    print(repr("quote ' and \" and \\ and \n and \t and \x00 and \u00e9 and \U0001F600"))
    print(str(123), str(1.5), str([1, "a"]), repr((1,)), str(None), str(b"x"), ascii("naïve"))
    words = "the quick brown fox jumps over the lazy dog".split()
    print(" ".join(w.capitalize() for w in words), max(words, key=len), min(words))
    print(string.ascii_lowercase[:5], string.digits, string.punctuation[:6], string.capwords("a b"))


if __name__ == "__main__":
    main()
