package io.pgmigrate.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.postgres.TableRef;
import org.junit.jupiter.api.Test;

class TableIndexTest {
    private static final TableRef TABLE = new TableRef("Sales \"EU\"", "Orders");

    @Test
    void theBuildIsANoOpWhereTheIndexExists() {
        TableIndex plain = new TableIndex(TABLE, 1, "orders_at_idx",
                "CREATE INDEX orders_at_idx ON \"Sales \"\"EU\"\"\".\"Orders\" USING btree (at) WHERE (at > now())",
                null, "it's big");
        assertThat(plain.commentStatement())
                .isEqualTo("COMMENT ON INDEX \"Sales \"\"EU\"\"\".\"orders_at_idx\" IS 'it''s big'");
        assertThat(plain.createStatement()).isEqualTo(
                "CREATE INDEX IF NOT EXISTS orders_at_idx ON \"Sales \"\"EU\"\"\".\"Orders\" USING btree (at) "
                        + "WHERE (at > now())");
        TableIndex unique = new TableIndex(TABLE, 2, "Orders_pkey",
                "CREATE UNIQUE INDEX \"Orders_pkey\" ON \"Sales \"\"EU\"\"\".\"Orders\" USING btree (id)",
                new TableIndex.Constraint(3, true, false, false), "the key");
        assertThat(unique.commentStatement())
                .isEqualTo("COMMENT ON CONSTRAINT \"Orders_pkey\" ON \"Sales \"\"EU\"\"\".\"Orders\" IS 'the key'");
        assertThat(unique.createStatement()).startsWith("CREATE UNIQUE INDEX IF NOT EXISTS \"Orders_pkey\" ON ");
    }

    @Test
    void constraintsAreAttachedToTheirIndexByName() {
        assertThat(new TableIndex(TABLE, 2, "Orders_pkey", "CREATE UNIQUE INDEX ...",
                new TableIndex.Constraint(3, true, false, false), null).attachClause())
                .isEqualTo("ADD CONSTRAINT \"Orders_pkey\" PRIMARY KEY USING INDEX \"Orders_pkey\"");
        assertThat(new TableIndex(TABLE, 4, "one code", "CREATE UNIQUE INDEX ...",
                new TableIndex.Constraint(5, false, true, true), null).attachClause())
                .isEqualTo("ADD CONSTRAINT \"one code\" UNIQUE USING INDEX \"one code\" DEFERRABLE INITIALLY DEFERRED");
    }
}
