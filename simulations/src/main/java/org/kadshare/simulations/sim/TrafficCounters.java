package org.kadshare.simulations.sim;

/** Datagram counts of a simulation: what was sent, delivered, and dropped for which reason. */
public final class TrafficCounters {
    long sent;
    long sentBytes;
    long delivered;
    long droppedLoss;
    long droppedPartition;
    long droppedDeadTarget;
    long droppedUnknownAddress;

    /** Datagrams handed to the network by live nodes. */
    public long sent() {
        return sent;
    }

    /** Payload bytes of the datagrams sent. */
    public long sentBytes() {
        return sentBytes;
    }

    /** Datagrams handed to a live receiver. */
    public long delivered() {
        return delivered;
    }

    /** Datagrams lost at random. */
    public long droppedLoss() {
        return droppedLoss;
    }

    /** Datagrams blocked by an open partition. */
    public long droppedPartition() {
        return droppedPartition;
    }

    /** Datagrams that arrived at a crashed or departed node. */
    public long droppedDeadTarget() {
        return droppedDeadTarget;
    }

    /** Datagrams sent to an address no simulated node ever had. */
    public long droppedUnknownAddress() {
        return droppedUnknownAddress;
    }
}
