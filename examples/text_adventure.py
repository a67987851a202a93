"""text_adventure.py -- a tiny text adventure driven by a scripted list of commands.

Exercises: classes, dicts of dicts, string parsing, while loops, early returns,
exceptions used for control flow, sorted() on lists of strs.
"""


class GameOver(Exception):
    """Raised to end the game; carries whether the player won."""

    def __init__(self, won, message):
        super().__init__(message)
        self.won = won


class Room:
    def __init__(self, key, title, description):
        self.key = key
        self.title = title
        self.description = description
        self.exits = {}
        self.items = []
        self.locked = {}          # direction -> item needed to pass

    def describe(self):
        lines = [f"== {self.title} ==", self.description]
        if self.items:
            lines.append("You see: " + ", ".join(sorted(self.items)) + ".")
        exits = sorted(self.exits)
        lines.append("Exits: " + (" ".join(exits) if exits else "none"))
        return "\n".join(lines)


class Player:
    def __init__(self, room):
        self.room = room
        self.inventory = []
        self.moves = 0
        self.score = 0


def build_world():
    rooms = {}

    def room(key, title, description):
        rooms[key] = Room(key, title, description)
        return rooms[key]

    hall = room("hall", "Great Hall", "A draughty hall with a cold fireplace.")
    library = room("library", "Library", "Shelves of mouldy books line the walls.")
    kitchen = room("kitchen", "Kitchen", "Pots hang from hooks above a long table.")
    cellar = room("cellar", "Cellar", "It is damp and smells of old wine.")
    vault = room("vault", "Vault", "A small stone room with a chest in the middle.")

    def link(a, direction, b, back):
        a.exits[direction] = b.key
        b.exits[back] = a.key

    link(hall, "north", library, "south")
    link(hall, "east", kitchen, "west")
    link(kitchen, "down", cellar, "up")
    link(cellar, "east", vault, "west")
    cellar.locked["east"] = "key"
    library.items += ["book", "candle"]
    kitchen.items += ["knife", "bread"]
    cellar.items.append("rope")
    vault.items.append("treasure")
    # The key is hidden in the book: reading the book reveals it.
    return rooms


DIRECTIONS = {"n": "north", "s": "south", "e": "east", "w": "west",
              "u": "up", "d": "down"}


class Game:
    def __init__(self):
        self.rooms = build_world()
        self.player = Player(self.rooms["hall"])
        self.log = []

    def say(self, text):
        print(text)

    def do_look(self, args):
        self.say(self.player.room.describe())

    def do_go(self, args):
        if not args:
            self.say("Go where?")
            return
        direction = DIRECTIONS.get(args[0], args[0])
        room = self.player.room
        if direction not in room.exits:
            self.say(f"You can't go {direction}.")
            return
        needed = room.locked.get(direction)
        if needed is not None:
            if needed not in self.player.inventory:
                self.say(f"The way {direction} is locked.")
                return
            self.say(f"You unlock the door with the {needed}.")
            del room.locked[direction]
        self.player.room = self.rooms[room.exits[direction]]
        self.player.moves += 1
        self.do_look(())

    def do_take(self, args):
        if not args:
            self.say("Take what?")
            return
        item = args[0]
        room = self.player.room
        if item == "all":
            for thing in sorted(room.items):
                self.do_take([thing])
            return
        if item not in room.items:
            self.say(f"There is no {item} here.")
            return
        room.items.remove(item)
        self.player.inventory.append(item)
        self.player.score += 5
        self.say(f"Taken: {item}.")
        if item == "treasure":
            raise GameOver(True, "You found the treasure!")

    def do_drop(self, args):
        item = args[0] if args else ""
        if item not in self.player.inventory:
            self.say(f"You don't have {item or 'that'}.")
            return
        self.player.inventory.remove(item)
        self.player.room.items.append(item)
        self.say(f"Dropped: {item}.")

    def do_read(self, args):
        item = args[0] if args else ""
        if item != "book" or "book" not in self.player.inventory:
            self.say("You have nothing like that to read.")
            return
        self.say("Inside the hollow book you find a small brass key.")
        if "key" not in self.player.inventory:
            self.player.inventory.append("key")
            self.player.score += 10

    def do_inventory(self, args):
        inv = self.player.inventory
        self.say("You carry: " + (", ".join(inv) if inv else "nothing"))

    def do_eat(self, args):
        if args and args[0] == "bread" and "bread" in self.player.inventory:
            self.player.inventory.remove("bread")
            self.say("Delicious. You feel stronger.")
            self.player.score += 1
        else:
            self.say("You can't eat that.")

    def do_quit(self, args):
        raise GameOver(False, "You give up.")

    def execute(self, line):
        words = line.lower().split()
        if not words:
            return
        verb, args = words[0], words[1:]
        if verb in DIRECTIONS or verb in DIRECTIONS.values():
            verb, args = "go", [verb]
        aliases = {"i": "inventory", "l": "look", "get": "take"}
        verb = aliases.get(verb, verb)
        handler = getattr(self, "do_" + verb, None)
        if handler is None:
            self.say(f"I don't know how to '{verb}'.")
            return
        handler(args)


SCRIPT = [
    "look", "n", "take book", "take candle", "i", "read book", "s",
    "dance", "e", "take all", "eat bread", "eat stone", "d", "take rope",
    "go east", "drop candle", "look", "take treasure", "look",
]


def main():
    game = Game()
    game.do_look(())
    try:
        for number, line in enumerate(SCRIPT, 1):
            print(f"\n[{number}] > {line}")
            game.execute(line)
    except GameOver as end:
        print()
        print("*** " + str(end) + " ***")
        print("won:", end.won)
    p = game.player
    print(f"moves={p.moves} score={p.score} inventory={sorted(p.inventory)}")


if __name__ == "__main__":
    main()
