package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTypesTest {

    @ParameterizedTest
    @CsvSource({
        "notes.txt, text/plain",
        "README.md, text/markdown",
        "data.csv, text/csv",
        "config.json, application/json",
        "index.html, text/html",
        "logo.png, image/png",
        "photo.jpeg, image/jpeg",
        "photo.JPG, image/jpeg",
        "anim.gif, image/gif",
        "paper.pdf, application/pdf",
        "bundle.zip, application/zip",
        "backup.tar.gz, application/gzip",
        "backup.tar, application/x-tar",
        "movie.mp4, video/mp4",
        "song.mp3, audio/mpeg",
        "program.exe, application/octet-stream",
        "Makefile, application/octet-stream",
        ".txt, application/octet-stream",
        "trailing., application/octet-stream",
    })
    void guessesTheMediaTypeFromTheExtension(String fileName, String expected) {
        assertThat(MediaTypes.guess(fileName)).isEqualTo(expected);
    }

    @CsvSource({"a.txt", "a.md", "a.csv", "a.json", "a.html", "a.png", "a.jpg", "a.gif", "a.pdf",
        "a.zip", "a.gz", "a.tar", "a.mp4", "a.mp3", "a.bin"})
    @ParameterizedTest
    void everyGuessIsAValidManifestMediaType(String fileName) {
        NodeIdentity signer = NodeIdentity.generate();
        Manifest m = Manifest.sign(ContentId.of(new byte[32]), 0, fileName,
                MediaTypes.guess(fileName), 0, signer);
        assertThat(m.mediaType()).isEqualTo(MediaTypes.guess(fileName));
    }
}
