package org.kadshare.overlay.krpc;

import org.kadshare.overlay.dht.NodeId;

/**
 * A KRPC query ("y" = "q"): one of the four BEP 5 methods, BEP 51's sample_infohashes or
 * kadshare's manifest, keyword and connect_back methods. Every query names its sender's node ID in the "id"
 * argument.
 */
public sealed interface KrpcQuery extends KrpcMessage
        permits PingQuery, FindNodeQuery, GetPeersQuery, AnnouncePeerQuery, PutManifestQuery,
        GetManifestsQuery, SampleInfohashesQuery, PutKeywordQuery, GetKeywordsQuery, ConnectBackQuery,
        ConnectToMeQuery, ReverseConnectQuery {

    /** The querying node's ID (argument "id"). */
    NodeId senderId();

    /** The method name sent in "q", such as {@code "find_node"}. */
    String method();
}
