package org.kadshare.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.kadshare.overlay.node.Node;
import org.kadshare.overlay.node.SharedFile;
import org.kadshare.overlay.node.Transfer;
import org.kadshare.overlay.node.TransferPeer;
import org.kadshare.overlay.transfer.server.UploadTotals;

/** The JSON shape of a transfer, as {@code GET /v1/transfers} and {@code node transfers --json} show it. */
final class TransferJson {
    private TransferJson() {
    }

    static Map<String, Object> transfer(Transfer t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transfer", t.transferId());
        m.put("direction", t.direction().name().toLowerCase(Locale.ROOT));
        m.put("id", t.id().toHex());
        m.put("state", t.state().name().toLowerCase(Locale.ROOT));
        m.put("phase", t.phase() == null ? null : t.phase().name());
        m.put("detached", t.detached());
        m.put("destination", t.destination() == null ? null : t.destination().toString());
        m.put("bytesDone", t.bytesDone());
        m.put("totalBytes", t.totalBytes());
        m.put("bytesPerSecond", Math.round(t.bytesPerSecond()));
        m.put("etaMillis", t.etaMillis());
        m.put("elapsedMillis", t.elapsedMillis());
        m.put("peersConnected", t.peersConnected());
        m.put("peers", t.peers().stream().<Object>map(TransferJson::peer).toList());
        m.put("message", t.message());
        return m;
    }

    static Map<String, Object> transfers(List<Transfer> all) {
        return Map.of("transfers", all.stream().<Object>map(TransferJson::transfer).toList());
    }

    /**
     * {@code GET /v1/ls}: the shared files as {@link NodeJson#files} shows them, each with what it
     * uploaded since the node started ({@code uploadedBytes}, {@code uploads}: peer sessions) and
     * {@code holdersSeen}, the holders its latest download here knew (null if none ran).
     */
    static Map<String, Object> sharedWithStats(Node node) {
        List<Object> files = new ArrayList<>();
        for (SharedFile s : node.shared()) {
            Map<String, Object> m = NodeJson.file(s.stored(), s.name(), s.mediaType());
            UploadTotals up = node.uploadTotals(s.stored().id());
            m.put("uploadedBytes", up.bytesServed());
            m.put("uploads", up.sessions());
            OptionalInt holders = node.transfers().holdersSeen(s.stored().id());
            m.put("holdersSeen", holders.isPresent() ? holders.getAsInt() : null);
            files.add(m);
        }
        return Map.of("files", files);
    }

    private static Map<String, Object> peer(TransferPeer p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", NodeJson.address(p.address()));
        m.put("bytes", p.bytes());
        m.put("state", p.state().toLowerCase(Locale.ROOT));
        return m;
    }
}
