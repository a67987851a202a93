"""json_loads -- parse JSON documents with the json module (after pyperformance's bm_json_loads).

Argument: number of repetitions (default 300). Prints counts and values read back.
"""
import json
import sys

DICT = {
    "ads_flags": 0, "age": 18, "bulletin_count": 0, "comment_count": 0, "country": "BR",
    "encrypted_id": "G9urXXAJwjE", "favorite_artists": ["The Beatles", "Nirvana", "Radiohead"],
    "friends": [{"id": n, "name": "friend %d" % n, "score": n / 7} for n in range(10)],
    "gender": "m", "gender_for_display": "Male", "id": "8867744", "is_page_owner": False,
    "last_updated": 1355421990, "location": "S\u00e3o Paulo", "name": "Jo\u00e3o \"Jo\" Silva",
    "nested": {"a": {"b": {"c": [1, 2, {"d": None}]}}}, "ratio": -0.000123, "big": 10 ** 20,
}
TUPLE = ([265867233, 265868503, 265252341, 265243910, 265879514, 266219766, 266021701,
          265843594, 265902444, 265856064], 60)
DICT_GROUP = [dict(DICT, id=str(n)) for n in range(5)]

DOCUMENTS = [json.dumps(DICT), json.dumps(TUPLE), json.dumps(DICT_GROUP),
             json.dumps(DICT, indent=4), '"' + "x\\u00e9\\n" * 50 + '"']


def main(reps):
    count = 0
    numbers = 0
    for _ in range(reps):
        for doc in DOCUMENTS:
            value = json.loads(doc)
            count += 1
            if isinstance(value, dict):
                numbers += value["age"] + len(value["friends"])
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                numbers += len(value)
            elif isinstance(value, list):
                numbers += value[1]
            else:
                numbers += len(value)
    group = json.loads(DOCUMENTS[2])
    print(count, numbers, [d["id"] for d in group], group[0]["friends"][3]["score"])
    print(json.loads(DOCUMENTS[0])["name"], json.loads(DOCUMENTS[0])["big"],
          json.loads(DOCUMENTS[3])["nested"])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
