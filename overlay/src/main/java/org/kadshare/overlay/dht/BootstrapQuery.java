package org.kadshare.overlay.dht;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Asks one bootstrap address for contacts: up to {@link #ATTEMPTS} queries, the second after
 * {@link #FIRST_RETRY_MILLIS} and each further one after twice the previous gap, sent only while no
 * answer has come (one lost datagram must not leave a new node alone). It settles exactly once: at
 * the first answer, with the contacts it named, or with none when every query failed. An answer to
 * an earlier query still counts while a later one is pending.
 */
final class BootstrapQuery {
    /** Queries sent to a silent address. */
    static final int ATTEMPTS = 3;
    /** Gap before the second query; it doubles for each further one. */
    static final long FIRST_RETRY_MILLIS = 1_000;

    /** Sends one query; reports the contacts of an answer, or a failure (error reply or timeout). */
    @FunctionalInterface
    interface Sender {
        void send(Consumer<List<Contact>> answered, Runnable failed);
    }

    private final DhtEnvironment env;
    private final BooleanSupplier stopped;
    private final Sender sender;
    private final Consumer<List<Contact>> settled;
    private int sent;
    private int open;
    private boolean done;

    /**
     * @param stopped  true once the node stopped: no further query is sent
     * @param settled  receives the answer's contacts, or an empty list after the last failure
     */
    BootstrapQuery(DhtEnvironment env, BooleanSupplier stopped, Sender sender, Consumer<List<Contact>> settled) {
        this.env = env;
        this.stopped = stopped;
        this.sender = sender;
        this.settled = settled;
    }

    void start() {
        attempt();
    }

    private void attempt() {
        if (done) {
            return;
        }
        if (stopped.getAsBoolean()) {
            sent = ATTEMPTS;
            giveUpIfLast();
            return;
        }
        sent++;
        open++;
        if (sent < ATTEMPTS) {
            env.schedule(FIRST_RETRY_MILLIS << (sent - 1), this::attempt);
        }
        sender.send(contacts -> {
            open--;
            if (!done) {
                done = true;
                settled.accept(contacts);
            }
        }, () -> {
            open--;
            giveUpIfLast();
        });
    }

    private void giveUpIfLast() {
        if (!done && open == 0 && sent == ATTEMPTS) {
            done = true;
            settled.accept(List.of());
        }
    }
}
