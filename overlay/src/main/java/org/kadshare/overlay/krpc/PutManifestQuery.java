package org.kadshare.overlay.krpc;

import java.util.Optional;
import org.kadshare.overlay.dht.NodeId;

/**
 * Kadshare {@code put_manifest} (in the spirit of BEP 44 {@code put}): asks the answering node to
 * store a signed manifest under {@code key}. The storing node accepts it only with a valid
 * {@code token}, a valid signature, and {@code key} equal to the first 20 bytes of the manifest's
 * content ID; those checks belong to the DHT core, not to this record.
 *
 * @param transactionId the "t"
 * @param senderId      the querying node ("id")
 * @param key           the DHT key ("key")
 * @param manifest      the encoded signed manifest ("manifest")
 * @param token         the write token from an earlier {@code get_manifests} ("token")
 * @param version       the top-level "v", if any
 */
public record PutManifestQuery(TransactionId transactionId, NodeId senderId, NodeId key,
        EncodedManifest manifest, Token token, Optional<ClientVersion> version)
        implements KrpcQuery {
    /** The method name on the wire. */
    public static final String METHOD = "put_manifest";

    /** Checks that every field is present. */
    public PutManifestQuery {
        Checks.present("transaction ID", transactionId);
        Checks.present("sender ID", senderId);
        Checks.present("key", key);
        Checks.present("manifest", manifest);
        Checks.present("token", token);
        Checks.optional("version", version);
    }

    @Override
    public String method() {
        return METHOD;
    }
}
