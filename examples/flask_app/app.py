"""A small but real Flask application, served from inside beale.

Run it with:   beale examples/flask_app/app.py [PORT]
(or with the host CPython, `python3 examples/flask_app/app.py [PORT]`, to compare).

It has an HTML page rendered by a Jinja2 template (a loop, a filter, template inheritance), a JSON
API route with a URL parameter, a form POST, a custom 404 handler, a before_request hook and a
cookie-based session.
"""
import os
import sys

from flask import Flask, jsonify, redirect, render_template, request, session, url_for

app = Flask(__name__)
app.secret_key = "beale-demo-secret"   # signs the session cookie (itsdangerous)

BOOKS = [
    {"id": 1, "title": "Structure and Interpretation of Computer Programs", "year": 1985},
    {"id": 2, "title": "Crafting Interpreters", "year": 2021},
    {"id": 3, "title": "The Garbage Collection Handbook", "year": 2011},
]
GUESTBOOK = []


@app.template_filter("shout")
def shout(text):
    """A custom Jinja2 filter: upper-case and an exclamation mark."""
    return text.upper() + "!"


@app.before_request
def count_visits():
    """Counts requests per browser in the signed session cookie."""
    session["visits"] = session.get("visits", 0) + 1


@app.route("/")
def index():
    return render_template("index.html", books=BOOKS, visits=session["visits"],
                           guestbook=GUESTBOOK)


@app.route("/api/books/<int:book_id>")
def api_book(book_id):
    for book in BOOKS:
        if book["id"] == book_id:
            return jsonify(book=book, visits=session["visits"])
    return jsonify(error="no book %d" % book_id), 404


@app.route("/sign", methods=["POST"])
def sign():
    name = request.form.get("name", "").strip() or "anonymous"
    GUESTBOOK.append(name)
    return redirect(url_for("index"))


@app.errorhandler(404)
def not_found(error):
    return render_template("404.html", path=request.path), 404


def main(argv):
    port = int(argv[1]) if len(argv) > 1 else int(os.environ.get("PORT", "5000"))
    print("serving on http://127.0.0.1:%d" % port, flush=True)
    # A thread per request (Flask's default): under beale the request threads take turns
    # holding the guest interpreter lock (runtime/interp/gil.py), as under CPython's GIL.
    app.run(host="127.0.0.1", port=port, debug=False, use_reloader=False, threaded=True)


if __name__ == "__main__":
    main(sys.argv)
