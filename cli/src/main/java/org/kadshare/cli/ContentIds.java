package org.kadshare.cli;

import org.kadshare.storage.ContentId;

/** Parses a content ID given on the command line, as a usage error when malformed. */
final class ContentIds {
    private ContentIds() {
    }

    static ContentId parse(String text) {
        try {
            return ContentId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "malformed hash: " + e.getMessage());
        }
    }
}
