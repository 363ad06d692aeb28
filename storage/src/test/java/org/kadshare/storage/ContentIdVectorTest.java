package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test vector published in docs/PROTOCOL.md, checked against the hasher and the reference. */
class ContentIdVectorTest {
    static final String EMPTY_ID = "c0e50f0d90d6e2fea1e6f53d4f758ed5fc9035a399a8eb215c29c6ff3ea05425";
    static final String ABC_ID = "5c170547d40533fb44a0c4874b2977285d519c9e8129f7733c364d97cf2cabd6";
    static final String MOD251_ID = "fa4655a35e285fba066a98e26e826a7e0030e0da101770a650cc6a4b42dc7cf6";

    private static ContentHasher hasher;

    @BeforeAll
    static void startHasher() {
        hasher = new ContentHasher(2);
    }

    @AfterAll
    static void stopHasher() {
        hasher.close();
    }

    static byte[] mod251() {
        byte[] data = new byte[40000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251);
        }
        return data;
    }

    @Test
    void emptyFileHasThePublishedId() {
        assertVector(new byte[0], EMPTY_ID);
    }

    @Test
    void abcHasThePublishedId() {
        assertVector("abc".getBytes(StandardCharsets.US_ASCII), ABC_ID);
    }

    @Test
    void fortyThousandBytesModulo251HaveThePublishedId() {
        assertVector(mod251(), MOD251_ID);
    }

    private static void assertVector(byte[] data, String expectedHex) {
        assertThat(ContentId.of(ReferenceContentId.id(data)).toHex()).isEqualTo(expectedHex);
        assertThat(hasher.hash(data).contentId()).isEqualTo(ContentId.parse(expectedHex));
    }
}
