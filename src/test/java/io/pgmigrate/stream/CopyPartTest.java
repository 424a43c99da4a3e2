package io.pgmigrate.stream;

import static io.pgmigrate.stream.CopyTable.BinaryForm.BUILT_IN;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.postgres.TableRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyPartTest {
    private static CopyTable table(long min, long max) {
        return new CopyTable(new TableRef("public", "events"), List.of("id", "v"), 300L << 20, BUILT_IN,
                new CopyTable.KeyBounds("id", min, max));
    }

    @Test
    void equalKeyRangesWithOpenEnds() {
        List<CopyPart> parts = CopyPart.split(table(1, 1_000_000), 4);
        assertThat(parts).extracting(CopyPart::lo).containsExactly(null, 250_001L, 500_001L, 750_001L);
        assertThat(parts).extracting(CopyPart::hi).containsExactly(250_001L, 500_001L, 750_001L, null);
        assertThat(parts).extracting(CopyPart::count).containsOnly(4);
        assertThat(parts.get(1).label()).isEqualTo("\"public\".\"events\" part 2/4");
        assertThat(parts.get(1).bytes()).isEqualTo((300L << 20) / 4);
    }

    @Test
    void neverMorePartsThanKeyValues() {
        assertThat(CopyPart.split(table(5, 7), 10)).extracting(CopyPart::lo).containsExactly(null, 6L, 7L);
        assertThat(CopyPart.split(table(5, 5), 10)).containsExactly(CopyPart.whole(table(5, 5)));
    }

    @Test
    void theWholeLongRangeWithoutOverflow() {
        List<CopyPart> parts = CopyPart.split(table(Long.MIN_VALUE, Long.MAX_VALUE), 3);
        assertThat(parts).hasSize(3);
        assertThat(parts.get(0).lo()).isNull();
        assertThat(parts.get(2).hi()).isNull();
        assertThat(parts.get(1).lo()).isLessThan(parts.get(1).hi());
    }

    @Test
    void noBoundsOrOnePartIsTheWholeTable() {
        CopyTable plain = new CopyTable(new TableRef("public", "t"), List.of("a"), 1, BUILT_IN);
        assertThat(CopyPart.split(plain, 8)).containsExactly(CopyPart.whole(plain));
        assertThat(CopyPart.split(table(1, 100), 1)).hasSize(1).allMatch(CopyPart::isWhole);
    }

    @Test
    void aPartReadsItsRangeOnly() {
        List<CopyPart> parts = CopyPart.split(new CopyTable(new TableRef("S", "t \"1\""), List.of("Id", "v"), 1,
                BUILT_IN,
                new CopyTable.KeyBounds("Id", -10, 9)), 2);
        assertThat(CopyStatements.copyOut(parts.get(0), true)).isEqualTo("COPY (SELECT \"Id\", \"v\" FROM ONLY "
                + "\"S\".\"t \"\"1\"\"\" WHERE \"Id\" < 0) TO STDOUT WITH (FORMAT binary)");
        assertThat(CopyStatements.copyOut(parts.get(1), false)).isEqualTo("COPY (SELECT \"Id\", \"v\" FROM ONLY "
                + "\"S\".\"t \"\"1\"\"\" WHERE \"Id\" >= 0) TO STDOUT");
    }

    private static CopyTable blocks(long count) {
        return new CopyTable(new TableRef("Sales", "big \"Log\""), List.of("At", "v"), 300L << 20, BUILT_IN,
                new CopyTable.BlockBounds(count));
    }

    @Test
    void equalBlockRangesFromBlockZeroWithAnOpenEnd() {
        List<CopyPart> parts = CopyPart.split(blocks(1000), 4);
        assertThat(parts).extracting(CopyPart::lo).containsExactly(null, 250L, 500L, 750L);
        assertThat(parts).extracting(CopyPart::hi).containsExactly(250L, 500L, 750L, null);
        // blocks that do not divide evenly: the cuts still lie inside the table, every block in one range
        assertThat(CopyPart.split(blocks(10), 4)).extracting(CopyPart::lo).containsExactly(null, 3L, 6L, 9L);
        assertThat(CopyPart.split(blocks(3), 8)).extracting(CopyPart::hi).containsExactly(1L, 2L, null);
    }

    @Test
    void anEmptyOrOneBlockTableIsWhole() {
        assertThat(CopyPart.split(blocks(0), 4)).containsExactly(CopyPart.whole(blocks(0)));
        assertThat(CopyPart.split(blocks(1), 4)).containsExactly(CopyPart.whole(blocks(1)));
    }

    @Test
    void aBlockRangeReadsItsTidsOnly() {
        List<CopyPart> parts = CopyPart.split(blocks(4_294_967_295L), 3);
        String select = "COPY (SELECT \"At\", \"v\" FROM ONLY \"Sales\".\"big \"\"Log\"\"\" WHERE ";
        assertThat(CopyStatements.copyOut(parts.get(0), true))
                .isEqualTo(select + "ctid < '(1431655765,0)'::tid) TO STDOUT WITH (FORMAT binary)");
        assertThat(CopyStatements.copyOut(parts.get(1), false)).isEqualTo(select
                + "ctid >= '(1431655765,0)'::tid AND ctid < '(2863311530,0)'::tid) TO STDOUT");
        assertThat(CopyStatements.copyOut(parts.get(2), false))
                .isEqualTo(select + "ctid >= '(2863311530,0)'::tid) TO STDOUT");
    }
}
