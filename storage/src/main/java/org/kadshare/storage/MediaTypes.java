package org.kadshare.storage;

import java.util.Locale;
import java.util.Map;

/**
 * Guesses a manifest's media type from a file name's extension, for the common formats only;
 * anything else is {@code application/octet-stream}.
 */
public final class MediaTypes {
    /** The media type of bytes of unknown kind. */
    public static final String DEFAULT = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("txt", "text/plain"),
            Map.entry("md", "text/markdown"),
            Map.entry("csv", "text/csv"),
            Map.entry("json", "application/json"),
            Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"),
            Map.entry("png", "image/png"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("mp3", "audio/mpeg"));

    private MediaTypes() {
    }

    /** The media type for {@code fileName}'s extension (any case), or {@link #DEFAULT}. */
    public static String guess(String fileName) {
        if (fileName == null) {
            return DEFAULT;
        }
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return BY_EXTENSION.getOrDefault(ext, DEFAULT);
    }
}
