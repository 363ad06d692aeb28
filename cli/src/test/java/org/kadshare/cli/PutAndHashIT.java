package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code node hash} and {@code node put} as real processes started through the launcher. */
class PutAndHashIT {
    @TempDir
    Path tmp;

    private Map<String, String> env() {
        return Map.of("KADSHARE_DATA_DIR", tmp.resolve("data").toString());
    }

    @Test
    void putPrintsOnlyTheIdOnStdoutAndItEqualsTheOfflineHash() throws Exception {
        Path file = tmp.resolve("notes.txt");
        Files.writeString(file, "kadshare end-to-end\n".repeat(5000));

        NodeProcess.Result hash = NodeProcess.run(env(), "hash", file.toString());
        NodeProcess.Result put = NodeProcess.run(env(), "put", file.toString());

        assertThat(hash.exitCode()).as(hash.toString()).isZero();
        assertThat(put.exitCode()).as(put.toString()).isZero();
        assertThat(put.stdout()).matches("[0-9a-f]{64}\n").isEqualTo(hash.stdout());
        assertThat(put.stderr()).contains("shared notes.txt");
    }

    @Test
    void putStoresAManifestThatVerifiesAndATamperedOneIsRefused() throws Exception {
        Path file = tmp.resolve("table.csv");
        Files.writeString(file, "a,b\n1,2\n");
        String id = NodeProcess.run(env(), "put", file.toString()).stdout().strip();

        NodeProcess.Result shown = NodeProcess.run(env(), "manifest", id);
        assertThat(shown.exitCode()).as(shown.toString()).isZero();
        assertThat(shown.stdout()).contains("name       table.csv", "type       text/csv", "signature  valid");

        Path manifestFile;
        try (Stream<Path> files = Files.walk(tmp.resolve("data/manifests"))) {
            manifestFile = files.filter(p -> p.toString().endsWith(".manifest")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(manifestFile);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("table.csv");
        bytes[at] = 'T';
        Files.write(manifestFile, bytes);

        NodeProcess.Result tampered = NodeProcess.run(env(), "manifest", id);
        assertThat(tampered.exitCode()).as(tampered.toString()).isEqualTo(ExitCode.VERIFICATION);
        assertThat(tampered.stderr()).contains("manifest failed verification").doesNotContain("Exception");
        assertThat(tampered.stdout()).isEmpty();
    }

    @Test
    void aZeroByteFileHasTheIdOfTheSpecifiedConstruction() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty"));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] leaf = sha.digest(new byte[] {0x00});
        sha.update((byte) 0x02);
        sha.update(ByteBuffer.allocate(8).putLong(0L).array());
        String expected = HexFormat.of().formatHex(sha.digest(leaf));

        NodeProcess.Result put = NodeProcess.run(env(), "put", empty.toString());

        assertThat(put.exitCode()).as(put.toString()).isZero();
        assertThat(put.stdout().strip()).isEqualTo(expected);
    }

    @Test
    void aMissingFileIsReportedWithItsOwnExitCode() throws Exception {
        NodeProcess.Result r = NodeProcess.run(env(), "put", tmp.resolve("nope.bin").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.NO_SUCH_FILE);
        assertThat(r.stderr()).contains("no such file").contains("nope.bin");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void aDirectoryIsNotAFile() throws Exception {
        NodeProcess.Result r = NodeProcess.run(env(), "hash", tmp.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.NOT_A_FILE);
        assertThat(r.stderr()).contains("is a directory");
    }

    @Test
    void aMalformedHashIsAUsageError() throws Exception {
        NodeProcess.Result r = NodeProcess.run(env(), "manifest", "xyz");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.stderr()).contains("malformed hash");
    }

    @Test
    void anUnknownHashIsNotFound() throws Exception {
        NodeProcess.Result r = NodeProcess.run(env(), "manifest", "ab".repeat(32));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.NOT_FOUND);
    }

    @Test
    void anUnreadableFileIsAPermissionError() throws Exception {
        Path secret = tmp.resolve("secret.bin");
        Files.write(secret, new byte[100]);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        boolean root = "root".equals(System.getProperty("user.name"));
        NodeProcess.Result r;
        if (root) {
            // Root reads any file, so run the node as the unprivileged 'nobody' user, from a copy
            // of the jar in a directory 'nobody' can reach (the clone may sit where it cannot).
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path jar = Files.copy(NodeProcess.repositoryRoot().resolve("cli/target/kadshare.jar"), tmp.resolve("node.jar"));
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            Path data = Files.createDirectories(tmp.resolve("nobody-data"));
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            r = NodeProcess.runCommand(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    "--reset-env", java, "-jar", jar.toString(), "--data-dir", data.toString(), "put",
                    secret.toString()), Map.of(), Duration.ofSeconds(120));
        } else {
            r = NodeProcess.run(env(), "put", secret.toString());
        }
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.PERMISSION);
        assertThat(r.stderr()).contains("secret.bin");
    }

    @Test
    void aFileOverFourGibibytesHashesAndPuts() throws Exception {
        Path big = tmp.resolve("sparse.img");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength((4L << 30) + 12345);
            f.seek(4L << 30);
            f.write("tail".getBytes(StandardCharsets.US_ASCII));
        }
        NodeProcess.Result hash = NodeProcess.run(env(), "hash", big.toString());
        NodeProcess.Result put = NodeProcess.run(env(), "put", big.toString());

        assertThat(hash.exitCode()).as(hash.toString()).isZero();
        assertThat(put.exitCode()).as(put.toString()).isZero();
        assertThat(put.stdout()).isEqualTo(hash.stdout());
        assertThat(put.stderr()).contains("4.0 GiB");
    }

    @Test
    void aFullDiskDuringPutCopyFailsClearlyAndLeavesNothingBehind() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("small-disk"));
        Path file = tmp.resolve("big.bin");
        byte[] bytes = new byte[3 << 20];
        new Random(7).nextBytes(bytes);
        Files.write(file, bytes);
        String node = NodeProcess.repositoryRoot().resolve("node").toString();
        // A 1 MiB tmpfs in a private mount namespace: it disappears with the shell, nothing to clean.
        String script = "set -u; mount -t tmpfs -o size=1m tmpfs \"$1\" || exit 99; "
                + "\"$2\" --data-dir \"$1\" put --copy \"$3\"; echo \"exit=$?\"; "
                + "echo files:; find \"$1\" -type f | sort";
        List<String> command = "root".equals(System.getProperty("user.name"))
                ? List.of("unshare", "--mount", "sh", "-c", script, "sh", data.toString(), node, file.toString())
                : List.of("unshare", "--map-root-user", "--mount", "sh", "-c", script, "sh", data.toString(), node,
                        file.toString());
        NodeProcess.Result r = NodeProcess.runCommand(command, Map.of(), Duration.ofSeconds(120));

        assertThat(r.exitCode()).as("could not mount a small tmpfs: " + r).isNotEqualTo(99);
        assertThat(r.stdout()).as(r.toString()).contains("exit=" + ExitCode.DISK_FULL);
        assertThat(r.stderr()).containsIgnoringCase("no space left");
        String files = r.stdout().substring(r.stdout().indexOf("files:"));
        assertThat(files).as("only the identity key may remain: " + r).doesNotContain("/store/");
    }
}
