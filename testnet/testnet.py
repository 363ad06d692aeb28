#!/usr/bin/env python3
"""A multi-host test network on one Linux machine: network namespaces as hosts, a userspace
switch for delay, jitter and loss, `tc tbf` rate caps, and home subnets behind NAT routers.

    testnet.py up CONFIG         build the network described by CONFIG, then return
    testnet.py down              take it down (the switch, every process in its namespaces, the
                                 namespaces); safe to repeat, and after a half-built `up`
    testnet.py exec HOST CMD...  run CMD on HOST (inside its namespace)
    testnet.py addr HOST         print HOST's address (a home host: its address inside the home)
    testnet.py public HOST       print the address the public network sees HOST as (its router's)
    testnet.py hosts             print the host names, one a line
    testnet.py cap HOST RATE     cap HOST's upload at RATE (e.g. 80mbit) with tbf, from now on
    testnet.py run CONFIG -- CMD...
                                 up, run CMD in the root namespace, down (even when CMD fails or
                                 is interrupted); exits with CMD's status

Needs root, iproute2, python3, /dev/net/tun; `nat` lines need iptables, `upnp` needs miniupnpd.
Environment: TESTNET_PREFIX (namespace and device prefix, default "tn-"), TESTNET_DIR (state
and logs, default $TMPDIR/kadshare-testnet), TESTNET_MAX_SECONDS (the switch stops itself after this long,
default 3600), TESTNET_SEED (the switch's loss and jitter draws, default 1),
TESTNET_PROBE_PORT (the switch reads the block protocol on this TCP port: span sizes and
pipeline depth per connection, in switch-stats.json once the network is down; default off).

CONFIG, one statement a line, `#` starts a comment:
    host NAME SITE ADDRESS [rate=10mbit]        a public host at SITE; rate caps its upload
    nat ROUTER SITE ADDRESS SUBNET [upnp|upnp-only|upnp-refuse]
                                                a NAT router at SITE: ADDRESS outside, the first
                                                address of SUBNET inside, MASQUERADE between;
                                                `upnp` starts miniupnpd on it (UPnP-IGD, NAT-PMP, PCP),
                                                `upnp-only` miniupnpd with NAT-PMP (and PCP) off,
                                                `upnp-refuse` a NAT-PMP service that refuses
                                                every mapping (a small responder of testnet's own)
    home NAME ROUTER ADDRESS [rate=...]         a host inside ROUTER's SUBNET
    link SITE1 SITE2 DELAY_MS [JITTER_MS [LOSS_PCT]]
                                                one-way delay between two sites (both ways)
    default DELAY_MS [JITTER_MS [LOSS_PCT]]     any pair of sites without a `link` line
    mtu BYTES                                   MTU of the switch's devices (default 1500)
Hosts at the same site reach each other through the switch too (a `link A A ...` line gives
that path a delay). Addresses of public hosts and routers may be in any public range: every
namespace routes them all through the switch. Give each site a /16 of its own, as on the Internet
(the DHT trusts at most two nodes of one /16 together).
"""
import ipaddress
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PREFIX = os.environ.get("TESTNET_PREFIX", "tn-")
STATE_DIR = os.environ.get("TESTNET_DIR", os.path.join(os.environ.get("TMPDIR", "/tmp"), "kadshare-testnet"))
STATE = os.path.join(STATE_DIR, "network.json")
IFNAMSIZ = 15


class ConfigError(Exception):
    pass


def parse(path):
    net = {"hosts": {}, "routers": {}, "links": {}, "default": [0, 0, 0], "mtu": 1500}
    order = []
    with open(path) as f:
        for no, raw in enumerate(f, 1):
            words = raw.split("#", 1)[0].split()
            if not words:
                continue
            where = "%s:%d: " % (path, no)
            try:
                parse_line(net, order, words)
            except (ValueError, IndexError, KeyError) as e:
                raise ConfigError(where + "cannot read %r (%s)" % (raw.strip(), e))
            except ConfigError as e:
                raise ConfigError(where + str(e))
    net["order"] = order
    for name in order:
        dev = PREFIX + name
        if len(dev) > IFNAMSIZ:
            raise ConfigError("name %r is too long: %r must be at most %d characters" % (name, dev, IFNAMSIZ))
    return net


def options(words):
    return dict(w.split("=", 1) for w in words if "=" in w), [w for w in words if "=" not in w]


def parse_line(net, order, words):
    kind = words[0]
    for w in words:
        if w.startswith("rate="):
            parse_rate(w[5:])

    def new_name(n):
        if n in net["hosts"] or n in net["routers"]:
            raise ConfigError("name %r is used twice" % n)
        if not n.replace("-", "").isalnum():
            raise ConfigError("name %r: letters, digits and '-' only" % n)
        order.append(n)
        return n

    if kind == "host":
        opts, flags = options(words[4:])
        name = new_name(words[1])
        ipaddress.IPv4Address(words[3])
        net["hosts"][name] = {"site": words[2], "addr": words[3], "rate": opts.get("rate"), "router": None}
    elif kind == "nat":
        opts, flags = options(words[5:])
        name = new_name(words[1])
        ipaddress.IPv4Address(words[3])
        subnet = ipaddress.IPv4Network(words[4])
        net["routers"][name] = {"site": words[2], "addr": words[3], "subnet": str(subnet),
                                "inside": str(next(subnet.hosts())),
                                "upnp": bool({"upnp", "upnp-only", "upnp-refuse"} & set(flags)),
                                "natpmp": "upnp-only" not in flags, "refuse": "upnp-refuse" in flags, "members": []}
    elif kind == "home":
        opts, _ = options(words[4:])
        router = net["routers"].get(words[2])
        if router is None:
            raise ConfigError("home %s: no nat line names router %r before it" % (words[1], words[2]))
        addr = ipaddress.IPv4Address(words[3])
        if addr not in ipaddress.IPv4Network(router["subnet"]):
            raise ConfigError("home %s: %s is not in %s" % (words[1], addr, router["subnet"]))
        name = new_name(words[1])
        net["hosts"][name] = {"site": router["site"], "addr": str(addr), "rate": opts.get("rate"),
                              "router": words[2]}
        router["members"].append(name)
    elif kind == "link":
        vals = [float(v) for v in words[3:6]]
        net["links"][words[1] + "|" + words[2]] = (vals + [0, 0])[:3]
    elif kind == "default":
        net["default"] = ([float(v) for v in words[1:4]] + [0, 0])[:3]
    elif kind == "mtu":
        net["mtu"] = int(words[1])
    else:
        raise ConfigError("unknown statement %r" % kind)


def sh(*args, check=True, ns=None, quiet=False):
    cmd = (["ip", "netns", "exec", PREFIX + ns] if ns else []) + [str(a) for a in args]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
    return r


def log(msg):
    print("testnet: " + msg, file=sys.stderr, flush=True)


def up(config_path):
    """Builds the network; on any failure takes down what it built (never a network already up)."""
    net = parse(config_path)
    if os.path.exists(STATE):
        raise ConfigError("a test network is already up (%s); run `down` first" % STATE)
    try:
        build(net)
    except BaseException:
        down()
        raise


def build(net):
    os.makedirs(STATE_DIR, exist_ok=True)
    net["prefix"] = PREFIX
    with open(STATE, "w") as f:
        json.dump(net, f, indent=1)  # first, so that `down` can undo a half-built network
    for name in net["order"]:
        sh("ip", "netns", "add", PREFIX + name)
        sh("ip", "link", "set", "lo", "up", ns=name)
    ports = []
    public = [(n, h) for n, h in net["hosts"].items() if h["router"] is None] + list(net["routers"].items())
    for name, node in sorted(public):
        ports.append({"name": PREFIX + name, "site": node["site"], "nets": [node["addr"] + "/32"]})
    switch_cfg = {"ports": ports, "delays": net["links"], "default_link": net["default"],
                  "seed": int(os.environ.get("TESTNET_SEED", "1")),
                  "max_seconds": int(os.environ.get("TESTNET_MAX_SECONDS", "3600")),
                  "probe_port": int(os.environ.get("TESTNET_PROBE_PORT", "0")),
                  "stats_file": os.path.join(STATE_DIR, "switch-stats.json")}
    cfg_file = os.path.join(STATE_DIR, "switch.json")
    with open(cfg_file, "w") as f:
        json.dump(switch_cfg, f)
    out = open(os.path.join(STATE_DIR, "switch.log"), "w")
    sw = subprocess.Popen([sys.executable, os.path.join(HERE, "switch.py"), cfg_file], stdout=subprocess.PIPE,
                          stderr=out, start_new_session=True, text=True)
    with open(os.path.join(STATE_DIR, "switch.pid"), "w") as f:
        f.write(str(sw.pid))
    if sw.stdout.readline().strip() != "ready":
        raise RuntimeError("the switch did not start: see %s" % out.name)
    sw.stdout.close()
    for name, node in sorted(public):
        dev = PREFIX + name
        sh("ip", "link", "set", dev, "netns", dev)
        sh("ip", "link", "set", dev, "mtu", net["mtu"], "up", ns=name)
        sh("ip", "addr", "add", node["addr"] + "/16", "dev", dev, ns=name)
        # Every other public address, in this /16 or not, is reached through the switch.
        sh("ip", "route", "add", "default", "dev", dev, ns=name)
        if node.get("rate"):
            cap(name, dev, node["rate"], net["mtu"])
    for rname, router in sorted(net["routers"].items()):
        build_home(net, rname, router)
    log("up: %d hosts, %d NAT routers; state in %s" % (len(net["hosts"]), len(net["routers"]), STATE_DIR))


def cap(ns, dev, rate, mtu):
    # Burst: at least one MTU and 10 ms of the rate; queue: up to 100 ms of the rate.
    bps = parse_rate(rate)
    burst = max(mtu * 2, bps // 8 // 100)
    limit = max(mtu * 4, bps // 8 // 10)
    sh("tc", "qdisc", "replace", "dev", dev, "root", "tbf", "rate", rate, "burst", burst, "limit", limit, ns=ns)


def parse_rate(rate):
    units = {"kbit": 1e3, "mbit": 1e6, "gbit": 1e9, "bit": 1}
    for u, m in units.items():
        if rate.endswith(u):
            return int(float(rate[: -len(u)]) * m)
    raise ConfigError("rate %r: write it as e.g. 80mbit" % rate)


def build_home(net, rname, router):
    dev = PREFIX + rname
    subnet = ipaddress.IPv4Network(router["subnet"])
    sh("ip", "link", "add", "home", "type", "bridge", ns=rname)
    sh("ip", "addr", "add", "%s/%d" % (router["inside"], subnet.prefixlen), "dev", "home", ns=rname)
    sh("ip", "link", "set", "home", "up", ns=rname)
    sh("sysctl", "-q", "-w", "net.ipv4.ip_forward=1", ns=rname)
    sh("iptables", "-t", "nat", "-A", "POSTROUTING", "-s", str(subnet), "-o", dev, "-j", "MASQUERADE", ns=rname)
    # A home router lets answers in and nothing else (what miniupnpd maps is added by it).
    sh("iptables", "-A", "FORWARD", "-i", dev, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED",
       "-j", "ACCEPT", ns=rname)
    sh("iptables", "-A", "FORWARD", "-i", "home", "-j", "ACCEPT", ns=rname)
    # ...and what a port mapping of miniupnpd translated (its DNAT rules are in its own table).
    sh("iptables", "-A", "FORWARD", "-i", dev, "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT", ns=rname)
    for i, hname in enumerate(router["members"]):
        host = net["hosts"][hname]
        outside, inside = "h%d" % i, "eth0"
        sh("ip", "link", "add", outside, "type", "veth", "peer", "name", inside, "netns", PREFIX + hname, ns=rname)
        sh("ip", "link", "set", outside, "master", "home", "up", ns=rname)
        sh("ip", "addr", "add", "%s/%d" % (host["addr"], subnet.prefixlen), "dev", inside, ns=hname)
        sh("ip", "link", "set", inside, "mtu", net["mtu"], "up", ns=hname)
        sh("ip", "route", "add", "default", "via", router["inside"], ns=hname)
        if host.get("rate"):
            cap(hname, inside, host["rate"], net["mtu"])
    # Packets the router forwards after its FORWARD rules: everything else is dropped.
    sh("iptables", "-P", "FORWARD", "DROP", ns=rname)
    if router.get("refuse"):
        start_refusing_natpmp(rname, router)
    elif router["upnp"]:
        start_miniupnpd(rname, router, dev)


# The chains miniupnpd's nftables backend adds its rules to (Debian's nft_init.sh makes the same
# ones, but with a forward policy of drop: here the iptables FORWARD chain is the router's policy).
MINIUPNPD_NFT = """table inet miniupnpd {
    chain forward { type filter hook forward priority 0; policy accept; jump miniupnpd; }
    chain miniupnpd { }
    chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }
    chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; }
    chain prerouting_miniupnpd { }
    chain postrouting_miniupnpd { }
}
"""


# A router whose NAT-PMP service answers but refuses every mapping (result 2, "not authorized"),
# and answers a PCP request with NAT-PMP's "unsupported version", as a NAT-PMP-only router does.
# miniupnpd cannot be set up so: with no permission for a request it tries every other external
# port in turn, answering nothing for minutes.
REFUSING_NATPMP = """
import socket, struct, sys, time
inside, external = sys.argv[1], socket.inet_aton(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((inside, 5351))
start = time.monotonic()
while True:
    data, peer = s.recvfrom(64)
    epoch = int(time.monotonic() - start)
    if len(data) >= 2 and data[0] == 0 and data[1] == 0:
        s.sendto(struct.pack(">BBHI", 0, 128, 0, epoch) + external, peer)
    elif len(data) >= 12 and data[0] == 0 and data[1] in (1, 2):
        s.sendto(struct.pack(">BBHIHHI", 0, 128 + data[1], 2, epoch, struct.unpack(">H", data[4:6])[0], 0, 0), peer)
    elif len(data) >= 2 and data[0] != 0 and data[1] < 128:
        # Another version (PCP's 2): "unsupported version", as RFC 6886 section 3.5 says.
        s.sendto(struct.pack(">BBHI", 0, 128 + data[1], 1, epoch), peer)
"""


def start_refusing_natpmp(rname, router):
    logf = open(os.path.join(STATE_DIR, rname + "-natpmp.log"), "w")
    subprocess.Popen(["ip", "netns", "exec", PREFIX + rname, sys.executable, "-c", REFUSING_NATPMP,
                      router["inside"], router["addr"]], stdout=logf, stderr=logf, start_new_session=True)
    for _ in range(50):
        if natpmp_external_address(rname, router["inside"]):
            log("NAT-PMP on %s answers and refuses every mapping" % rname)
            return
        time.sleep(0.1)
    raise RuntimeError("the refusing NAT-PMP service on %s does not answer; see %s" % (rname, logf.name))


def start_miniupnpd(rname, router, dev):
    if shutil.which("nft") is None:
        raise RuntimeError("a router with upnp needs nft for miniupnpd's nftables chains (Debian: nftables)")
    rules = os.path.join(STATE_DIR, rname + "-miniupnpd.nft")
    with open(rules, "w") as f:
        f.write(MINIUPNPD_NFT)
    sh("nft", "-f", rules, ns=rname)
    conf = os.path.join(STATE_DIR, rname + "-miniupnpd.conf")
    with open(conf, "w") as f:
        f.write("ext_ifname=%s\nlistening_ip=home\nhttp_port=5000\nenable_natpmp=%s\nenable_upnp=yes\nmin_lifetime=10\n"
                "secure_mode=yes\nsystem_uptime=yes\nuuid=3d3cec3a-8cf0-11e0-98ee-%012x\n"
                "upnp_table_name=miniupnpd\nupnp_nat_table_name=miniupnpd\n"
                "allow 1024-65535 %s 1024-65535\ndeny 0-65535 0.0.0.0/0 0-65535\n"
                % (dev, "yes" if router["natpmp"] else "no", int(ipaddress.IPv4Address(router["addr"])),
                   router["subnet"]))
    logf = open(os.path.join(STATE_DIR, rname + "-miniupnpd.log"), "w")
    subprocess.Popen(["ip", "netns", "exec", dev, "miniupnpd", "-d", "-f", conf, "-P",
                      os.path.join(STATE_DIR, rname + "-miniupnpd.pid")], stdout=logf, stderr=logf,
                     start_new_session=True)
    # It answers a NAT-PMP "external address" request (or, NAT-PMP off, serves its UPnP device
    # description) on the inside address within a few seconds.
    what = "NAT-PMP" if router["natpmp"] else "UPnP-IGD (NAT-PMP off)"
    for _ in range(50):
        if natpmp_external_address(rname, router["inside"]) if router["natpmp"] else \
                upnp_description(rname, router["inside"]):
            log("miniupnpd on %s answers %s: external address %s" % (rname, what, router["addr"]))
            return
        time.sleep(0.1)
    raise RuntimeError("miniupnpd on %s does not answer %s; see %s" % (rname, what, logf.name))


def upnp_description(rname, inside):
    """Whether the router, from its own namespace, serves its UPnP device description on port 5000."""
    probe = ("import sys,urllib.request\n"
             "try:\n d=urllib.request.urlopen('http://%s:5000/rootDesc.xml' % sys.argv[1], timeout=0.3).read()\n"
             "except OSError:\n sys.exit(1)\n"
             "sys.exit(0 if b'InternetGatewayDevice' in d else 1)\n")
    return sh(sys.executable, "-c", probe, inside, ns=rname, check=False).returncode == 0


def natpmp_external_address(rname, inside):
    """Asks the router, from its own namespace, for its external address (RFC 6886 opcode 0)."""
    probe = ("import socket,sys\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.settimeout(0.3)\n"
             "s.sendto(bytes([0,0]),(sys.argv[1],5351))\n"
             "try:\n d=s.recv(64)\nexcept OSError:\n sys.exit(1)\n"
             "print('.'.join(map(str,d[8:12])) if len(d)>=12 and d[1]==128 and d[3]==0 else '')\n")
    r = sh(sys.executable, "-c", probe, inside, ns=rname, check=False)
    return r.returncode == 0 and r.stdout.strip() != ""


def load_state():
    if not os.path.exists(STATE):
        raise ConfigError("no test network is up (no %s)" % STATE)
    with open(STATE) as f:
        return json.load(f)


def down():
    net = None
    if os.path.exists(STATE):
        with open(STATE) as f:
            net = json.load(f)
    prefix = net["prefix"] if net else PREFIX
    names = [prefix + n for n in net["order"]] if net else []
    # Namespaces of ours that a crashed `up` may have left without a state file.
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout.split("\n")
    names += [l.split()[0] for l in listed if l.startswith(prefix) and l.split()[0] not in names]
    for ns in names:
        pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout.split()
        for pid in pids:
            kill(int(pid), signal.SIGTERM)
    deadline = time.monotonic() + 5
    for ns in names:
        while time.monotonic() < deadline:
            pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout.split()
            if not pids:
                break
            time.sleep(0.1)
        for pid in subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout.split():
            kill(int(pid), signal.SIGKILL)
    pid_file = os.path.join(STATE_DIR, "switch.pid")
    if os.path.exists(pid_file):
        with open(pid_file) as f:
            pid = int(f.read().strip() or 0)
        if pid and kill(pid, signal.SIGTERM):
            for _ in range(50):
                if not alive(pid):
                    break
                time.sleep(0.1)
            kill(pid, signal.SIGKILL)
        os.remove(pid_file)
    for ns in names:
        subprocess.run(["ip", "netns", "delete", ns], capture_output=True)
    if os.path.exists(STATE):
        os.remove(STATE)
    log("down")


def kill(pid, sig):
    try:
        os.kill(pid, sig)
        return True
    except ProcessLookupError:
        return False


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie child of ours counts as gone.
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def host_of(net, name):
    host = net["hosts"].get(name) or net["routers"].get(name)
    if host is None:
        raise ConfigError("no host %r (hosts: %s)" % (name, " ".join(net["order"])))
    return host


def main(argv):
    if len(argv) < 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 64
    cmd = argv[1]
    try:
        if cmd == "up" and len(argv) == 3:
            up(argv[2])
        elif cmd == "down":
            down()
        elif cmd == "exec" and len(argv) >= 4:
            net = load_state()
            host_of(net, argv[2])
            os.execvp("ip", ["ip", "netns", "exec", net["prefix"] + argv[2]] + argv[3:])
        elif cmd == "addr" and len(argv) == 3:
            print(host_of(load_state(), argv[2])["addr"])
        elif cmd == "public" and len(argv) == 3:
            net = load_state()
            host = host_of(net, argv[2])
            print(net["routers"][host["router"]]["addr"] if host.get("router") else host["addr"])
        elif cmd == "cap" and len(argv) == 4:
            net = load_state()
            host = host_of(net, argv[2])
            dev = "eth0" if host.get("router") else net["prefix"] + argv[2]
            cap(argv[2], dev, argv[3], net["mtu"])
        elif cmd == "hosts":
            print("\n".join(n for n in load_state()["order"]))
        elif cmd == "run" and len(argv) >= 5 and argv[3] == "--":
            return run(argv[2], argv[4:])
        else:
            print("usage: " + " | ".join(l.strip().split("  ")[0] for l in __doc__.split("\n\n")[1].splitlines()
                                         if l.strip().startswith("testnet.py")), file=sys.stderr)
            return 64
    except ConfigError as e:
        print("testnet: " + str(e), file=sys.stderr)
        return 65
    except RuntimeError as e:
        print("testnet: " + str(e), file=sys.stderr)
        return 70
    return 0


def run(config, cmd):
    up(config)
    child = None
    try:
        child = subprocess.Popen(cmd)
        return child.wait()
    except KeyboardInterrupt:
        if child:
            child.terminate()
            child.wait()
        return 130
    finally:
        down()


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    sys.exit(main(sys.argv))
