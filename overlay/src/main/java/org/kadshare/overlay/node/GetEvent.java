package org.kadshare.overlay.node;

import org.kadshare.overlay.transfer.download.DownloadProgress;

/** A step of a {@code get}: the phase it is in and, while downloading, its progress (else null). */
public record GetEvent(GetPhase phase, DownloadProgress progress) {
}
