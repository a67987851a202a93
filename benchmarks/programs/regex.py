"""regex -- the re module on generated text: search, findall, sub with a function, split, groups.

The patterns run in the _sre C engine; the interpreter under test runs re's Python
layers (the pattern compiler, match objects, the callback of sub).
Argument: number of text lines (default 1500). Prints counts and a few results.
"""
import re
import sys


class LCG:
    def __init__(self, seed):
        self.state = seed

    def next(self, n):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return self.state % n


WORDS = ["alpha", "beta", "gamma", "delta", "error", "warning", "info", "user", "admin", "id"]


def make_text(lines, rng):
    out = []
    for i in range(lines):
        level = WORDS[4 + rng.next(3)].upper()
        user = WORDS[rng.next(len(WORDS))]
        ip = ".".join(str(rng.next(256)) for _ in range(4))
        out.append(f"2024-{1 + rng.next(12):02d}-{1 + rng.next(28):02d} {level} user={user}{rng.next(100)} "
                   f"ip={ip} mail={user}@example{rng.next(5)}.org took {rng.next(5000)}ms")
    return out


LINE = re.compile(r"^(\d{4})-(\d\d)-(\d\d) (ERROR|WARNING|INFO) user=(?P<user>[a-z]+)(\d+) "
                  r"ip=(?P<ip>(?:\d{1,3}\.){3}\d{1,3}) mail=(\S+) took (?P<ms>\d+)ms$")
EMAIL = re.compile(r"[\w.]+@([\w]+)\.org")
IP = re.compile(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")


def main(lines):
    rng = LCG(42)
    text_lines = make_text(lines, rng)
    text = "\n".join(text_lines)
    levels = {}
    slow = 0
    months = [0] * 13
    for line in text_lines:
        m = LINE.match(line)
        if m is None:
            continue
        levels[m.group(4)] = levels.get(m.group(4), 0) + 1
        months[int(m.group(2))] += 1
        if int(m.group("ms")) > 4000:
            slow += 1
    domains = {}
    for domain in EMAIL.findall(text):
        domains[domain] = domains.get(domain, 0) + 1
    ips = IP.findall(text)
    masked = re.sub(r"ip=(\d+)\.(\d+)\.\d+\.\d+", lambda m: f"ip={m.group(1)}.{m.group(2)}.x.x", text)
    errors = re.findall(r"^.*ERROR.*$", text, re.MULTILINE)
    words = re.split(r"[\s=@.]+", text_lines[0])
    case = len(re.findall(r"(?i)admin", text))
    print(sorted(levels.items()), slow, months[1:4])
    print(sorted(domains.items()), len(ips), len(errors), case)
    print(masked.count("x.x"), words[:6], LINE.match(text_lines[-1]).groupdict()["user"])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1500)
