package org.kadshare.overlay.reach;

import java.io.IOException;
import java.net.Inet4Address;

/** A router asked by NAT-PMP (RFC 6886) through a {@link NatPmpTransport}. */
final class NatPmpRouter implements MappingRouter {
    private final NatPmpTransport transport;
    private volatile boolean answered;

    NatPmpRouter(NatPmpTransport transport) {
        this.transport = transport;
    }

    @Override
    public Inet4Address externalAddress() throws IOException {
        return NatPmpCodec.externalAddress(exchange(NatPmpCodec.externalAddressRequest()));
    }

    @Override
    public Grant map(MappingProtocol protocol, int internalPort, int suggestedExternalPort, long lifetimeSeconds)
            throws IOException {
        NatPmpMappingReply reply = NatPmpCodec.mapping(exchange(
                NatPmpCodec.mappingRequest(protocol, internalPort, suggestedExternalPort, lifetimeSeconds)), protocol);
        if (reply.lifetimeSeconds() == 0 || reply.externalPort() == 0) {
            throw new NatPmpException("the router granted no lifetime");
        }
        return new Grant(reply.externalPort(), reply.lifetimeSeconds());
    }

    @Override
    public void unmap(ActiveMapping m) throws IOException {
        exchange(NatPmpCodec.mappingRequest(m.protocol(), m.internalPort(), 0, 0));
    }

    /** Whether the router ever answered a NAT-PMP request (even to refuse it). */
    @Override
    public boolean answered() {
        return answered;
    }

    @Override
    public String gateway() {
        return transport.gateway();
    }

    @Override
    public String method() {
        return "NAT-PMP";
    }

    private byte[] exchange(byte[] request) throws IOException {
        byte[] reply = transport.exchange(request);
        answered = true;
        return reply;
    }
}
