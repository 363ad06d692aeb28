package org.kadshare.overlay.reach;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A router asked by PCP (RFC 6887) MAP requests through a {@link PcpTransport}. Each mapping has
 * its own random nonce, kept for its renewals and its deletion (the server ties the mapping to
 * it). The router's answers it acts on:
 * <ul>
 * <li>success: the external port and address it assigned (not always the ones suggested) are the
 * ones to announce; a renewal suggests them again.</li>
 * <li>CANNOT_PROVIDE_EXTERNAL: asked once more with no suggestion, so the server picks.</li>
 * <li>UNSUPP_VERSION, or any answer of another version (a NAT-PMP server's): the router does not
 * speak PCP ({@link #answered()} stays false), which is what the fallback to NAT-PMP goes on.</li>
 * <li>every other result code (NOT_AUTHORIZED, NO_RESOURCES, ...): an error naming it; the
 * mapper asks again at its pace.</li>
 * </ul>
 * PCP has no request for the external address alone: {@link #externalAddress()} is the one the
 * last mapping was granted at.
 */
final class PcpRouter implements MappingRouter {
    private static final Inet4Address NO_PREFERENCE = ipv4("0.0.0.0");

    private final PcpTransport transport;
    private final Consumer<byte[]> random;
    private final Map<MappingProtocol, byte[]> nonces = new EnumMap<>(MappingProtocol.class);
    private volatile Inet4Address externalAddress;
    private volatile boolean answered;

    /** {@code random} fills a new mapping's nonce (a secure random source). */
    PcpRouter(PcpTransport transport, Consumer<byte[]> random) {
        this.transport = transport;
        this.random = random;
    }

    @Override
    public Inet4Address externalAddress() throws IOException {
        Inet4Address a = externalAddress;
        if (a == null) {
            throw new PcpException("not known before the router grants a mapping");
        }
        return a;
    }

    @Override
    public Grant map(MappingProtocol protocol, int internalPort, int suggestedExternalPort, long lifetimeSeconds)
            throws IOException {
        byte[] nonce = nonces.computeIfAbsent(protocol, p -> {
            byte[] n = new byte[PcpCodec.NONCE_BYTES];
            random.accept(n);
            return n;
        });
        Inet4Address suggestedAddress = externalAddress != null ? externalAddress : NO_PREFERENCE;
        PcpAnswer a = exchange(nonce, protocol, internalPort, suggestedExternalPort, suggestedAddress, lifetimeSeconds);
        if (a.resultCode() == PcpCodec.CANNOT_PROVIDE_EXTERNAL) {
            a = exchange(nonce, protocol, internalPort, 0, NO_PREFERENCE, lifetimeSeconds);
        }
        if (a.resultCode() != PcpCodec.SUCCESS) {
            throw new PcpException("the router refused: " + PcpCodec.result(a.resultCode()));
        }
        if (a.lifetimeSeconds() == 0 || a.externalPort() == 0) {
            throw new PcpException("the router granted no lifetime");
        }
        externalAddress = a.externalAddress().orElseThrow();
        return new Grant(a.externalPort(), a.lifetimeSeconds());
    }

    @Override
    public void unmap(ActiveMapping m) throws IOException {
        byte[] nonce = nonces.remove(m.protocol());
        if (nonce == null) {
            return; // never mapped by this router
        }
        PcpAnswer a = exchange(nonce, m.protocol(), m.internalPort(), 0, NO_PREFERENCE, 0);
        if (a.resultCode() != PcpCodec.SUCCESS) {
            throw new PcpException("the router refused the deletion: " + PcpCodec.result(a.resultCode()));
        }
    }

    /** Whether the router ever answered in PCP's version (even to refuse): whether it speaks PCP. */
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
        return "PCP";
    }

    private PcpAnswer exchange(byte[] nonce, MappingProtocol protocol, int internalPort, int suggestedPort,
            Inet4Address suggestedAddress, long lifetimeSeconds) throws IOException {
        byte[] request = PcpCodec.mapRequest(nonce, protocol, internalPort, suggestedPort, suggestedAddress,
                lifetimeSeconds, transport.localAddress());
        byte[] reply = transport.exchange(request, PcpCodec::isMapAnswer);
        PcpAnswer a = PcpCodec.mapAnswer(reply, nonce, protocol, internalPort);
        if (a.version() != PcpCodec.VERSION) {
            throw new PcpException("the router does not speak PCP (it answered as version " + a.version()
                    + (a.version() == 0 ? ": NAT-PMP" : "") + ")");
        }
        if (a.resultCode() == PcpCodec.UNSUPP_VERSION) {
            throw new PcpException("the router does not speak PCP version " + PcpCodec.VERSION + " (UNSUPP_VERSION)");
        }
        answered = true;
        return a;
    }

    private static Inet4Address ipv4(String dotted) {
        try {
            return (Inet4Address) InetAddress.getByName(dotted);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
