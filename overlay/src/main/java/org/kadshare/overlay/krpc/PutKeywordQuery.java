package org.kadshare.overlay.krpc;

import java.util.Optional;
import org.kadshare.overlay.dht.NodeId;

/**
 * Kadshare {@code put_keyword}: asks the answering node to store a signed keyword record under
 * {@code key}. The storing node accepts it only with a valid {@code token}, valid signatures, and
 * {@code key} equal to the DHT key of the record's word; those checks belong to the DHT core.
 *
 * @param transactionId the "t"
 * @param senderId      the querying node ("id")
 * @param key           the DHT key of the word ("key")
 * @param record        the encoded signed keyword record ("record")
 * @param token         the write token from an earlier {@code get_keywords} ("token")
 * @param version       the top-level "v", if any
 */
public record PutKeywordQuery(TransactionId transactionId, NodeId senderId, NodeId key,
        EncodedKeyword record, Token token, Optional<ClientVersion> version)
        implements KrpcQuery {
    /** The method name on the wire. */
    public static final String METHOD = "put_keyword";

    /** Checks that every field is present. */
    public PutKeywordQuery {
        Checks.present("transaction ID", transactionId);
        Checks.present("sender ID", senderId);
        Checks.present("key", key);
        Checks.present("record", record);
        Checks.present("token", token);
        Checks.optional("version", version);
    }

    @Override
    public String method() {
        return METHOD;
    }
}
