package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RestoreListTest {
    private static final String LIST = String.join("\n",
            ";",
            "; Archive created at 2026-11-21 06:00:00 UTC",
            "215; 1259 16385 TABLE public orders app",
            "3210; 2606 16420 FK CONSTRAINT public orders orders_customer_fkey app",
            "3211; 2606 16421 FK CONSTRAINT public \"Odd 2606 16420\" x app",
            "3212; 2606 16420 CONSTRAINT public orders orders_pkey app",
            "");

    @Test
    void commentsOutOnlyTheForeignKeysWithTheGivenOids() {
        String edited = RestoreList.withoutForeignKeys(LIST, Set.of(16420L));
        assertThat(edited).contains(";3210; 2606 16420 FK CONSTRAINT public orders orders_customer_fkey app");
        assertThat(edited).contains("\n3211; 2606 16421 FK CONSTRAINT");
        assertThat(edited).contains("\n3212; 2606 16420 CONSTRAINT public orders orders_pkey app");
        assertThat(edited).contains("\n215; 1259 16385 TABLE");
        assertThat(RestoreList.countDisabled(edited)).isEqualTo(1);
    }

    @Test
    void nothingToLeaveOutLeavesTheListAlone() {
        assertThat(RestoreList.withoutForeignKeys(LIST, Set.of())).isEqualTo(LIST + "\n");
    }
}
