"""stack_vm.py -- an expression compiler and a tiny stack-based virtual machine.

A tokenizer and Pratt parser turn a small language (numbers, variables, + - * / % **,
comparisons, `let`, `if ... then ... else`, `while ... do ... end`, `print`) into an AST of
tuples, a compiler turns the AST into bytecode (a list of (opcode, arg) pairs with jumps),
and a VM with a value stack runs it. Exercises: dict dispatch tables, tuples, while loops,
integer arithmetic, exceptions, enum-like class constants, operator module.
"""
import operator


class CompileError(Exception):
    pass


class VMError(Exception):
    pass


KEYWORDS = {"let", "if", "then", "else", "while", "do", "end", "print", "and", "or", "not"}
SYMBOLS = ["**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "<", ">", "(", ")", "=", ";"]


def tokenize(source):
    tokens = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit():
            j = i
            while j < len(source) and source[j].isdigit():
                j += 1
            tokens.append(("num", int(source[i:j])))
            i = j
        elif ch.isalpha() or ch == "_":
            j = i
            while j < len(source) and (source[j].isalnum() or source[j] == "_"):
                j += 1
            word = source[i:j]
            tokens.append(("kw" if word in KEYWORDS else "name", word))
            i = j
        else:
            for sym in SYMBOLS:
                if source.startswith(sym, i):
                    tokens.append(("op", sym))
                    i += len(sym)
                    break
            else:
                raise CompileError(f"unexpected character {ch!r} at {i}")
    tokens.append(("eof", None))
    return tokens


BINARY_PRECEDENCE = {
    "or": 1, "and": 2,
    "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
    "+": 4, "-": 4, "*": 5, "/": 5, "%": 5, "**": 7,
}
RIGHT_ASSOC = {"**"}


class Parser:
    def __init__(self, source):
        self.tokens = tokenize(source)
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos]

    def advance(self):
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def expect(self, kind, value=None):
        tok = self.advance()
        if tok[0] != kind or (value is not None and tok[1] != value):
            raise CompileError(f"expected {value or kind}, got {tok[1]!r}")
        return tok

    def program(self):
        statements = self.block(("eof",))
        self.expect("eof")
        return ("block", statements)

    def block(self, terminators):
        statements = []
        while self.peek()[0] not in terminators and self.peek()[1] not in terminators:
            statements.append(self.statement())
            if self.peek() == ("op", ";"):
                self.advance()
        return statements

    def statement(self):
        tok = self.peek()
        if tok == ("kw", "let"):
            self.advance()
            name = self.expect("name")[1]
            self.expect("op", "=")
            return ("let", name, self.expression())
        if tok == ("kw", "print"):
            self.advance()
            return ("print", self.expression())
        if tok == ("kw", "while"):
            self.advance()
            cond = self.expression()
            self.expect("kw", "do")
            body = self.block(("end",))
            self.expect("kw", "end")
            return ("while", cond, ("block", body))
        return ("expr", self.expression())

    def expression(self, min_prec=0):
        left = self.unary()
        while True:
            tok = self.peek()
            op = tok[1]
            prec = BINARY_PRECEDENCE.get(op) if tok[0] in ("op", "kw") else None
            if prec is None or prec < min_prec:
                return left
            self.advance()
            next_min = prec if op in RIGHT_ASSOC else prec + 1
            right = self.expression(next_min)
            left = ("bin", op, left, right)

    def unary(self):
        tok = self.advance()
        kind, value = tok
        if kind == "num":
            return ("const", value)
        if kind == "name":
            return ("load", value)
        if tok == ("op", "-"):
            return ("neg", self.expression(6))
        if tok == ("kw", "not"):
            return ("not", self.expression(3))
        if tok == ("op", "("):
            inner = self.expression()
            self.expect("op", ")")
            return inner
        if tok == ("kw", "if"):
            cond = self.expression()
            self.expect("kw", "then")
            yes = self.expression()
            self.expect("kw", "else")
            no = self.expression()
            return ("if", cond, yes, no)
        raise CompileError(f"unexpected token {value!r}")


class Compiler:
    def __init__(self):
        self.code = []

    def emit(self, op, arg=None):
        self.code.append([op, arg])
        return len(self.code) - 1

    def compile(self, node):
        kind = node[0]
        method = getattr(self, "c_" + kind)
        method(*node[1:])
        return self.code

    def c_block(self, statements):
        for s in statements:
            self.compile(s)

    def c_let(self, name, expr):
        self.compile(expr)
        self.emit("STORE", name)

    def c_print(self, expr):
        self.compile(expr)
        self.emit("PRINT")

    def c_expr(self, expr):
        self.compile(expr)
        self.emit("POP")

    def c_while(self, cond, body):
        top = len(self.code)
        self.compile(cond)
        jump = self.emit("JUMP_IF_FALSE")
        self.compile(body)
        self.emit("JUMP", top)
        self.code[jump][1] = len(self.code)

    def c_const(self, value):
        self.emit("PUSH", value)

    def c_load(self, name):
        self.emit("LOAD", name)

    def c_neg(self, expr):
        self.compile(expr)
        self.emit("NEG")

    def c_not(self, expr):
        self.compile(expr)
        self.emit("NOT")

    def c_if(self, cond, yes, no):
        self.compile(cond)
        to_else = self.emit("JUMP_IF_FALSE")
        self.compile(yes)
        to_end = self.emit("JUMP")
        self.code[to_else][1] = len(self.code)
        self.compile(no)
        self.code[to_end][1] = len(self.code)

    def c_bin(self, op, left, right):
        if op in ("and", "or"):
            self.compile(left)
            self.emit("DUP")
            jump = self.emit("JUMP_IF_FALSE" if op == "and" else "JUMP_IF_TRUE")
            self.emit("POP")
            self.compile(right)
            self.code[jump][1] = len(self.code)
            return
        self.compile(left)
        self.compile(right)
        self.emit("BINARY", op)


def int_div(a, b):
    if b == 0:
        raise VMError("division by zero")
    return a // b


BINARY_OPS = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": int_div,
    "%": lambda a, b: a % b if b else int_div(a, b), "**": operator.pow,
    "==": lambda a, b: int(a == b), "!=": lambda a, b: int(a != b),
    "<": lambda a, b: int(a < b), "<=": lambda a, b: int(a <= b),
    ">": lambda a, b: int(a > b), ">=": lambda a, b: int(a >= b),
}


class VM:
    def __init__(self, code, max_steps):
        self.code = code
        self.stack = []
        self.env = {}
        self.output = []
        self.steps = 0
        self.max_steps = max_steps

    def run(self):
        pc = 0
        code, stack = self.code, self.stack
        while pc < len(code):
            op, arg = code[pc]
            pc += 1
            self.steps += 1
            if self.steps > self.max_steps:
                raise VMError("step limit exceeded")
            if op == "PUSH":
                stack.append(arg)
            elif op == "LOAD":
                if arg not in self.env:
                    raise VMError(f"undefined variable {arg}")
                stack.append(self.env[arg])
            elif op == "STORE":
                self.env[arg] = stack.pop()
            elif op == "BINARY":
                b = stack.pop()
                a = stack.pop()
                stack.append(BINARY_OPS[arg](a, b))
            elif op == "NEG":
                stack.append(-stack.pop())
            elif op == "NOT":
                stack.append(int(not stack.pop()))
            elif op == "DUP":
                stack.append(stack[-1])
            elif op == "POP":
                stack.pop()
            elif op == "PRINT":
                self.output.append(stack.pop())
            elif op == "JUMP":
                pc = arg
            elif op == "JUMP_IF_FALSE":
                if not stack.pop():
                    pc = arg
            elif op == "JUMP_IF_TRUE":
                if stack.pop():
                    pc = arg
            else:
                raise VMError(f"bad opcode {op}")
        return self.output


def run(source, show_code=False, max_steps=50_000):
    tree = Parser(source).program()
    code = Compiler().compile(tree)
    if show_code:
        for index, (op, arg) in enumerate(code):
            print(f"  {index:3d} {op:<14} {'' if arg is None else arg}")
    vm = VM(code, max_steps)
    return vm.run(), vm


PROGRAMS = [
    ("arithmetic", "print 1 + 2 * 3; print (1 + 2) * 3; print 2 ** 3 ** 2; print -7 / 2; print 17 % 5"),
    ("logic", "print 1 < 2 and 3 > 4; print 0 or 5; print not 0; print if 3 >= 3 then 10 else 20"),
    ("factorial", "let n = 20; let f = 1; while n > 1 do let f = f * n; let n = n - 1 end; print f"),
    ("fibonacci", """
        let a = 0; let b = 1; let i = 0;
        while i < 15 do print a; let t = a + b; let a = b; let b = t; let i = i + 1 end"""),
    ("primes", """
        let n = 2; let count = 0; let last = 0;
        while n < 100 do
            let d = 2; let prime = 1;
            while d * d <= n and prime do
                let prime = prime and n % d != 0;
                let d = d + 1
            end;
            let count = count + prime;
            let last = if prime then n else last;
            let n = n + 1
        end;
        print count; print last"""),
    ("collatz", """
        let n = 27; let steps = 0; let peak = n;
        while n != 1 do
            let n = if n % 2 == 0 then n / 2 else 3 * n + 1;
            let peak = if n > peak then n else peak;
            let steps = steps + 1
        end;
        print steps; print peak"""),
    ("big", "print 3 ** 100 - 2 ** 150; print (0 - 7) / 2 * 2 + (0 - 7) % 2"),
    ("div by zero", "print 1 / (2 - 2)"),
    ("undefined", "print x + 1"),
    ("syntax", "let = 3"),
    ("loop forever", "let i = 0; while 1 do let i = i + 1 end"),
]


def main():
    print("bytecode of `let x = 2; print x * (x + 1)`:")
    output, _ = run("let x = 2; print x * (x + 1)", show_code=True)
    print("  output:", output)
    for name, source in PROGRAMS:
        try:
            output, vm = run(source)
            print(f"{name}: {output} (steps={vm.steps}, vars={sorted(vm.env.items())})")
        except CompileError as e:
            print(f"{name}: compile error: {e}")
        except VMError as e:
            print(f"{name}: runtime error: {e}")


if __name__ == "__main__":
    main()
