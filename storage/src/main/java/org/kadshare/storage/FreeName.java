package org.kadshare.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks a name not yet taken in a directory for a {@link SafeName}: the name itself, else
 * {@code "name (1).ext"}, {@code "name (2).ext"}, ... A name is taken when an entry of the
 * directory has it, compared after NFC normalisation (so {@code "é"} written as one code point
 * and as {@code e} plus a combining accent are the same name, as they are on file systems that
 * normalise).
 */
public final class FreeName {
    /** How many numbered names are tried before giving up. */
    public static final int MAX_TRIES = 10_000;

    private FreeName() {
    }

    /**
     * A path in {@code directory} for {@code safeName} (already made safe) that nothing occupies.
     *
     * @throws FileAlreadyExistsException if the name and its {@link #MAX_TRIES} numbered forms are
     *     all taken
     */
    public static Path in(Path directory, String safeName) throws IOException {
        Set<String> taken = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path p : entries) {
                taken.add(Normalizer.normalize(p.getFileName().toString(), Normalizer.Form.NFC));
            }
        }
        for (int n = 0; n <= MAX_TRIES; n++) {
            String candidate = n == 0 ? safeName : SafeName.withNumber(safeName, n);
            Path p = directory.resolve(candidate);
            if (!taken.contains(candidate) && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return p;
            }
        }
        throw new FileAlreadyExistsException(directory.resolve(safeName).toString(), null,
                "it and " + MAX_TRIES + " numbered forms of the name are all taken");
    }
}
