package org.kadshare.overlay.dht;

/**
 * What the peers asked to connect back said (connect_back).
 *
 * @param asked    peers asked
 * @param answered of those, peers that answered whether they could connect
 * @param reached  of those, peers whose TCP connection opened
 */
public record ConnectBackResult(int asked, int answered, int reached) {
    /** Rejects counts that do not add up. */
    public ConnectBackResult {
        if (asked < 0 || answered < 0 || reached < 0 || answered > asked || reached > answered) {
            throw new IllegalArgumentException("inconsistent connect_back result: asked " + asked + ", answered "
                    + answered + ", reached " + reached);
        }
    }
}
