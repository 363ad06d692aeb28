package org.kadshare.overlay.reach;

/**
 * A router's answer to a mapping request (RFC 6886 section 3.3), result code 0.
 *
 * @param protocol        the mapping's transport
 * @param epochSeconds    the router's seconds since its mappings were last lost (a reboot)
 * @param internalPort    the port on this host
 * @param externalPort    the port the router forwards: not always the one asked for
 * @param lifetimeSeconds how long the router keeps it; 0 after a deletion
 */
record NatPmpMappingReply(MappingProtocol protocol, long epochSeconds, int internalPort, int externalPort,
        long lifetimeSeconds) {
}
