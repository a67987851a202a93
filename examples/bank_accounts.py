"""bank_accounts.py -- a bank simulation with custom exceptions and exception chaining.

Exercises: exception hierarchies, raise ... from ..., implicit chaining (__context__),
__cause__/__suppress_context__, try/except/else/finally, re-raise, exception attributes
and __str__, context managers (a transaction that rolls back), traceback-free reporting,
a seeded linear congruential generator written here (no random module).
"""


class BankError(Exception):
    """Base class of all bank errors."""


class InsufficientFunds(BankError):
    def __init__(self, account, amount):
        super().__init__(account, amount)
        self.account = account
        self.amount = amount

    def __str__(self):
        return (f"account {self.account.number} has {self.account.balance} "
                f"but {self.amount} was requested")


class AccountFrozen(BankError):
    pass


class UnknownAccount(BankError, KeyError):
    pass


class TransferFailed(BankError):
    pass


class LCG:
    """A tiny deterministic pseudo-random generator (Numerical Recipes constants)."""

    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (1664525 * self.state + 1013904223) % 2 ** 32
        return self.state

    def randint(self, lo, hi):
        return lo + self.next() % (hi - lo + 1)

    def choice(self, seq):
        return seq[self.next() % len(seq)]


class Account:
    next_number = 1000

    def __init__(self, owner, balance=0, overdraft=0):
        self.owner = owner
        self.balance = balance
        self.overdraft = overdraft
        self.frozen = False
        self.history = []
        self.number = Account.next_number
        Account.next_number += 1

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError(f"deposit must be positive: {amount}")
        self._check_frozen()
        self.balance += amount
        self.history.append(("deposit", amount))

    def withdraw(self, amount):
        if amount <= 0:
            raise ValueError(f"withdrawal must be positive: {amount}")
        self._check_frozen()
        if self.balance - amount < -self.overdraft:
            raise InsufficientFunds(self, amount)
        self.balance -= amount
        self.history.append(("withdraw", amount))

    def _check_frozen(self):
        if self.frozen:
            raise AccountFrozen(f"account {self.number} is frozen")

    def __repr__(self):
        return f"Account({self.number}, {self.owner!r}, balance={self.balance})"


class Transaction:
    """Context manager: snapshot balances, restore them if the block raises."""

    def __init__(self, bank, *numbers):
        self.bank = bank
        self.accounts = [bank.get(n) for n in numbers]

    def __enter__(self):
        self.snapshot = [(a.balance, len(a.history)) for a in self.accounts]
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            for account, (balance, length) in zip(self.accounts, self.snapshot):
                account.balance = balance
                del account.history[length:]
            self.bank.log.append(f"rollback after {exc_type.__name__}")
        return False


class Bank:
    def __init__(self):
        self.accounts = {}
        self.log = []

    def open(self, owner, balance=0, overdraft=0):
        account = Account(owner, balance, overdraft)
        self.accounts[account.number] = account
        return account

    def get(self, number):
        try:
            return self.accounts[number]
        except KeyError:
            raise UnknownAccount(number) from None

    def transfer(self, source, target, amount):
        try:
            with Transaction(self, source, target):
                self.get(target).deposit(amount)
                self.get(source).withdraw(amount)
        except (InsufficientFunds, AccountFrozen) as err:
            raise TransferFailed(f"transfer {source}->{target} of {amount} failed") from err
        else:
            self.log.append(f"transfer {source}->{target} {amount}")
        finally:
            self.log.append("transfer attempted")

    def total(self):
        return sum(a.balance for a in self.accounts.values())


def describe_chain(exc):
    parts = []
    while exc is not None:
        parts.append(f"{type(exc).__name__}({exc})")
        if exc.__cause__ is not None:
            exc = exc.__cause__
            parts.append("caused by")
        elif exc.__context__ is not None and not exc.__suppress_context__:
            exc = exc.__context__
            parts.append("during handling of")
        else:
            exc = None
    return " ".join(parts)


def main():
    bank = Bank()
    alice = bank.open("alice", 100)
    bob = bank.open("bob", 50, overdraft=25)
    carol = bank.open("carol")
    print(alice, bob, carol)

    bank.transfer(alice.number, bob.number, 30)
    print("after transfer:", alice.balance, bob.balance)

    try:
        bank.transfer(carol.number, alice.number, 10)
    except TransferFailed as err:
        print("chain:", describe_chain(err))
        print("cause type:", type(err.__cause__).__name__, "amount:", err.__cause__.amount)
    print("balances after rollback:", alice.balance, carol.balance, alice.history)

    bob.frozen = True
    try:
        bank.transfer(bob.number, carol.number, 5)
    except BankError as err:
        print("chain:", describe_chain(err))
    bob.frozen = False

    try:
        bank.get(9999)
    except KeyError as err:
        print("UnknownAccount is a KeyError:", isinstance(err, UnknownAccount), repr(err),
              "suppressed context:", err.__suppress_context__)

    try:
        try:
            alice.deposit(-5)
        except ValueError:
            raise BankError("deposit rejected")
    except BankError as err:
        print("implicit chain:", describe_chain(err))

    rng = LCG(seed=2024)
    numbers = sorted(bank.accounts)
    failures = {}
    for step in range(200):
        src, dst = rng.choice(numbers), rng.choice(numbers)
        amount = rng.randint(1, 60)
        if src == dst:
            continue
        try:
            bank.transfer(src, dst, amount)
        except TransferFailed as err:
            name = type(err.__cause__).__name__
            failures[name] = failures.get(name, 0) + 1
    print("after simulation:", [(a.owner, a.balance) for a in bank.accounts.values()])
    print("total preserved:", bank.total() == 150, "failures:", failures)
    print("log entries:", len(bank.log), "rollbacks:", sum(1 for e in bank.log if e.startswith("rollback")))

    def reraiser():
        try:
            raise InsufficientFunds(alice, 10 ** 6)
        except BankError:
            bank.log.append("re-raising")
            raise

    try:
        reraiser()
    except InsufficientFunds as err:
        print("re-raised:", err)
    finally:
        print("finally runs; last log:", bank.log[-1])

    try:
        raise ExceptionGroup("several", [ValueError("a"), InsufficientFunds(bob, 1)])
    except* ValueError as group:
        print("except* ValueError:", [str(e) for e in group.exceptions])
    except* BankError as group:
        print("except* BankError:", [type(e).__name__ for e in group.exceptions])


if __name__ == "__main__":
    main()
