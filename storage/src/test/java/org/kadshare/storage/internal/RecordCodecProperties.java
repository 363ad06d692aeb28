package org.kadshare.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.kadshare.storage.AddMode;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.StorageFullException;

class RecordCodecProperties {
    private static final ContentId ID = ContentId.of(new byte[32]);
    private static final EntryRecord ENTRY = new EntryRecord(ID, 12345, AddMode.COPY, Path.of("/a/b.bin"),
            Path.of("/store/data/x"), new FileSnapshot(12345, Instant.ofEpochSecond(1_700_000_000, 123), "(dev=1,ino=2)"),
            false);

    @Property(tries = 200)
    void flippingAnyBitOfAnEntryRecordIsDetected(@ForAll @IntRange(min = 0, max = 10_000) int position,
            @ForAll @IntRange(min = 0, max = 7) int bit) {
        byte[] bytes = EntryRecordCodec.encode(ENTRY);
        bytes[position % bytes.length] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> EntryRecordCodec.decode(bytes, "record")).isInstanceOf(CorruptRecordException.class);
    }

    @Property(tries = 100)
    void truncatingAStateRecordIsDetected(@ForAll @IntRange(min = 0, max = 10_000) int keep) {
        LeafBitfield held = new LeafBitfield(37);
        held.set(3);
        byte[] bytes = PartialStateCodec.encode(ID, 37 * 16384L, held);
        byte[] truncated = java.util.Arrays.copyOf(bytes, keep % bytes.length);
        assertThatThrownBy(() -> PartialStateCodec.decode(truncated, ID, 37 * 16384L, 37, "state"))
                .isInstanceOf(CorruptRecordException.class);
    }

    @Property(tries = 100)
    void bitfieldSurvivesPackingAndRefusesBitsPastTheLastLeaf(@ForAll @LongRange(min = 1, max = 200) long leaves,
            @ForAll long seed) throws CorruptRecordException {
        LeafBitfield field = new LeafBitfield(leaves);
        java.util.Random random = new java.util.Random(seed);
        for (long i = 0; i < leaves; i++) {
            if (random.nextBoolean()) {
                field.set(i);
            }
        }
        byte[] packed = field.pack();
        LeafBitfield back = LeafBitfield.unpack(leaves, packed);
        for (long i = 0; i < leaves; i++) {
            assertThat(back.isHeld(i)).isEqualTo(field.isHeld(i));
        }
        if (leaves % 8 != 0) {
            packed[packed.length - 1] |= 1;
            assertThatThrownBy(() -> LeafBitfield.unpack(leaves, packed)).isInstanceOf(CorruptRecordException.class);
        }
    }

    @Property(tries = 1)
    void entryRecordRoundTrips() throws CorruptRecordException {
        assertThat(EntryRecordCodec.decode(EntryRecordCodec.encode(ENTRY), "record")).isEqualTo(ENTRY);
        assertThat(EntryRecordCodec.decode(EntryRecordCodec.encode(ENTRY.asStale()), "record").stale()).isTrue();
    }

    @Property(tries = 1)
    void stateRecordOfOtherLengthIsRefused() {
        byte[] bytes = PartialStateCodec.encode(ID, 100, new LeafBitfield(1));
        assertThatThrownBy(() -> PartialStateCodec.decode(bytes, ID, 101, 1, "state"))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("expected 101");
    }

    @Property(tries = 1)
    void noSpaceErrorsBecomeStorageFullAndOthersPassThrough() {
        IOException full = new java.nio.file.FileSystemException("/x", null, "No space left on device");
        assertThat(DiskErrors.classify(full, "writing x")).isInstanceOf(StorageFullException.class)
                .hasMessageContaining("writing x").hasMessageStartingWith("disk full: ").hasMessageContaining("/x")
                .satisfies(e -> assertThat(((StorageFullException) e).path()).isEqualTo(Path.of("/x")));
        IOException plain = new IOException("No space left on device");
        assertThat(((StorageFullException) DiskErrors.classify(plain, "writing y", Path.of("/d/y"))).path())
                .isEqualTo(Path.of("/d/y"));
        IOException other = new IOException("Input/output error");
        assertThat(DiskErrors.classify(other, "writing x")).isSameAs(other);
    }
}
