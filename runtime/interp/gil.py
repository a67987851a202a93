"""The guest interpreter lock and per-thread thread state (CPython's Python/ceval_gil.c and
the `_PyThreadState_Swap` of Python/pystate.c, for beale's guest execution).

beale's operations on guest structs take many host bytecodes (a list append reads ob_size,
reallocs ob_item, writes the item and ob_size), and the host GIL may switch threads between
any two of them. So a host thread runs guest code only while it holds this lock, as a
CPython thread runs bytecode only while it holds the GIL:

- Taken on every entry into guest code from a thread that does not hold it: the C slots'
  extern "Python" callbacks (`guest_entry`, used by typeslots/typeobject for every
  `beale_py_<slot>`; a guest `threading.Thread` starts as C's t_bootstrap calling the
  guest callable through tp_call), and `run_code` (module bodies run by the host: the CLI,
  the REPL, dump, tests). Re-entrant: a thread that holds it (C called from guest code
  calling back into guest code) just goes on.
- Released around foreign calls that may block (`call_released`, used by runtime.foreign
  for the callables of `blocking()`: `_thread` lock acquires, `time.sleep`, socket and
  select I/O, os.read/write/waitpid, `_queue.SimpleQueue.get`, ...), as C releases the GIL
  around them with Py_BEGIN_ALLOW_THREADS. Not around every foreign call: a C function that
  does not block runs under the host GIL without a break, so keeping the guest lock makes it
  atomic with respect to beale's own operations on the same objects (heapq.heappush on a
  list that another thread appends to), which is what CPython guarantees.
- Handed over on request (the eval breaker): a thread that has waited SWITCH_INTERVAL
  (5 ms, sys.getswitchinterval's default) sets `_gil_drop` in the modules whose loops check
  it (`register_breaker`: the evaluator's function calls and loop back-edges); the holder
  then drops the lock and waits until another thread took it (FORCE_SWITCHING), then takes it
  back. The check is one global load at a back-edge; nothing else runs when no thread waits.
  The same flag delivers a pending SIGINT to the main guest thread (`interrupt_main`).

Thread state: `runtime.interp.frame.ts` stays one object (the hot paths keep loading one
global), and holds the state of the thread that holds the lock, as `_PyThreadState_GET()`
does. When the lock goes to another thread, `take` saves the fields of the previous owner
(frame chain, depth, handled exceptions, running generator) into that thread's own
ThreadState and loads the taker's (a fresh one for a new thread). The swap is lazy: it
happens in `take` only when the owner changed, so a blocking call released and re-taken by
the same thread costs no swap. `recursion_limit` is interpreter-wide and not swapped.
"""

import _thread
import threading as _host_threading

from runtime.interp.frame import ts, ThreadState

get_ident = _thread.get_ident

SWITCH_INTERVAL = 0.005          # seconds a waiting thread lets pass before asking

_lock = _thread.allocate_lock()  # the guest interpreter lock itself
holder = None                    # ident of the thread holding it (None: free / unclaimed)
_ts_owner = None                 # ident of the thread whose state is in `ts`
_saved = {}                      # ident -> ThreadState of threads whose state is not in `ts`
_switches = 0                    # counts takes (FORCE_SWITCHING waits for it to change)
_waiting = []                    # one entry per thread blocked in take() (list ops are atomic)
_yielding = []                   # one entry per thread waiting for its hand-over to happen
_switch_cond = _host_threading.Condition(_host_threading.Lock())
_breaker_dicts = []              # module dicts holding `_gil_drop`
_pending_interrupt = False       # SIGINT waiting to be raised in the main guest thread
main_ident = None                # the thread that gets KeyboardInterrupt (cli's guest thread)
_blocked = set()                 # threads in call_released (lock dropped around a C call)


def register_breaker(module_globals):
    """Make `module_globals["_gil_drop"]` one of the eval-breaker flags."""
    module_globals["_gil_drop"] = False
    _breaker_dicts.append(module_globals)


def _register_evaluator():
    from runtime.interp import frame, compiler
    register_breaker(vars(frame))
    register_breaker(vars(compiler))


def _set_breaker(value):
    for d in _breaker_dicts:
        d["_gil_drop"] = value


def _swap_in(me):
    """Save the state of the thread whose state is in `ts` and load `me`'s (a fresh one for
    a thread new to guest code). With no owner (nothing ran yet, or the last owner had no
    guest frames left and gave its state up) `ts` is taken as it is."""
    global _ts_owner
    old = _ts_owner
    if old is not None:
        st = ThreadState()
        st.frame = ts.frame
        st.depth = ts.depth
        st.handled = ts.handled
        st.running_gen = ts.running_gen
        _saved[old] = st
    st = _saved.pop(me, None)
    if st is None:
        if old is None:
            _ts_owner = me          # claim: it may already be running guest code (host
            return                  # code calling the evaluator directly)
        st = ThreadState()
    ts.frame = st.frame
    ts.depth = st.depth
    ts.handled = st.handled
    ts.running_gen = st.running_gen
    _ts_owner = me


def take(me):
    """Acquire the guest lock for thread `me` (take_gil) and make `ts` its state."""
    global holder, _switches
    if not _lock.acquire(False):
        _waiting.append(me)
        try:
            while not _lock.acquire(True, SWITCH_INTERVAL):
                _set_breaker(True)          # ask the holder to hand over (SET_GIL_DROP_REQUEST)
        finally:
            _waiting.remove(me)
    holder = me
    _switches += 1
    if _ts_owner != me:
        _swap_in(me)
    if _yielding:
        with _switch_cond:
            _switch_cond.notify_all()


def drop():
    """Release the guest lock (drop_gil); `ts` keeps the dropping thread's state until
    another thread takes the lock."""
    global holder
    holder = None
    _lock.release()


def yield_now():
    """The eval breaker fired: hand the lock to a waiting thread, deliver a pending SIGINT."""
    me = get_ident()
    if _pending_interrupt and me == main_ident:
        _raise_interrupt()
    # (a SIGINT for the main thread stays pending until that thread sees it)
    _set_breaker(_pending_interrupt)
    if holder != me or not _waiting:
        return
    n = _switches
    _yielding.append(me)
    try:
        drop()
        with _switch_cond:
            # FORCE_SWITCHING: do not take the lock back before another thread had it
            while _switches == n and _waiting:
                _switch_cond.wait(SWITCH_INTERVAL)
    finally:
        _yielding.remove(me)
        take(me)
    if _pending_interrupt and me == main_ident:
        _raise_interrupt()


def guest_entry(fn):
    """Wrap an extern "Python" callback: C calling into guest code takes the lock unless the
    calling thread holds it already (C called from guest code calling back)."""
    def entry(*args):
        me = get_ident()
        if holder == me:
            return fn(*args)
        take(me)
        try:
            return fn(*args)
        finally:
            _leave(me)
    entry.__name__ = getattr(fn, "__name__", "entry")
    entry.__doc__ = fn.__doc__
    entry.__wrapped__ = fn
    return entry


def _leave(me):
    """Drop the lock at the end of an entry that took it. A thread with no guest frames left
    (its thread ends, or C called back from a non-guest thread) gives its state up: `ts`
    then holds an empty state that the next taker claims as it is (_swap_in), so `_saved`
    only holds the states of threads inside guest code that wait for the lock."""
    global _ts_owner
    if ts.frame is None and ts.depth == 0 and not ts.handled and ts.running_gen is None \
            and _ts_owner == me:
        ts.handled = []
        _ts_owner = None
    drop()


class entered:
    """`with entered():` runs host code that enters guest code (run_code) holding the lock."""
    __slots__ = ("me", "took")

    def __enter__(self):
        me = self.me = get_ident()
        self.took = holder != me
        if self.took:
            take(me)
        return self

    def __exit__(self, *exc):
        if self.took:
            _leave(self.me)
        return False


def call_released(fn, args, kwargs=None):
    """fn(*args, **kwargs) with the guest lock released (Py_BEGIN_ALLOW_THREADS): for C
    functions that may block. The main guest thread waits in slices so that a SIGINT can
    interrupt a blocking wait (CPython's main thread gets EINTR there)."""
    me = get_ident()
    key = _key_of(fn)
    special = _SPECIAL.get(key)
    if holder != me:
        if special is not None:
            return special(fn, args, kwargs)
        return fn(*args, **kwargs) if kwargs else fn(*args)
    drop()
    _blocked.add(me)
    try:
        if me == main_ident:
            special = _INTERRUPTIBLE.get(key, special)
        if special is not None:
            return special(fn, args, kwargs)
        return fn(*args, **kwargs) if kwargs else fn(*args)
    finally:
        _blocked.discard(me)
        take(me)
        if _pending_interrupt and me == main_ident:
            _raise_interrupt()


GUEST_THREAD_STACK = 256 * 1024 * 1024


def _start_thread(fn, args, kwargs):
    """_thread.start_new_thread for guest code: the new host thread gets a stack big enough
    for guest recursion up to the recursion limit (as cli's main guest thread: host frames
    per guest frame), then the guest lock is taken by its first callback."""
    old = _thread.stack_size()
    if old < GUEST_THREAD_STACK:
        try:
            _thread.stack_size(GUEST_THREAD_STACK)
        except (ValueError, RuntimeError):
            old = None
    try:
        return fn(*args, **kwargs) if kwargs else fn(*args)
    finally:
        if old is not None and old < GUEST_THREAD_STACK:
            _thread.stack_size(old)


# --- SIGINT --------------------------------------------------------------------------------

def interrupt_main():
    """Called from the host's signal handler: raise KeyboardInterrupt in the main guest thread
    at its next eval-breaker check or when its blocking call returns (CPython: trip_signal +
    _PyEval_SignalReceived; blocking waits of the main thread are sliced, see call_released).
    Returns False when the main guest thread is not in guest code (e.g. the REPL reading a
    line): the caller then interrupts it the host's way."""
    global _pending_interrupt
    me = main_ident
    if me is None or not (holder == me or me in _waiting or me in _blocked):
        return False
    _pending_interrupt = True
    _set_breaker(True)
    return True


def interrupt_pending():
    return _pending_interrupt


def _raise_interrupt():
    global _pending_interrupt
    _pending_interrupt = False
    from runtime.cli import GuestKeyboardInterrupt
    raise GuestKeyboardInterrupt()


def _sliced_sleep(fn, args, kwargs):
    import time
    secs = args[0] if args else (kwargs or {}).get("secs", 0)
    try:
        deadline = time.monotonic() + secs
        if secs < 0:
            raise TypeError
    except TypeError:
        return fn(*args, **(kwargs or {}))      # the host's own error
    while not _pending_interrupt:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        fn(min(left, 0.05))
    return None


def _sliced_acquire(fn, args, kwargs):
    """lock.acquire(blocking=True, timeout=-1) in slices of 50 ms."""
    import time
    kwargs = kwargs or {}
    blocking = args[0] if args else kwargs.get("blocking", True)
    timeout = args[1] if len(args) > 1 else kwargs.get("timeout", -1)
    if not blocking or timeout == 0:
        return fn(*args, **kwargs)
    try:
        deadline = None if timeout < 0 else time.monotonic() + timeout
    except TypeError:
        return fn(*args, **kwargs)
    while not _pending_interrupt:
        if deadline is None:
            step = 0.05
        else:
            step = min(deadline - time.monotonic(), 0.05)
            if step <= 0:
                return fn(False)
        if fn(True, step):
            return True
    return False


# --- which foreign callables may block ------------------------------------------------------

_BuiltinFunction = type(len)
# METH_METHOD methods (defining-class methods: _queue.SimpleQueue.get, ...) are
# PyCMethodObjects, a subtype of builtin_function_or_method
_BuiltinMethod = type(__import__("re").compile("").sub)
_MethodDescriptor = type(str.join)
_WrapperDescriptor = type(object.__init__)


def _key_of(fn):
    """(owner, name) for a builtin function/method or a method descriptor, else None. The
    owner is a module's name or a type's "module.qualname": a C module the guest imports may
    be a second instance of the host's (multi-phase init: `_queue`, `select` have heap
    types of their own), so types are matched by name, not identity."""
    t = type(fn)
    if t is _BuiltinFunction or t is _BuiltinMethod:
        owner = fn.__self__
        ot = owner.__class__
        if ot is _ModuleType:
            return (owner.__name__, fn.__name__)
        return (_type_key(ot), fn.__name__)
    if t is _MethodDescriptor:
        return (_type_key(fn.__objclass__), fn.__name__)
    return None


_type_keys = {}


def _type_key(t):
    k = _type_keys.get(t)
    if k is None:
        k = _type_keys[t] = "%s.%s" % (getattr(t, "__module__", "?"),
                                       getattr(t, "__qualname__", "?"))
    return k


_ModuleType = type(_thread)
_BLOCKING = set()
_BLOCKING_NAMES = set()
_INTERRUPTIBLE = {}              # key -> sliced wait, for the main guest thread
_SPECIAL = {("_thread", "start_new_thread"): _start_thread,
            ("_thread", "start_joinable_thread"): _start_thread}


def _build_blocking():
    """The (owner, name) pairs of the C functions that release the GIL to wait (module
    functions are keyed by module name, methods by their C type's "module.qualname")."""
    import _socket
    import select
    import os
    import _io
    keys = set()

    def add(owner, *names):
        if isinstance(owner, type):
            owner = _type_key(owner)
        for n in names:
            keys.add((owner, n))
    add("time", "sleep")
    add("_thread", "start_new_thread", "start_joinable_thread")   # see _start_thread
    lock_t = type(_thread.allocate_lock())
    add(lock_t, "acquire", "acquire_lock", "__enter__")
    add(_thread.RLock, "acquire", "__enter__", "_acquire_restore")
    add("select", "select")
    for name in ("poll", "epoll", "devpoll", "kqueue"):
        t = getattr(select, name, None)
        if isinstance(t, type):
            add(t, "poll", "control")
    if hasattr(select, "poll"):
        add(type(select.poll()), "poll")
    add(_socket.socket, "accept", "_accept", "recv", "recv_into", "recvfrom", "recvfrom_into",
        "recvmsg", "recvmsg_into", "send", "sendall", "sendto", "sendmsg", "connect",
        "connect_ex")
    add("_socket", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
        "getnameinfo")
    add(os.name if os.name == "posix" else "nt", "read", "write", "readv", "writev", "pread",
        "pwrite", "waitpid", "wait", "wait3", "wait4", "waitid", "system", "sendfile", "fsync")
    for t in (_io.FileIO, _io.BufferedReader, _io.BufferedRandom, _io.BufferedRWPair):
        add(t, "read", "read1", "readinto", "readinto1", "readline", "readall", "peek")
    try:
        import _queue
        add(_queue.SimpleQueue, "get")
    except ImportError:
        pass
    try:
        import signal
        add("_signal", "pause", "sigwait", "sigwaitinfo", "sigtimedwait")
        del signal
    except ImportError:
        pass
    _BLOCKING.update(keys)
    _BLOCKING_NAMES.update(name for _, name in keys)
    _INTERRUPTIBLE[("time", "sleep")] = _sliced_sleep
    _INTERRUPTIBLE[(_type_key(lock_t), "acquire")] = _sliced_acquire
    _INTERRUPTIBLE[(_type_key(lock_t), "acquire_lock")] = _sliced_acquire
    _INTERRUPTIBLE[(_type_key(_thread.RLock), "acquire")] = _sliced_acquire


def blocking(fn):
    """Does calling host callable `fn` release the GIL to wait (so it must release ours)?
    Called on every foreign call. Module functions and method descriptors are persistent
    objects: the answer is cached by the object (a builtin function hashes and compares by
    its self and C function pointers). For a method bound to an instance, the method name
    is looked at first, the owner only for the few names that may block."""
    t = type(fn)
    if t is _BuiltinFunction or t is _BuiltinMethod:
        if fn.__self__.__class__ is not _ModuleType:
            # bound to an instance: ephemeral, and hashing it would hash the instance
            if fn.__name__ not in _BLOCKING_NAMES:
                return False
            try:
                return _key_of(fn) in _BLOCKING
            except Exception:
                return False
    elif t is not _MethodDescriptor:
        return False
    r = _blocking_cache.get(fn)
    if r is None:
        try:
            r = _key_of(fn) in _BLOCKING
        except Exception:
            r = False
        _blocking_cache[fn] = r
    return r


_blocking_cache = {}

def _after_fork_in_child():
    """_PyEval_ReInitThreads: in a child process only the forking thread exists. It keeps the
    guest lock if it held it (os.fork called from guest code); the other threads' waits,
    hand-overs and saved states are gone."""
    global _lock, _switch_cond, holder
    me = get_ident()
    held = holder == me
    _lock = _thread.allocate_lock()
    _switch_cond = _host_threading.Condition(_host_threading.Lock())
    del _waiting[:]
    del _yielding[:]
    _blocked.clear()
    for ident in list(_saved):
        if ident != me:
            del _saved[ident]
    holder = None
    if held:
        _lock.acquire()
        holder = me
    _set_breaker(_pending_interrupt)


_register_evaluator()
_build_blocking()
try:
    import os as _os
    _os.register_at_fork(after_in_child=_after_fork_in_child)
except (ImportError, AttributeError):
    pass
