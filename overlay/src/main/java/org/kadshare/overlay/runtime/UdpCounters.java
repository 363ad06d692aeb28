package org.kadshare.overlay.runtime;

/**
 * A snapshot of what a {@link UdpDriver} has seen, for status output and tests. Every count is
 * since the driver started.
 *
 * @param datagramsReceived     datagrams handed to the core
 * @param droppedOversize       inbound datagrams dropped for exceeding the size limit
 * @param receiverFailures      exceptions the core's receiver threw (each counted, none fatal)
 * @param datagramsSent         datagrams the socket accepted
 * @param sendFailures          outbound datagrams dropped: channel closed or not writable, or the
 *                              write failed
 * @param taskFailures          exceptions thrown by scheduled tasks or by {@code execute} tasks
 * @param channelErrors         errors the channel reported (for example ICMP-triggered ones)
 */
public record UdpCounters(long datagramsReceived, long droppedOversize, long receiverFailures,
        long datagramsSent, long sendFailures, long taskFailures, long channelErrors) {
}
