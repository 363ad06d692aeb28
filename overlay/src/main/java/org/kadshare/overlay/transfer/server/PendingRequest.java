package org.kadshare.overlay.transfer.server;

/**
 * A GET_SPAN or GET_HASHES a peer is waiting on, with the size of its reply for pacing. Public for
 * drivers of {@link UploadCore} outside this package.
 *
 * @param requestId  the peer's request ID
 * @param wantsData  a GET_SPAN (true) or a GET_HASHES
 * @param height     the span's height
 * @param index      the span's index at that height
 * @param replyBytes the reply's data (span bytes or leaf hashes), what the upload rate is charged
 */
public record PendingRequest(int requestId, boolean wantsData, int height, long index, long replyBytes) {
}
