package org.kadshare.simulations.sim;

/**
 * Thrown when code run by the simulator throws; its message carries the seed and the virtual time,
 * so the failing run can be replayed exactly.
 */
public final class SimulationFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SimulationFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
