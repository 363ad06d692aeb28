package org.kadshare.overlay.reach;

/**
 * A port mapping the router granted.
 *
 * @param protocol        its transport
 * @param internalPort    the port on this host
 * @param externalPort    the port the router forwards to it (the one to announce)
 * @param expiresAtMillis when the router drops it unless renewed (the mapper's clock)
 */
public record ActiveMapping(MappingProtocol protocol, int internalPort, int externalPort, long expiresAtMillis) {
}
