package org.kadshare.cli;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kadshare.overlay.dht.DhtContact;
import org.kadshare.overlay.node.BrowseResult;
import org.kadshare.overlay.node.GetPhase;
import org.kadshare.overlay.node.GetTask;
import org.kadshare.overlay.node.NodeStatus;
import org.kadshare.overlay.reach.Reachability;
import org.kadshare.overlay.node.PutResult;
import org.kadshare.overlay.node.RefreshReport;
import org.kadshare.overlay.node.SearchResult;
import org.kadshare.overlay.node.SharedFile;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Keywords;
import org.kadshare.storage.StoredFile;

/**
 * The JSON shapes of what a node reports, shared by the control API and {@code --json} output so
 * a script sees the same object whether or not the command went through a running node.
 */
final class NodeJson {
    private NodeJson() {
    }

    static Map<String, Object> status(NodeStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodeId", s.nodeId().toHex());
        m.put("dhtAddress", address(s.dhtAddress()));
        m.put("transferAddress", address(s.transferAddress()));
        m.put("routingContacts", s.routingContacts());
        m.put("liveContacts", s.liveContacts());
        m.put("holderRecords", s.holderRecords());
        m.put("manifestRecords", s.manifestRecords());
        m.put("filesShared", s.filesShared());
        m.put("staleFiles", s.staleFiles());
        m.put("transfersInProgress", s.transfersInProgress());
        m.put("uploadedBytes", s.uploadedBytes());
        Reachability r = s.reachability();
        m.put("reachable", r.how().label());
        m.put("reachableHow", r.detail());
        r.seenAs().ifPresent(a -> m.put("externalAddress", address(a)));
        r.tcp().ifPresent(t -> m.put("mappedTransferPort", t.externalPort()));
        r.udp().ifPresent(u -> m.put("mappedDhtPort", u.externalPort()));
        return m;
    }

    static Map<String, Object> peers(List<DhtContact> contacts) {
        List<Object> list = contacts.stream().<Object>map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id().toHex());
            m.put("address", address(c.address()));
            m.put("live", c.live());
            m.put("rttMillis", c.rttMillis());
            return m;
        }).toList();
        return Map.of("peers", list);
    }

    static Map<String, Object> file(StoredFile f, String name, String mediaType) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id().toHex());
        m.put("name", name);
        m.put("mediaType", mediaType);
        m.put("lengthBytes", f.lengthBytes());
        m.put("mode", f.mode().name().toLowerCase(java.util.Locale.ROOT));
        m.put("path", f.dataPath() == null ? null : f.dataPath().toString());
        m.put("stale", f.stale());
        m.put("collection", org.kadshare.storage.Collection.MEDIA_TYPE.equals(mediaType));
        return m;
    }

    static Map<String, Object> files(List<SharedFile> shared) {
        return Map.of("files", shared.stream().<Object>map(s -> file(s.stored(), s.name(), s.mediaType())).toList());
    }

    static Map<String, Object> browse(BrowseResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", r.files().stream().<Object>map(f -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", f.id().toHex());
            e.put("name", f.name());
            e.put("mediaType", f.mediaType());
            e.put("lengthBytes", f.lengthBytes());
            e.put("reports", f.reports());
            e.put("publishers", f.publishers());
            return e;
        }).toList());
        m.put("keysSampled", r.keysSampled());
        m.put("unnamed", r.unnamed());
        m.put("queries", r.queries());
        m.put("answered", r.answered());
        m.put("nodesSeen", r.nodesSeen());
        return m;
    }

    static Map<String, Object> refresh(RefreshReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rehashed", r.rehashed().stream().<Object>map(f -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("oldId", f.oldId().toHex());
            e.put("id", f.newId().toHex());
            e.put("name", f.name());
            e.put("path", f.path().toString());
            e.put("lengthBytes", f.lengthBytes());
            return e;
        }).toList());
        m.put("withdrawn", r.withdrawn().stream().<Object>map(f -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", f.id().toHex());
            e.put("name", f.name());
            e.put("path", f.path().toString());
            return e;
        }).toList());
        m.put("failed", r.failed().stream().<Object>map(f -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", f.id().toHex());
            e.put("name", f.name());
            e.put("path", f.path().toString());
            e.put("reason", f.reason());
            return e;
        }).toList());
        m.put("unchanged", r.unchanged());
        return m;
    }

    static Map<String, Object> put(PutResult r) {
        return file(r.stored(), r.manifest().name(), r.manifest().mediaType());
    }

    static Map<String, Object> search(String query, List<SearchResult> results, long tookMillis) {
        List<Object> out = new ArrayList<>();
        for (SearchResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id().toHex());
            m.put("name", r.name());
            m.put("lengthBytes", r.lengthBytes());
            m.put("mediaType", r.mediaType());
            m.put("wordsMatched", r.wordsMatched());
            m.put("publishers", r.publishers());
            m.put("holders", r.holders());
            out.add(m);
        }
        return Map.of("query", query, "words", List.copyOf(Keywords.of(query)), "results", out,
                "tookMillis", tookMillis);
    }

    static Map<String, Object> providers(ContentId id, List<InetSocketAddress> holders) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id.toHex());
        m.put("providers", holders.stream().<Object>map(NodeJson::address).toList());
        return m;
    }

    static Map<String, Object> phase(GetPhase phase) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "phase");
        m.put("phase", phase.name());
        return m;
    }

    static Map<String, Object> progress(GetPhase phase, DownloadProgress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "progress");
        m.put("phase", phase.name());
        m.put("bytesDone", p.bytesDone());
        m.put("totalBytes", p.totalBytes());
        m.put("bytesPerSecond", Math.round(p.bytesPerSecond()));
        m.put("peersConnected", p.peersConnected());
        m.put("etaMillis", p.etaMillis());
        return m;
    }

    /** The end of a get: the path written and its length; for a collection, its files and their total length. */
    static Map<String, Object> done(GetTask task, StoredFile f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "done");
        m.put("id", f.id().toHex());
        m.put("path", String.valueOf(task.destination()));
        DownloadProgress p = task.progress();
        if (task.collectionFiles() >= 0) {
            m.put("files", task.collectionFiles());
            m.put("lengthBytes", p == null ? 0 : p.totalBytes());
        } else {
            m.put("lengthBytes", f.lengthBytes());
        }
        return m;
    }

    static String address(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
