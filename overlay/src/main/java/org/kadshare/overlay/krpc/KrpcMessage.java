package org.kadshare.overlay.krpc;

import java.util.Optional;

/**
 * One KRPC message (BEP 5): a query, a response or an error. Every message carries the
 * transaction ID that ties a reply to its query and, optionally, the sender's client version.
 * Dispatch with {@code instanceof} patterns; {@link KrpcCodec} turns messages into datagrams and
 * back.
 */
public sealed interface KrpcMessage permits KrpcQuery, KrpcResponse, KrpcError {

    /** The "t" of the message. */
    TransactionId transactionId();

    /** The top-level "v", if the sender gave one. */
    Optional<ClientVersion> version();
}
