"""word_freq.py -- word frequencies of an embedded text with collections.Counter.

Exercises: str methods (lower, split, strip, translate), str.maketrans,
collections.Counter (most_common, arithmetic, update), defaultdict, sorted with
key functions and ties broken explicitly, dict comprehensions, zip, enumerate,
string alignment in tables. Iteration order never depends on string hashing:
everything printed is sorted or insertion-ordered.
"""
from collections import Counter, defaultdict, OrderedDict

TEXT = """\
It was the best of times, it was the worst of times, it was the age of wisdom,
it was the age of foolishness, it was the epoch of belief, it was the epoch of
incredulity, it was the season of Light, it was the season of Darkness, it was
the spring of hope, it was the winter of despair, we had everything before us,
we had nothing before us, we were all going direct to Heaven, we were all going
direct the other way -- in short, the period was so far like the present
period, that some of its noisiest authorities insisted on its being received,
for good or for evil, in the superlative degree of comparison only.

There were a king with a large jaw and a queen with a plain face, on the throne
of England; there were a king with a large jaw and a queen with a fair face, on
the throne of France. In both countries it was clearer than crystal to the lords
of the State preserves of loaves and fishes, that things in general were settled
for ever.
"""

STOP_WORDS = frozenset("a an and the of to in on it was we were that for with or its".split())

PUNCTUATION = ",.;:-!?'\""
TABLE = str.maketrans({c: " " for c in PUNCTUATION})


def words(text):
    return text.lower().translate(TABLE).split()


def top(counter, n):
    """Most common first; ties broken alphabetically (Counter.most_common keeps insertion order)."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def histogram(pairs, width=30):
    biggest = max(count for _, count in pairs)
    lines = []
    for word, count in pairs:
        bar = "#" * max(1, round(count * width / biggest))
        lines.append(f"{word:>12} {count:3d} {bar}")
    return "\n".join(lines)


def main():
    all_words = words(TEXT)
    counts = Counter(all_words)
    print("total words:", len(all_words), "distinct:", len(counts))
    print("most_common(3):", counts.most_common(3))
    print(histogram(top(counts, 10)))

    content = Counter(w for w in all_words if w not in STOP_WORDS)
    print("top content words:", top(content, 8))

    by_length = defaultdict(list)
    for word in sorted(counts):
        by_length[len(word)].append(word)
    for length in sorted(by_length, reverse=True)[:3]:
        print(f"length {length}: {by_length[length]}")

    letters = Counter(c for c in TEXT.lower() if c.isalpha())
    print("letters:", "".join(c for c, _ in top(letters, 12)))
    vowels = sum(letters[v] for v in "aeiou")
    print(f"vowels {vowels} / letters {sum(letters.values())} = {vowels / sum(letters.values()):.3f}")

    paragraphs = TEXT.split("\n\n")
    first, second = (Counter(words(p)) for p in paragraphs)
    print("only first paragraph (top 5):", top(first - second, 5))
    print("shared words:", sorted((first & second).keys()))
    combined = first + second
    print("combined equals whole:", combined == counts)

    first.update({"times": 10})
    first.subtract(["times"] * 3)
    print("times after update/subtract:", first["times"], "missing key:", first["zebra"])

    bigrams = Counter(zip(all_words, all_words[1:]))
    print("top bigrams:", [" ".join(b) for b, _ in top(bigrams, 5)])

    first_seen = OrderedDict()
    for index, word in enumerate(all_words):
        first_seen.setdefault(word, index)
    print("first ten distinct in order:", list(first_seen)[:10])
    first_seen.move_to_end("it", last=False)
    print("after move_to_end:", list(first_seen.items())[:3])

    initials = {letter: sorted({w for w in counts if w[0] == letter})
                for letter in "qjz"}
    print("initials:", initials)
    lengths = sorted(counts, key=lambda w: (len(w), w))
    print("shortest:", lengths[:5], "longest:", lengths[-3:])
    print("capitalised in text:", sorted({w.strip(PUNCTUATION) for w in TEXT.split() if w[0].isupper()}))


if __name__ == "__main__":
    main()
