package org.kadshare.simulations.swarm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What a swarm run gave.
 *
 * @param getters              getters in the run
 * @param completed            getters whose file was complete
 * @param failed               getters whose run failed
 * @param lastDoneMillis       when the last getter completed, from the start (the first arrival
 *                             is at 0 or later), or -1 if none did
 * @param lastArrivalMillis    when the last getter arrived
 * @param longestDownloadMillis the longest time from a getter's arrival to its completion
 * @param medianDownloadMillis the median of those times
 * @param seederUploadShare    the part of every byte uploaded that came from the nodes holding the
 *                             file at the start (seeders and the config's {@code holders})
 * @param fetchedTwiceBytes    bytes getters received beyond one copy of the file each (endgame
 *                             copies, replies to withdrawn requests, spans already held)
 * @param uploadedBytes        every byte uploaded, frame overhead included
 * @param events               events the scheduler ran (the same config runs the same number)
 * @param holderUploadBytes    what each of the config's {@code holders} uploaded, in their order
 */
public record SwarmReport(int getters, int completed, int failed, long lastDoneMillis, long lastArrivalMillis,
        long longestDownloadMillis, long medianDownloadMillis, double seederUploadShare, long fetchedTwiceBytes,
        long uploadedBytes, long events, List<Long> holderUploadBytes) {

    /** Getters neither complete nor failed when the run stopped: downloads that hung. */
    public int unfinished() {
        return getters - completed - failed;
    }

    static SwarmReport of(SwarmConfig config, long fileBytes, List<SwarmPeer> peers, long nowMillis, long events) {
        int completed = 0;
        int failed = 0;
        long lastDone = -1;
        long lastArrival = 0;
        long received = 0;
        long uploaded = 0;
        long seederUploaded = 0;
        List<Long> durations = new ArrayList<>();
        List<Long> holderUploads = new ArrayList<>();
        for (SwarmPeer p : peers) {
            uploaded += p.bytesUploaded;
            if (!p.getter) {
                seederUploaded += p.bytesUploaded;
                if (p.index >= config.seeders()) {
                    holderUploads.add(p.bytesUploaded);
                }
                continue;
            }
            lastArrival = Math.max(lastArrival, p.arrivedAtMillis);
            received += p.bytesReceived;
            if (p.doneAtMillis >= 0 && p.failure == null) {
                completed++;
                lastDone = Math.max(lastDone, p.doneAtMillis);
                durations.add(p.doneAtMillis - p.arrivedAtMillis);
            } else if (p.failure != null) {
                failed++;
            }
        }
        Collections.sort(durations);
        long longest = durations.isEmpty() ? -1 : durations.get(durations.size() - 1);
        long median = durations.isEmpty() ? -1 : durations.get(durations.size() / 2);
        long framesOfOneCopy = (long) completed * fileBytes;
        return new SwarmReport(config.getters(), completed, failed, lastDone, lastArrival, longest, median,
                uploaded == 0 ? 0 : (double) seederUploaded / uploaded, Math.max(0, received - framesOfOneCopy),
                uploaded, events, List.copyOf(holderUploads));
    }

    /** One line for a table: getters, completed, times in seconds, shares in percent. */
    public String tableRow() {
        return String.format(Locale.ROOT, "| %d | %d / %d | %.1f | %.1f | %.1f | %.1f | %.1f%% | %.2f%% |", getters,
                completed, getters, lastDoneMillis / 1000.0, lastArrivalMillis / 1000.0, longestDownloadMillis / 1000.0,
                medianDownloadMillis / 1000.0, 100 * seederUploadShare,
                uploadedBytes == 0 ? 0 : 100.0 * fetchedTwiceBytes / uploadedBytes);
    }
}
