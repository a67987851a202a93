"""inventory_dataclasses.py -- a warehouse inventory built from dataclasses.

Exercises: @dataclass with defaults, field(default_factory=...), field(compare=False),
order=True, frozen=True (and the FrozenInstanceError it raises), __post_init__ validation,
dataclasses.asdict/astuple/replace/fields, enum.Enum, typing annotations, ClassVar,
sorting dataclasses, grouping with dicts, itertools.groupby, str.format tables.
"""
import enum
import itertools
from dataclasses import FrozenInstanceError, asdict, astuple, dataclass, field, fields, replace
from typing import ClassVar, Optional


class Category(enum.Enum):
    TOOLS = "tools"
    PARTS = "parts"
    SUPPLIES = "supplies"

    def __str__(self):
        return self.value


@dataclass(frozen=True, order=True)
class SKU:
    prefix: str
    number: int

    def __str__(self):
        return f"{self.prefix}-{self.number:04d}"


@dataclass(order=True)
class Item:
    sort_index: tuple = field(init=False, repr=False)
    sku: SKU
    name: str
    category: Category = field(compare=False)
    price_cents: int = 0
    quantity: int = 0
    tags: list = field(default_factory=list, compare=False)
    supplier: Optional[str] = field(default=None, compare=False)
    TAX_RATE: ClassVar[float] = 0.2

    def __post_init__(self):
        if self.price_cents < 0:
            raise ValueError(f"{self.name}: negative price")
        if self.quantity < 0:
            raise ValueError(f"{self.name}: negative quantity")
        self.sort_index = (self.category.value, self.sku)

    @property
    def value_cents(self):
        return self.price_cents * self.quantity

    def price_with_tax(self):
        return round(self.price_cents * (1 + self.TAX_RATE))


@dataclass
class Movement:
    sku: SKU
    delta: int
    reason: str = "adjustment"


@dataclass
class Warehouse:
    name: str
    items: dict = field(default_factory=dict)
    journal: list = field(default_factory=list)

    def add(self, item):
        if item.sku in self.items:
            raise KeyError(f"duplicate SKU {item.sku}")
        self.items[item.sku] = item

    def move(self, sku, delta, reason="adjustment"):
        item = self.items[sku]
        if item.quantity + delta < 0:
            raise ValueError(f"not enough {item.name}: have {item.quantity}, need {-delta}")
        self.items[sku] = replace(item, quantity=item.quantity + delta)
        self.journal.append(Movement(sku, delta, reason))

    def total_value(self):
        return sum(item.value_cents for item in self.items.values())

    def low_stock(self, threshold):
        return sorted(item for item in self.items.values() if item.quantity < threshold)


def money(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}${cents // 100:,}.{cents % 100:02d}"


def report(warehouse):
    lines = [f"Inventory of {warehouse.name}",
             "{:<10} {:<18} {:<9} {:>5} {:>10} {:>12}".format("SKU", "name", "category", "qty", "price", "value")]
    for item in sorted(warehouse.items.values()):
        lines.append("{:<10} {:<18} {:<9} {:>5} {:>10} {:>12}".format(
            str(item.sku), item.name, str(item.category), item.quantity,
            money(item.price_cents), money(item.value_cents)))
    lines.append(f"{'total':<56}{money(warehouse.total_value()):>12}")
    return "\n".join(lines)


def main():
    wh = Warehouse("Main Street")
    stock = [
        (SKU("TL", 1), "hammer", Category.TOOLS, 1599, 12, ["steel"], "Acme"),
        (SKU("TL", 2), "screwdriver set", Category.TOOLS, 2450, 5, ["steel", "set"], "Acme"),
        (SKU("PT", 10), "hinge", Category.PARTS, 199, 240, [], "Hinges Ltd"),
        (SKU("PT", 3), "bolt M8", Category.PARTS, 12, 5000, ["steel"], None),
        (SKU("SP", 7), "sandpaper", Category.SUPPLIES, 89, 3, ["abrasive"], None),
        (SKU("SP", 2), "wood glue", Category.SUPPLIES, 675, 0, [], "GlueCo"),
    ]
    for sku, name, cat, price, qty, tags, supplier in stock:
        wh.add(Item(sku, name, cat, price, qty, tags, supplier))
    print(report(wh))

    hammer = wh.items[SKU("TL", 1)]
    print(repr(hammer))
    print("asdict keys:", list(asdict(hammer)))
    print("astuple:", astuple(hammer)[1:5])
    print("fields:", [(f.name, f.compare) for f in fields(Item)])
    print("price with tax:", money(hammer.price_with_tax()), "TAX_RATE in fields:",
          "TAX_RATE" in [f.name for f in fields(Item)])

    wh.move(SKU("PT", 3), -1200, "order 17")
    wh.move(SKU("SP", 2), 24, "delivery")
    wh.move(SKU("TL", 1), -2, "order 18")
    for bad in [lambda: wh.move(SKU("SP", 7), -10, "order 19"),
                lambda: wh.add(Item(SKU("TL", 1), "dup", Category.TOOLS)),
                lambda: Item(SKU("XX", 0), "broken", Category.PARTS, -5)]:
        try:
            bad()
        except (ValueError, KeyError) as e:
            print(f"{type(e).__name__}: {e}")
    print("journal:", [(str(m.sku), m.delta, m.reason) for m in wh.journal])
    print("hammer is replaced, old object unchanged:", hammer.quantity, wh.items[SKU("TL", 1)].quantity)
    print("low stock:", [i.name for i in wh.low_stock(10)])

    sku = SKU("TL", 1)
    try:
        sku.number = 2
    except FrozenInstanceError as e:
        print("FrozenInstanceError:", e)
    print("SKU ordering:", sorted([SKU("TL", 2), SKU("PT", 10), SKU("PT", 3)]),
          "hashable:", len({SKU("A", 1), SKU("A", 1), SKU("A", 2)}))
    print("equality ignores tags and supplier:",
          Item(sku, "x", Category.TOOLS, tags=["a"]) == Item(sku, "x", Category.TOOLS, supplier="y"))

    ordered = sorted(wh.items.values(), key=lambda i: i.category.value)
    for category, group in itertools.groupby(ordered, key=lambda i: i.category):
        group = list(group)
        print(f"{category.name:<9} items={len(group)} units={sum(i.quantity for i in group):>5} "
              f"value={money(sum(i.value_cents for i in group))}")
    by_tag = {}
    for item in wh.items.values():
        for tag in item.tags:
            by_tag.setdefault(tag, []).append(item.name)
    print("by tag:", {t: sorted(names) for t, names in sorted(by_tag.items())})
    print("suppliers:", sorted({i.supplier for i in wh.items.values() if i.supplier}))
    print("Category lookup:", Category("parts"), Category["TOOLS"].value, list(Category)[-1])
    print("total value:", money(wh.total_value()))


if __name__ == "__main__":
    main()
