package io.pgmigrate.stream;

import static io.pgmigrate.stream.CopyTable.BinaryForm.BUILT_IN;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.postgres.TableRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyStatementsTest {
    private final CopyTable odd = new CopyTable(new TableRef("Sch \"1\".x", "Tab.le \"X\" é"),
            List.of("Id", "Wert \"v\""), 10, BUILT_IN);

    @Test
    void everyIdentifierIsQuotedAndTheColumnsAreListed() {
        assertThat(CopyStatements.copyOut(odd, false))
                .isEqualTo("COPY \"Sch \"\"1\"\".x\".\"Tab.le \"\"X\"\" é\" (\"Id\", \"Wert \"\"v\"\"\") TO STDOUT");
        assertThat(CopyStatements.copyIn(odd, false, true))
                .isEqualTo("COPY \"Sch \"\"1\"\".x\".\"Tab.le \"\"X\"\" é\" (\"Id\", \"Wert \"\"v\"\"\") FROM STDIN "
                        + "WITH (FREEZE)");
        assertThat(CopyStatements.truncate(odd)).isEqualTo("TRUNCATE ONLY \"Sch \"\"1\"\".x\".\"Tab.le \"\"X\"\" é\"");
    }

    @Test
    void binaryAndFreezeOptions() {
        CopyTable t = new CopyTable(new TableRef("public", "t"), List.of("a"), 1, BUILT_IN);
        assertThat(CopyStatements.copyOut(t, true)).isEqualTo("COPY \"public\".\"t\" (\"a\") TO STDOUT WITH (FORMAT binary)");
        assertThat(CopyStatements.copyIn(t, true, true))
                .isEqualTo("COPY \"public\".\"t\" (\"a\") FROM STDIN WITH (FORMAT binary, FREEZE)");
        assertThat(CopyStatements.copyIn(t, true, false)).isEqualTo("COPY \"public\".\"t\" (\"a\") FROM STDIN WITH (FORMAT binary)");
        assertThat(CopyStatements.copyIn(t, false, false)).isEqualTo("COPY \"public\".\"t\" (\"a\") FROM STDIN");
    }

    @Test
    void aTableWithoutColumnsIsCopiedWithoutAColumnList() {
        CopyTable t = new CopyTable(new TableRef("public", "empty"), List.of(), 0, BUILT_IN);
        assertThat(CopyStatements.copyOut(t, false)).isEqualTo("COPY \"public\".\"empty\" TO STDOUT");
        assertThat(CopyStatements.copyIn(t, false, true)).isEqualTo("COPY \"public\".\"empty\" FROM STDIN WITH (FREEZE)");
    }
}
