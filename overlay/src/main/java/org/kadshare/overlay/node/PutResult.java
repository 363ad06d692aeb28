package org.kadshare.overlay.node;

import java.util.concurrent.CompletableFuture;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.StoredFile;

/** A shared file, its signed manifest, and the background announce (completes with nodes reached). */
public record PutResult(StoredFile stored, Manifest manifest, CompletableFuture<Integer> announced) {
}
