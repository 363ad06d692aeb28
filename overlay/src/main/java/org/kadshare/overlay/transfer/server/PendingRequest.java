package org.kadshare.overlay.transfer.server;

/** A GET_SPAN or GET_HASHES a peer is waiting on, with the size of its reply for pacing. */
record PendingRequest(int requestId, boolean wantsData, int height, long index, long replyBytes) {
}
