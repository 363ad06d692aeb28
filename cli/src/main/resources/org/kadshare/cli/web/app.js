"use strict";
// The kadshare dashboard: plain JavaScript over the node's control API (docs/API.md), signed in
// by the session cookie; every request carries the dashboard header the node asks of cookie callers.

const POLL_MILLIS = 1000;
const GRAPH_POINTS = 90;
const $ = (id) => document.getElementById(id);
const state = { stopped: false, status: null, traffic: [], lastCounters: null, dataDir: null };

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : "the node answered HTTP " + status);
    this.status = status;
    this.code = body && body.error;
  }
}

async function api(method, path, body) {
  const init = { method: method, credentials: "same-origin", headers: { "X-Kadshare-Dashboard": "1" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let r;
  try {
    r = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { message: "the node does not answer (is it still running?)" });
  }
  return reply(r);
}

async function reply(r) {
  let parsed = null;
  try { parsed = await r.json(); } catch (e) { parsed = null; }
  if (r.status === 401) {
    signedOut();
  }
  if (!r.ok) {
    throw new ApiError(r.status, parsed);
  }
  return parsed;
}

function signedOut() {
  state.stopped = true;
  notice("Your session with this node has ended (the node may have restarted). Run `node web` for a new address.", true);
  $("connection").textContent = "signed out";
}

function notice(text, error) {
  const n = $("notice");
  n.textContent = text;
  n.className = error ? "notice error" : "notice";
  n.hidden = !text;
}

function fail(where, e) {
  notice(where + ": " + e.message, true);
}

function bytes(n) {
  if (n === null || n === undefined || isNaN(n)) return "-";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v.toFixed(0) : v.toFixed(1)) + " " + units[i];
}

function cell(tr, text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  tr.appendChild(td);
  return td;
}

function button(td, label, action, cls) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  if (cls) b.className = cls;
  b.addEventListener("click", action);
  td.appendChild(b);
  return b;
}

/** "1 file", "2 files". */
function count(n, one, many) {
  return n + " " + (n === 1 ? one : many);
}

function short(hex) {
  return hex ? hex.slice(0, 12) + "\u2026" : "-";
}

// ---- screens ----

function show() {
  const screen = (location.hash || "#home").slice(1);
  for (const id of ["home", "shares", "downloads", "search", "browse"]) {
    $(id).hidden = id !== screen;
    $("nav-" + id).classList.toggle("active", id === screen);
  }
  refresh();
}

async function refresh() {
  if (state.stopped) return;
  try {
    await refreshStatus();
    if (!$("home").hidden) await Promise.all([refreshPeers(), refreshTraffic()]);
    if (!$("shares").hidden) await refreshShares();
    if (!$("downloads").hidden) await refreshTransfers();
    $("connection").textContent = "live";
  } catch (e) {
    if (!state.stopped) {
      $("connection").textContent = "not answering";
      if (e.status !== 401) fail("update", e);
    }
  }
}

async function refreshStatus() {
  const s = await api("GET", "/v1/status");
  state.status = s;
  if (!state.dataDir) {
    state.dataDir = s.dataDir;
    if (!$("get-dir").value) $("get-dir").value = s.dataDir + "/downloads";
  }
  const dl = $("status");
  dl.textContent = "";
  const facts = [["Node ID", s.nodeId], ["DHT address", s.dhtAddress], ["Transfer address", s.transferAddress],
    ["Contacts", s.liveContacts + " live of " + s.routingContacts], ["Files shared", s.filesShared],
    ["Transfers in progress", s.transfersInProgress], ["Uploaded", bytes(s.uploadedBytes)],
    ["Records held for the DHT", s.holderRecords + " holders, " + s.manifestRecords + " manifests"],
    ["Data directory", s.dataDir], ["Process", s.pid]];
  for (const [k, v] of facts) {
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    dd.textContent = v;
    dd.dataset.fact = k;
    dl.append(dt, dd);
  }
}

async function refreshPeers() {
  const p = await api("GET", "/v1/peers");
  const body = $("peers").tBodies[0];
  body.textContent = "";
  for (const peer of p.peers) {
    const tr = document.createElement("tr");
    cell(tr, short(peer.id), "mono").title = peer.id;
    cell(tr, peer.address, "mono");
    cell(tr, peer.live ? "live" : "questionable");
    cell(tr, peer.rttMillis >= 0 ? peer.rttMillis + " ms" : "no answer yet", "rtt");
    body.appendChild(tr);
  }
  $("peer-count").textContent = "(" + p.peers.length + ")";
}

function metric(text, name) {
  const m = text.match(new RegExp("^" + name + " ([0-9.eE+-]+)$", "m"));
  return m ? Number(m[1]) : 0;
}

async function refreshTraffic() {
  const r = await fetch("/metrics", { credentials: "same-origin" });
  if (!r.ok) return;
  const text = await r.text();
  const now = performance.now();
  const up = metric(text, "kadshare_upload_bytes_total");
  const down = metric(text, "kadshare_download_bytes_total") + metric(text, "kadshare_download_in_progress_bytes");
  const last = state.lastCounters;
  state.lastCounters = { at: now, up: up, down: down };
  if (!last) return;
  const seconds = Math.max(0.001, (now - last.at) / 1000);
  const point = { up: Math.max(0, (up - last.up) / seconds), down: Math.max(0, (down - last.down) / seconds) };
  state.traffic.push(point);
  if (state.traffic.length > GRAPH_POINTS) state.traffic.shift();
  $("traffic-now").textContent = "now: " + bytes(point.up) + "/s up, " + bytes(point.down) + "/s down";
  drawTraffic();
}

function drawTraffic() {
  const c = $("traffic");
  const g = c.getContext("2d");
  g.clearRect(0, 0, c.width, c.height);
  const peak = Math.max(1024, ...state.traffic.map((p) => Math.max(p.up, p.down)));
  g.fillStyle = "#777";
  g.font = "11px sans-serif";
  g.fillText(bytes(peak) + "/s", 4, 12);
  for (const [key, color] of [["down", "#2a7ab0"], ["up", "#d0701a"]]) {
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    state.traffic.forEach((p, i) => {
      const x = (i / (GRAPH_POINTS - 1)) * c.width;
      const y = c.height - 2 - (p[key] / peak) * (c.height - 18);
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
  }
}

// ---- shares ----

const holdersSeen = new Map();

const shareRows = new Map();

async function refreshShares() {
  const ls = await api("GET", "/v1/ls");
  const seen = new Set();
  for (const f of ls.files) {
    seen.add(f.id);
    let row = shareRows.get(f.id);
    if (!row) {
      const tr = document.createElement("tr");
      tr.dataset.id = f.id;
      row = { tr: tr, name: cell(tr, ""), id: cell(tr, short(f.id), "mono id"), size: cell(tr, ""), kept: cell(tr, ""),
        uploaded: cell(tr, ""), holders: cell(tr, "-"), actions: cell(tr, "") };
      row.id.title = f.id;
      const holders = row.holders;
      button(row.actions, "Find holders", () => findHolders(f.id, holders));
      button(row.actions, "Copy ID", () => navigator.clipboard && navigator.clipboard.writeText(f.id));
      button(row.actions, "Stop sharing", () => unshare(f.id), "danger");
      shareRows.set(f.id, row);
      $("shared").tBodies[0].appendChild(tr);
    }
    row.name.textContent = (f.name || "(no name)") + (f.stale ? " (changed on disk: not served)" : "");
    row.size.textContent = bytes(f.lengthBytes);
    row.kept.textContent = f.mode === "copy" ? "copy in store" : "by reference";
    row.uploaded.textContent = f.uploadedBytes === undefined ? "-" : bytes(f.uploadedBytes);
    if (!holdersSeen.has(f.id) && f.holdersSeen !== null && f.holdersSeen !== undefined) {
      row.holders.textContent = f.holdersSeen + " (its download)";
    }
  }
  for (const [id, row] of shareRows) {
    if (!seen.has(id)) {
      row.tr.remove();
      shareRows.delete(id);
    }
  }
  $("share-count").textContent = "(" + ls.files.length + ")";
}

async function findHolders(id, td) {
  td.textContent = "looking\u2026";
  try {
    const p = await api("GET", "/v1/providers?id=" + id);
    const text = p.providers.length + (p.providers.length ? ": " + p.providers.join(", ") : "");
    holdersSeen.set(id, text);
    td.textContent = text;
  } catch (e) {
    td.textContent = "-";
    fail("holders", e);
  }
}

async function unshare(id) {
  try {
    await api("POST", "/v1/rm", { id: id });
    await refreshShares();
  } catch (e) {
    fail("stop sharing", e);
  }
}

async function putByPath(ev) {
  ev.preventDefault();
  try {
    const f = await api("POST", "/v1/put", { path: $("put-path").value.trim(), copy: $("put-copy").checked });
    notice("Shared " + (f.name || f.id) + " as " + f.id, false);
    $("put-path").value = "";
    await refreshShares();
  } catch (e) {
    fail("share", e);
  }
}

function upload(ev) {
  ev.preventDefault();
  const file = $("upload-file").files[0];
  if (!file) return;
  const bar = $("upload-progress");
  bar.hidden = false;
  bar.value = 0;
  $("upload-button").disabled = true;
  const xhr = new XMLHttpRequest();
  xhr.open("POST", "/v1/upload?name=" + encodeURIComponent(file.name));
  xhr.setRequestHeader("X-Kadshare-Dashboard", "1");
  xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = e.loaded / e.total; };
  xhr.onload = () => {
    $("upload-button").disabled = false;
    bar.hidden = true;
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
    if (xhr.status === 200) {
      notice("Uploaded and shared " + body.name + " as " + body.id, false);
      $("upload-file").value = "";
      refreshShares();
    } else {
      if (xhr.status === 401) signedOut();
      fail("upload", new ApiError(xhr.status, body));
    }
  };
  xhr.onerror = () => {
    $("upload-button").disabled = false;
    bar.hidden = true;
    fail("upload", new ApiError(0, { message: "the node closed the connection before answering" }));
  };
  xhr.send(file);
}

// ---- downloads ----
// Downloads are the node's transfers (GET /v1/transfers): started detached, so they go on when
// this page is closed, and every tab sees and commands the same ones.

/** Starts a detached download of `id` into the Downloads screen's folder; the transfer it started. */
async function download(id) {
  const dir = $("get-dir").value.trim() || (state.dataDir ? state.dataDir + "/downloads" : "");
  return api("POST", "/v1/transfers", { id: id, out: dir, inside: true });
}

async function startDownload(ev) {
  ev.preventDefault();
  try {
    const t = await download($("get-id").value.trim().toLowerCase());
    notice("Started download " + t.transfer + " of " + short(t.id), false);
    $("get-id").value = "";
    await refreshTransfers();
  } catch (e) {
    fail("get", e);
  }
}

async function command(name, transfer) {
  try {
    await api("POST", "/v1/transfers/" + name, { transfer: transfer });
  } catch (e) {
    fail(name + " " + transfer, e);
  }
  await refreshTransfers();
}

async function refreshTransfers() {
  const list = await api("GET", "/v1/transfers");
  renderTransfers(list.transfers);
}

// Rows are updated in place, not rebuilt at every refresh, so a button stays put under the pointer.
const transferRows = new Map();

function transferRow(t) {
  let row = transferRows.get(t.transfer);
  if (row) return row;
  const tr = document.createElement("tr");
  tr.dataset.transfer = t.transfer;
  tr.dataset.id = t.id;
  const name = cell(tr, t.transfer + " ", "mono");
  const id = document.createElement("span");
  id.textContent = (t.direction === "upload" ? "\u2191 " : "\u2193 ") + short(t.id);
  id.title = t.id;
  name.appendChild(id);
  row = { tr: tr, state: cell(tr, "", "state"), progress: cell(tr, ""), rate: cell(tr, ""),
    peers: cell(tr, "", "peers"), eta: cell(tr, ""), actions: cell(tr, ""), actionsFor: null,
    bar: document.createElement("progress"), percent: document.createElement("span") };
  row.bar.max = 100;
  row.percent.className = "percent";
  row.progress.append(row.bar, " ", row.percent);
  transferRows.set(t.transfer, row);
  $("transfers").tBodies[0].appendChild(tr);
  return row;
}

function stateText(t) {
  if (t.direction === "upload") return "uploading";
  if (t.state === "running") return (t.phase || "running").toLowerCase().replace("_", " ");
  if (t.state === "done") return "done: " + t.destination;
  if (t.state === "cancelled") return t.message || "cancelled";
  if (t.state === "failed") return "failed" + (t.message ? ": " + t.message : "");
  return t.state;
}

function renderTransfers(transfers) {
  const seen = new Set();
  for (const t of transfers) {
    seen.add(t.transfer);
    const row = transferRow(t);
    row.tr.dataset.state = t.state;
    row.state.textContent = stateText(t);
    const known = t.totalBytes >= 0;
    const pct = known && t.totalBytes > 0 ? Math.floor((100 * t.bytesDone) / t.totalBytes) : (known ? 100 : 0);
    row.bar.value = pct;
    row.percent.textContent = known ? pct + "% (" + bytes(t.bytesDone) + " of " + bytes(t.totalBytes) + ")"
      : bytes(t.bytesDone) + " (length not known yet)";
    const running = t.state === "running";
    row.rate.textContent = running ? bytes(t.bytesPerSecond) + "/s" : "-";
    row.eta.textContent = running && t.etaMillis >= 0 ? Math.ceil(t.etaMillis / 1000) + " s" : "-";
    row.peers.textContent = "";
    for (const p of t.peers || []) {
      const line = document.createElement("div");
      line.className = "peer";
      line.textContent = p.address + ": " + bytes(p.bytes) + " (" + p.state + ")";
      row.peers.appendChild(line);
    }
    const actionsFor = t.direction + ":" + t.state;
    if (row.actionsFor !== actionsFor) {
      row.actionsFor = actionsFor;
      row.actions.textContent = "";
      if (t.direction === "download") {
        if (running) button(row.actions, "Pause", () => command("pause", t.transfer), "pause");
        if (t.state === "paused" || t.state === "failed") {
          button(row.actions, "Resume", () => command("resume", t.transfer), "resume");
        }
        if (running || t.state === "paused" || t.state === "failed") {
          button(row.actions, "Cancel", () => command("cancel", t.transfer), "cancel danger");
        }
      }
    }
  }
  for (const [key, row] of transferRows) {
    if (!seen.has(key)) {
      row.tr.remove();
      transferRows.delete(key);
    }
  }
}

// ---- search and browse ----
// Both ask the network once per click (no polling): a search is a few DHT lookups, a browse a
// crawl bounded by the form's limits. Names come from other nodes' manifests: text only.

function message(where, text, error) {
  const p = $(where + "-message");
  p.textContent = text;
  p.className = error ? "message error" : "message";
  p.hidden = !text;
}

/** Fills the table `which` with one row per file, each with a Get button; `extra` is its one own column. */
function listFiles(which, files, extra) {
  const table = $(which + "-results");
  const body = table.tBodies[0];
  body.textContent = "";
  for (const f of files) {
    const tr = document.createElement("tr");
    tr.dataset.id = f.id;
    cell(tr, f.name || "(no name)", "name");
    cell(tr, bytes(f.lengthBytes), "size");
    cell(tr, short(f.id), "mono id").title = f.id;
    cell(tr, extra(f), "extra");
    const actions = cell(tr, "");
    const get = button(actions, "Get", () => getListed(f, get), "get");
    body.appendChild(tr);
  }
  table.hidden = files.length === 0;
}

async function getListed(f, b) {
  b.disabled = true;
  try {
    const t = await download(f.id);
    b.textContent = "Started";
    notice("Started download " + t.transfer + " of " + (f.name || short(f.id)) + ": its progress is under Downloads.", false);
  } catch (e) {
    b.disabled = false;
    fail("get " + (f.name || short(f.id)), e);
  }
}

async function search(ev) {
  ev.preventDefault();
  const words = $("search-words").value.trim();
  $("search-button").disabled = true;
  message("search", "Searching the network for \u201c" + words + "\u201d\u2026", false);
  try {
    const r = await api("GET", "/v1/search?q=" + encodeURIComponent(words));
    listFiles("search", r.results, (f) => count(f.holders, "holder", "holders"));
    message("search", r.results.length === 0
      ? "Nothing found for \u201c" + words + "\u201d: no file on the network has these words in its name"
        + " (a file shared a moment ago can take a few seconds to be found)."
      : count(r.results.length, "file", "files") + " found in " + r.tookMillis + " ms.",
      r.results.length === 0);
  } catch (e) {
    listFiles("search", [], null);
    message("search", e.code === "network"
      ? "Cannot search: this node has no contacts in the network (it is not joined, or every peer is gone)."
      : e.code === "not_found" ? "Nothing found for \u201c" + words + "\u201d." : "Search failed: " + e.message, true);
  } finally {
    $("search-button").disabled = false;
  }
}

async function browse(ev) {
  ev.preventDefault();
  const q = new URLSearchParams({ maxQueries: $("browse-max-queries").value, maxResults: $("browse-max-results").value,
    timeoutMillis: String(Math.round(Number($("browse-seconds").value) * 1000)) });
  $("browse-button").disabled = true;
  message("browse", "Asking the network what it holds\u2026", false);
  try {
    const r = await api("GET", "/v1/browse?" + q);
    listFiles("browse", r.files, (f) => count(f.reports, "node", "nodes"));
    const asked = count(r.queries, "node", "nodes") + " asked, " + r.answered + " answered, "
      + count(r.keysSampled, "key", "keys") + " sampled"
      + (r.unnamed ? ", " + r.unnamed + " without a name found in time" : "");
    message("browse", r.files.length === 0
      ? (r.answered === 0 ? "Nothing found: no node answered (this node may have no contacts in the network)."
        : "Nothing found: the nodes asked hold no named file (" + asked + ").")
      : count(r.files.length, "file", "files") + " (" + asked + ").", r.files.length === 0);
  } catch (e) {
    listFiles("browse", [], null);
    message("browse", "Browse failed: " + e.message, true);
  } finally {
    $("browse-button").disabled = false;
  }
}

// ---- start ----

window.addEventListener("hashchange", show);
$("put-form").addEventListener("submit", putByPath);
$("upload-form").addEventListener("submit", upload);
$("get-form").addEventListener("submit", startDownload);
$("search-form").addEventListener("submit", search);
$("browse-form").addEventListener("submit", browse);
show();
setInterval(refresh, POLL_MILLIS);
