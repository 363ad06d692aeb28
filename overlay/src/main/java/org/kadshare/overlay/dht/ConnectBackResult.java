package org.kadshare.overlay.dht;

/**
 * What the peers asked to connect back said (connect_back).
 *
 * @param asked       peers asked
 * @param answered    of those, peers that answered whether they could connect
 * @param reached     of those, peers whose TCP connection opened
 * @param udpAnswered of those that answered, peers that also said whether their ping of the UDP
 *                    port, sent from another socket, was answered
 * @param udpReached  of those, peers whose ping was answered
 */
public record ConnectBackResult(int asked, int answered, int reached, int udpAnswered, int udpReached) {
    /** Rejects counts that do not add up. */
    public ConnectBackResult {
        if (asked < 0 || answered < 0 || reached < 0 || answered > asked || reached > answered || udpAnswered < 0
                || udpReached < 0 || udpAnswered > answered || udpReached > udpAnswered) {
            throw new IllegalArgumentException("inconsistent connect_back result: asked " + asked + ", answered "
                    + answered + ", reached " + reached + ", UDP answered " + udpAnswered + ", UDP reached "
                    + udpReached);
        }
    }

    /** A result of the TCP check alone. */
    public ConnectBackResult(int asked, int answered, int reached) {
        this(asked, answered, reached, 0, 0);
    }
}
