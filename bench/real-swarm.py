#!/usr/bin/env python3
"""Real-process swarm benchmark: kadshare `node` processes against libtorrent, in one run.

For every workload and round, kadshare first: S holder processes (`node join` with
`--upload-rate`, each `put`s the same source file), a getter node that has joined through the
first holder and sees all S holders through `node providers`, and every node that began its
data-path warm-up after `join` has ended it (at most WARM_UP_SECONDS), then `node get --json`
timed from the command's start to its exit; then libtorrent: S seeder processes (bench/lt_peer.py, each has
checked the file) and one downloader process timed from its start to its exit. The copy is
checked by SHA-256 against the source. CPU seconds are read from /proc for every process of the
swarm (user + system of every holder and of the getter node over the timed interval, plus the
rusage of the timed command itself). Every process is stopped by its PID and every data
directory deleted after each round. Every other round runs the systems in the reverse order.
Not run by CI; see docs/BENCHMARKS.md.

System kadshare-clear is kadshare with every node at `--encryption refuse` (block transfers in
clear); kadshare runs at the default (prefer: every connection here is TLS 1.3). With --baseline,
systems kadshare-baseline and kadshare-clear-baseline are the same with the other checkout's
./node (kadshare-baseline is added unless --systems names one of them).

With --threads, every process of the swarm is also read per thread (/proc/<pid>/task/*/stat
before the timed command and every 100 ms during it, so threads that end with the download are
counted), and each round's JSON line carries "threads": CPU seconds per process and thread name
(trailing numbers dropped, so a pool's threads add up).

With --profile AGENT (async-profiler's libasyncProfiler.so), the getter node and holder h0 of every
kadshare round are sampled during the timed get: the agent is loaded into each running JVM with
`jcmd <pid> JVMTI.agent_load` as the get starts and stopped as it ends, and writes collapsed stacks
per thread to getter.collapsed and h0.collapsed in the round's directory (kept with --keep-logs;
bench/flat-profile.py prints them per thread). It samples CPU time every millisecond, which costs
the sampled processes some CPU of their own, so the round's figures are not comparable with others.

Usage: bench/real-swarm.py [--workload a|b|c|all] [--rounds N] [--systems kadshare,libtorrent]
                           [--dir DIR] [--net 127.77] [--lt-python PATH] [--keep-logs]
                           [--size-mib N] [--baseline OTHER-CHECKOUT] [--threads] [--profile AGENT]
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

MIB = 1 << 20
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NODE = os.path.join(ROOT, "node")
LT_PEER = os.path.join(ROOT, "bench", "lt_peer.py")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PORT = 4870
READY_SECONDS = 120
# How long a round waits for its nodes to end their data-path warm-up after `join`.
WARM_UP_SECONDS = 30
STOP_SECONDS = 15

# name -> (file size in MiB, upload cap of each holder in MiB/s, 0 = none)
WORKLOADS = {
    "a": (512, [0, 0, 0, 0]),
    "b": (256, [25, 25, 25, 25]),
    "c": (256, [25, 25, 25, 5]),
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_seconds(pid):
    """User + system CPU seconds of one live process (all its threads), from /proc."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def thread_seconds(pid):
    """CPU seconds of every live thread of one process: {tid: (name, seconds)}."""
    out = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return out
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                head, rest = f.read().rsplit(")", 1)
            fields = rest.split()
            out[tid] = (head.split("(", 1)[1], (int(fields[11]) + int(fields[12])) / CLK_TCK)
        except (OSError, IndexError, ValueError):
            pass
    return out


class ThreadSampler:
    """Reads every thread of some processes every 100 ms; what each used since the start, by name."""

    def __init__(self, named_pids):
        self.named_pids = named_pids
        self.first = {name: thread_seconds(pid) for name, pid in named_pids}
        self.last = {name: dict(t) for name, t in self.first.items()}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def sample(self):
        for name, pid in self.named_pids:
            self.last[name].update(thread_seconds(pid))

    def run(self):
        while not self.done.wait(0.1):
            self.sample()

    def stop(self):
        self.done.set()
        self.thread.join()
        self.sample()
        result = {}
        for name, threads in self.last.items():
            per = result.setdefault(name, {})
            for tid, (tname, secs) in threads.items():
                used = secs - self.first[name].get(tid, (tname, 0.0))[1]
                key = re.sub(r"[-#_ 0-9]+$", "", tname) or tname
                per[key] = round(per.get(key, 0.0) + used, 2)
            result[name] = {k: v for k, v in sorted(per.items(), key=lambda kv: -kv[1]) if v > 0}
        return result


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(4 * MIB)
            if not b:
                return h.hexdigest()
            h.update(b)


class Swarm:
    """The long-running processes of one round; stops them all by PID."""

    def __init__(self, logdir):
        self.logdir = logdir
        self.procs = []
        self.logs = []

    def start(self, name, cmd, ready_text):
        out = open(os.path.join(self.logdir, name + ".log"), "wb")
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        out.close()
        self.procs.append(p)
        path = os.path.join(self.logdir, name + ".log")
        self.logs.append(path)
        deadline = time.monotonic() + READY_SECONDS
        while True:
            with open(path, "rb") as f:
                if ready_text in f.read():
                    return p
            if p.poll() is not None:
                raise RuntimeError("%s exited with %s before it was ready; see %s" % (name, p.returncode, path))
            if time.monotonic() > deadline:
                raise RuntimeError("%s not ready after %d s; see %s" % (name, READY_SECONDS, path))
            time.sleep(0.1)

    def wait_warmed_up(self):
        """Waits until every node that began its data-path warm-up has ended it (at most WARM_UP_SECONDS)."""
        deadline = time.monotonic() + WARM_UP_SECONDS
        for path in self.logs:
            while time.monotonic() < deadline:
                with open(path, "rb") as f:
                    log = f.read()
                if b"warming up" not in log or b"warmed up" in log or b"warm-up did not finish" in log:
                    break
                time.sleep(0.1)

    def pids(self):
        return [p.pid for p in self.procs]

    def named_pids(self):
        return [(os.path.basename(p.args[p.args.index("--data-dir") + 1]) if "--data-dir" in p.args else str(p.pid),
                 p.pid) for p in self.procs]

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for p in self.procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=STOP_SECONDS)
        self.procs = []


def timed(cmd, timeout, log_path):
    """Runs cmd; returns (wall seconds, CPU seconds of it and its children, exit code, stdout lines
    each with the seconds since the start at which it was read)."""
    lines = []
    with open(log_path, "wb") as err:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL)

        def read():
            for line in p.stdout:
                lines.append((time.monotonic() - t0, line.decode(errors="replace").strip()))

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        killer = threading.Timer(timeout, p.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        finally:
            killer.cancel()
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        reader.join(10)
    with open(log_path + ".out", "w") as out:
        out.writelines("%.3f %s\n" % line for line in lines)
    return wall, usage.ru_utime + usage.ru_stime, p.returncode, lines


def first_byte_seconds(lines):
    """When the first progress event with data arrived, in seconds from the command's start."""
    for at, line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("event") == "progress" and event.get("bytesDone", 0) > 0:
            return at
    return None


def run_checked(cmd, timeout):
    r = subprocess.run(cmd, capture_output=True, timeout=timeout, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s exited with %d: %s" % (" ".join(cmd), r.returncode, r.stderr[-2000:]))
    return r.stdout


THREADS = {}  # the last round's per-thread CPU with --threads


def profiler(agent, pid, options):
    """Loads async-profiler into a running JVM (again: it then takes the new options)."""
    # the quotes keep jcmd from reading the options' '=' as an argument name of its own
    r = subprocess.run(["jcmd", str(pid), "JVMTI.agent_load", agent, '"%s"' % options],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0 or "return code: 0" not in r.stdout:
        raise RuntimeError("async-profiler in %d (%s): %s %s" % (pid, options, r.stdout[-500:], r.stderr[-500:]))


def measure(swarm, cmd, timeout, log_path, threads=False, profile=None):
    pids = swarm.pids()
    profiled = [(name, pid) for name, pid in swarm.named_pids() if name in ("getter", "h0")] if profile else []
    for _, pid in profiled:
        profiler(profile, pid, "start,event=cpu,interval=1ms,threads")
    sampler = ThreadSampler(swarm.named_pids()) if threads else None
    before = [cpu_seconds(pid) for pid in pids]
    wall, cmd_cpu, rc, lines = timed(cmd, timeout, log_path)
    after = [cpu_seconds(pid) for pid in pids]
    if sampler:
        THREADS.clear()
        THREADS.update(sampler.stop())
    for name, pid in profiled:
        profiler(profile, pid, "stop,collapsed,file=%s" % os.path.join(os.path.dirname(log_path), name + ".collapsed"))
    if rc != 0:
        raise RuntimeError("%s exited with %d; see %s" % (" ".join(cmd), rc, log_path))
    return wall, [a - b for a, b in zip(after, before)], cmd_cpu, first_byte_seconds(lines)


def kadshare_round(args, src, size_mib, caps, rdir, node=NODE, settings=()):
    swarm = Swarm(rdir)
    try:
        first = "%s.1.1:%d" % (args.net, PORT)
        for i, cap in enumerate(caps):
            addr = "%s.1.%d" % (args.net, i + 1)
            cmd = [node, "--data-dir", os.path.join(rdir, "h%d" % i), "join", "--bind", addr, "--port", str(PORT),
                   "--upload-rate", "%dm" % cap if cap else "0"] + list(settings) + ([first] if i else [])
            swarm.start("h%d" % i, cmd, b"ready")
        cid = None
        for i in range(len(caps)):
            cid = run_checked([node, "--data-dir", os.path.join(rdir, "h%d" % i), "put", src], 300).strip()
        getter = os.path.join(rdir, "getter")
        swarm.start("getter", [node, "--data-dir", getter, "join", "--bind", "%s.1.100" % args.net,
                               "--port", str(PORT)] + list(settings) + [first], b"ready")
        deadline = time.monotonic() + 60
        while True:
            reply = json.loads(run_checked([node, "--data-dir", getter, "providers", cid, "--json"], 60))
            if len(reply.get("providers", [])) >= len(caps):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("the getter sees %s, not %d holders" % (reply, len(caps)))
            time.sleep(0.5)
        swarm.wait_warmed_up()
        out = os.path.join(rdir, "copy")
        wall, swarm_cpu, cmd_cpu, first = measure(
            swarm, [node, "--data-dir", getter, "get", cid, "-o", out, "--json", "--timeout", "10m"],
            900, os.path.join(rdir, "get.log"), args.threads, args.profile)
        ok = sha256(out) == args.src_sha[src]
        return wall, first, sum(swarm_cpu[:-1]), swarm_cpu[-1] + cmd_cpu, ok
    finally:
        swarm.stop()


def libtorrent_round(args, src, size_mib, caps, rdir):
    swarm = Swarm(rdir)
    try:
        torrent = args.torrents[src]
        seeders = []
        for i, cap in enumerate(caps):
            addr = "%s.2.%d" % (args.net, i + 1)
            swarm.start("s%d" % i, [args.lt_python, LT_PEER, "seed", torrent, os.path.dirname(src), addr,
                                    str(PORT), str(cap * MIB)], b"ready")
            seeders.append("%s:%d" % (addr, PORT))
        outdir = os.path.join(rdir, "out")
        os.makedirs(outdir)
        wall, swarm_cpu, cmd_cpu, first = measure(
            swarm, [args.lt_python, LT_PEER, "get", torrent, outdir, "%s.2.100" % args.net, str(PORT), "600"]
            + seeders, 900, os.path.join(rdir, "get.log"))
        ok = sha256(os.path.join(outdir, os.path.basename(src))) == args.src_sha[src]
        return wall, first, sum(swarm_cpu), cmd_cpu, ok
    finally:
        swarm.stop()


def source_file(args, size_mib):
    d = os.path.join(args.dir, "src%d" % size_mib)
    path = os.path.join(d, "random-%dmib.bin" % size_mib)
    if path not in args.src_sha:
        os.makedirs(d, exist_ok=True)
        with open(path, "wb") as f:
            for _ in range(size_mib):
                f.write(os.urandom(MIB))
        args.src_sha[path] = sha256(path)
        if "libtorrent" in args.systems:
            args.torrents[path] = os.path.join(args.dir, "random-%dmib.torrent" % size_mib)
            run_checked([args.lt_python, LT_PEER, "make", path, args.torrents[path]], 600)
    return path


def find_lt_python(explicit):
    for py in ([explicit] if explicit else [sys.executable, "/usr/bin/python3"]):
        if py and subprocess.run([py, "-c", "import libtorrent"], capture_output=True).returncode == 0:
            return py
    sys.exit("no Python with the libtorrent binding found (Debian: apt-get install python3-libtorrent); "
             "give one with --lt-python or leave libtorrent out with --systems kadshare")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workload", default="all", choices=["a", "b", "c", "all"])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--systems", default="kadshare,libtorrent")
    ap.add_argument("--dir", default=None, help="work directory (default: a new temporary one)")
    ap.add_argument("--net", default="127.77", help="first two octets of the loopback addresses to use")
    ap.add_argument("--lt-python", default=None)
    ap.add_argument("--baseline", default=None,
                    help="another kadshare checkout whose ./node runs as system kadshare-baseline in the same rounds")
    ap.add_argument("--keep-logs", action="store_true")
    ap.add_argument("--size-mib", type=int, default=None, help="override every workload's file size (smoke tests)")
    ap.add_argument("--threads", action="store_true", help="also CPU per thread of every process, in each JSON line")
    ap.add_argument("--profile", default=None, metavar="AGENT",
                    help="async-profiler's libasyncProfiler.so: sample the getter and holder h0 during each kadshare get")
    args = ap.parse_args()
    args.systems = [s for s in args.systems.split(",") if s]
    if args.profile:
        args.profile = os.path.abspath(args.profile)
    args.dir = tempfile.mkdtemp(prefix="kadshare-swarm-", dir=args.dir)
    args.src_sha, args.torrents = {}, {}
    if "libtorrent" in args.systems:
        args.lt_python = find_lt_python(args.lt_python)
    run_checked([NODE, "--help"], 1800)  # builds the jar first if needed, outside any timing
    runners = {"kadshare": kadshare_round, "libtorrent": libtorrent_round,
               "kadshare-clear": lambda *a: kadshare_round(*a, settings=("--encryption", "refuse"))}
    if args.baseline:
        baseline_node = os.path.join(os.path.abspath(args.baseline), "node")
        run_checked([baseline_node, "--help"], 1800)
        runners["kadshare-baseline"] = lambda *a: kadshare_round(*a, node=baseline_node)
        runners["kadshare-clear-baseline"] = lambda *a: kadshare_round(
            *a, node=baseline_node, settings=("--encryption", "refuse"))
        if not any(s.endswith("-baseline") for s in args.systems):
            args.systems.insert(0, "kadshare-baseline")
    results = {}
    try:
        for w in (["a", "b", "c"] if args.workload == "all" else [args.workload]):
            size_mib, caps = WORKLOADS[w]
            size_mib = args.size_mib or size_mib
            src = source_file(args, size_mib)
            for r in range(1, args.rounds + 1):
                # every other round runs the systems in the reverse order: the first system of a
                # round ran measurably slower on a loaded machine, whichever it was
                for system in (args.systems if r % 2 else list(reversed(args.systems))):
                    rdir = os.path.join(args.dir, "%s-%s-%d" % (system, w, r))
                    os.makedirs(rdir)
                    load_before = load()
                    wall, first, holders_cpu, getter_cpu, ok = runners[system](args, src, size_mib, caps, rdir)
                    row = {"workload": w, "round": r, "system": system, "seconds": wall,
                           "mib_s": size_mib / wall, "first_byte_s": first,
                           "mib_s_from_first_byte": size_mib / (wall - first) if first is not None else None, "holders_cpu": holders_cpu, "getter_cpu": getter_cpu,
                           "cpu_per_gib": (holders_cpu + getter_cpu) * 1024 / size_mib, "sha256_ok": ok,
                           "load": load_before}
                    if args.threads:
                        row["threads"] = dict(THREADS)
                        THREADS.clear()
                    results.setdefault((w, system), []).append(row)
                    print(json.dumps(row), flush=True)
                    if not ok:
                        sys.exit("the copy does not match the source; logs kept in " + rdir)
                    if not args.keep_logs:
                        shutil.rmtree(rdir)
        print_table(results, args.size_mib)
    finally:
        if not args.keep_logs:
            shutil.rmtree(args.dir, ignore_errors=True)


def print_table(results, size_override):
    print("\n| workload | system | MiB/s (rounds) | median MiB/s | first byte after (median) "
          "| MiB/s from first byte (median) | CPU s holders + getter (median) | CPU s per GiB | load at start |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (w, system), rows in results.items():
        size_mib, caps = WORKLOADS[w]
        size_mib = size_override or size_mib
        name = "%d MiB, %s" % (size_mib, " + ".join(("%d" % c if c else "unlimited") for c in caps))
        med = statistics.median
        firsts = [r["first_byte_s"] for r in rows if r["first_byte_s"] is not None]
        rates = [r["mib_s_from_first_byte"] for r in rows if r["mib_s_from_first_byte"] is not None]
        print("| %s | %s | %s | **%.1f** | %s | %s | %.1f + %.1f | %.1f | %s |" % (
            name, system, " / ".join("%.1f" % r["mib_s"] for r in rows), med(r["mib_s"] for r in rows),
            "%.2f s" % med(firsts) if firsts else "-", "%.1f" % med(rates) if rates else "-",
            med(r["holders_cpu"] for r in rows), med(r["getter_cpu"] for r in rows),
            med(r["cpu_per_gib"] for r in rows), ", ".join(r["load"].split()[0] for r in rows)))


if __name__ == "__main__":
    main()
