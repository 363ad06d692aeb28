package org.kadshare.overlay.dht;

/** BEP 5's three states of a routing-table contact. */
enum ContactState {
    /** Answered one of our queries recently, or answered once and queried us recently. */
    GOOD,
    /** Not heard from for the questionable interval, or never answered a query of ours. */
    QUESTIONABLE,
    /** Failed to answer several queries in a row; the first to be replaced. */
    BAD
}
