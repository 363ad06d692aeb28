package org.kadshare.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kadshare.overlay.node.Transfer;
import org.kadshare.overlay.node.TransferPeer;

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

    private static Map<String, Object> peer(TransferPeer p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", NodeJson.address(p.address()));
        m.put("bytes", p.bytes());
        m.put("state", p.state().toLowerCase(Locale.ROOT));
        return m;
    }
}
