package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.postgres.DelayedDdl;
import java.util.List;
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
            "3213; 0 0 COMMENT public CONSTRAINT orders_customer_fkey ON orders app",
            "3214; 0 0 COMMENT public CONSTRAINT orders_pkey ON orders app",
            "");
    private static final DelayedDdl.ForeignKey CUSTOMER_KEY = new DelayedDdl.ForeignKey(16420, "public", "orders",
            "orders_customer_fkey", "FOREIGN KEY (customer_id) REFERENCES customers(id)", "each order has one");

    @Test
    void commentsOutOnlyTheForeignKeysWithTheGivenOidsAndTheirComments() {
        String edited = RestoreList.withoutForeignKeys(LIST, List.of(CUSTOMER_KEY));
        assertThat(edited).contains(";3210; 2606 16420 FK CONSTRAINT public orders orders_customer_fkey app");
        assertThat(edited).contains(";3213; 0 0 COMMENT public CONSTRAINT orders_customer_fkey ON orders app");
        assertThat(edited).contains("\n3214; 0 0 COMMENT public CONSTRAINT orders_pkey ON orders app");
        assertThat(edited).contains("\n3211; 2606 16421 FK CONSTRAINT");
        assertThat(edited).contains("\n3212; 2606 16420 CONSTRAINT public orders orders_pkey app");
        assertThat(edited).contains("\n215; 1259 16385 TABLE");
        assertThat(RestoreList.countDisabled(edited)).as("foreign keys left out").isEqualTo(1);
    }

    @Test
    void commentsOutObjectsByCatalogAndOidNeverByName() {
        String list = String.join("\n",
                "215; 1259 16385 TABLE public orders app",
                "3300; 1259 16450 INDEX public \"1259 16385\" app",
                "3301; 1259 16385 INDEX public orders_at_idx app",
                "3302; 2606 16420 CONSTRAINT public orders orders_pkey app",
                "3303; 0 0 COMMENT public INDEX orders_at_idx app",
                "");
        String edited = RestoreList.without(list, Set.of(new RestoreList.CatalogObject(1259, 16450),
                new RestoreList.CatalogObject(2606, 16420)));
        assertThat(edited.lines()).containsExactly(
                "215; 1259 16385 TABLE public orders app",
                ";3300; 1259 16450 INDEX public \"1259 16385\" app",
                "3301; 1259 16385 INDEX public orders_at_idx app",
                ";3302; 2606 16420 CONSTRAINT public orders orders_pkey app",
                "3303; 0 0 COMMENT public INDEX orders_at_idx app",
                "");
    }

    @Test
    void aListCutAtHeldEntriesRestoresEachStretchAloneAndNeverTheHeldOnes() {
        String list = String.join("\n",
                "; Selected TOC Entries:",
                "214; 1259 16385 TABLE public Ev ent app",
                "3376; 0 0 COMMENT public TABLE \"Ev ent\" app",
                "215; 1259 16389 TABLE public ev_logged app",
                ";216; 1259 16390 TABLE public left_out app",
                "217; 1259 16401 TABLE public ev_sub app",
                "3212; 0 0 TABLE ATTACH public ev_logged app");
        RestoreList.CatalogObject parent = new RestoreList.CatalogObject(1259, 16385);
        RestoreList.CatalogObject sub = new RestoreList.CatalogObject(1259, 16401);
        List<RestoreList.Stretch> stretches = RestoreList.splitAt(list, Set.of(parent, sub));
        assertThat(stretches).extracting(RestoreList.Stretch::after).containsExactly(null, parent, sub);
        assertThat(stretches.get(0).list().lines().filter(l -> !l.startsWith(";"))).isEmpty();
        assertThat(stretches.get(1).list().lines().filter(l -> !l.startsWith(";"))).containsExactly(
                "3376; 0 0 COMMENT public TABLE \"Ev ent\" app", "215; 1259 16389 TABLE public ev_logged app");
        assertThat(stretches.get(2).list().lines().filter(l -> !l.startsWith(";"))).containsExactly(
                "3212; 0 0 TABLE ATTACH public ev_logged app");
        assertThat(stretches.get(2).list().lines()).contains(";216; 1259 16390 TABLE public left_out app")
                .doesNotContain(";;216; 1259 16390 TABLE public left_out app");
        assertThat(RestoreList.splitAt(list, Set.of())).containsExactly(new RestoreList.Stretch(null, list));
        assertThat(RestoreList.only(list, sub).lines().filter(l -> !l.startsWith(";")))
                .containsExactly("217; 1259 16401 TABLE public ev_sub app");
    }

    @Test
    void withinKeepsOnlyTheEntriesAnotherListSelectsByTheirNumber() {
        String list = String.join("\n", "214; 1259 16385 TABLE public t app", "3376; 0 0 COMMENT public TABLE t app",
                "3367; 0 16385 TABLE DATA public t app", "3216; 1259 16388 INDEX public t_idx app");
        String preData = String.join("\n", ";", "; Selected TOC Entries:", "214; 1259 16385 TABLE public t app",
                "3376; 0 0 COMMENT public TABLE t app");
        assertThat(RestoreList.within(list, preData).lines().filter(l -> !l.startsWith(";")))
                .containsExactly("214; 1259 16385 TABLE public t app", "3376; 0 0 COMMENT public TABLE t app");
    }

    @Test
    void nothingToLeaveOutLeavesTheListAlone() {
        assertThat(RestoreList.withoutForeignKeys(LIST, List.of())).isEqualTo(LIST + "\n");
    }

    /** As pg_restore 15 lists a dump holding an event trigger with a comment (checked against a real dump). */
    private static final String WITH_EVENT_TRIGGER = String.join("\n",
            ";",
            "; Selected TOC Entries:",
            ";",
            "215; 1255 16384 FUNCTION public f() postgres",
            "214; 1259 16386 TABLE public t postgres",
            "3348; 0 0 COMMENT public TABLE t postgres",
            "3350; 0 0 COMMENT public TRIGGER \"EVENT TRIGGER x\" ON t postgres",
            "3340; 0 16386 TABLE DATA public t postgres",
            "3351; 0 16390 MATERIALIZED VIEW DATA public mv postgres",
            "3197; 3466 16385 EVENT TRIGGER - odd; EVENT TRIGGER x postgres",
            "3349; 0 0 COMMENT - EVENT TRIGGER \"odd; EVENT TRIGGER x\" postgres",
            "3352; 0 0 SECURITY LABEL - EVENT TRIGGER \"odd; EVENT TRIGGER x\" postgres",
            "");

    @Test
    void eventTriggersAndWhatHangsOnThemAreHeldBackFromTheMainRestore() {
        assertThat(RestoreList.hasEventTriggers(WITH_EVENT_TRIGGER)).isTrue();
        assertThat(RestoreList.hasEventTriggers(LIST)).isFalse();
        String main = RestoreList.withoutEventTriggers(WITH_EVENT_TRIGGER);
        assertThat(main.lines().filter(l -> !l.startsWith(";") && !l.isBlank())).containsExactly(
                "215; 1255 16384 FUNCTION public f() postgres",
                "214; 1259 16386 TABLE public t postgres",
                "3348; 0 0 COMMENT public TABLE t postgres",
                "3350; 0 0 COMMENT public TRIGGER \"EVENT TRIGGER x\" ON t postgres",
                "3340; 0 16386 TABLE DATA public t postgres",
                "3351; 0 16390 MATERIALIZED VIEW DATA public mv postgres");
        assertThat(RestoreList.hasEventTriggers(main)).isFalse();
    }

    @Test
    void theLastRestoreHoldsOnlyTheEventTriggers() {
        String last = RestoreList.onlyEventTriggers(WITH_EVENT_TRIGGER);
        assertThat(last.lines().filter(l -> !l.startsWith(";") && !l.isBlank())).containsExactly(
                "3197; 3466 16385 EVENT TRIGGER - odd; EVENT TRIGGER x postgres",
                "3349; 0 0 COMMENT - EVENT TRIGGER \"odd; EVENT TRIGGER x\" postgres",
                "3352; 0 0 SECURITY LABEL - EVENT TRIGGER \"odd; EVENT TRIGGER x\" postgres");
    }

    @Test
    void heldBackForeignKeysAndEventTriggersCombine() {
        String both = RestoreList.withoutEventTriggers(RestoreList.withoutForeignKeys(LIST + WITH_EVENT_TRIGGER,
                List.of(CUSTOMER_KEY)));
        assertThat(both).contains(";3210; 2606 16420 FK CONSTRAINT").contains(";3197; 3466 16385 EVENT TRIGGER")
                .contains("\n3211; 2606 16421 FK CONSTRAINT");
    }

    @Test
    void onlyTableDataOfKeepsTheDataOfTheGivenTablesByTheirOids() {
        String list = String.join("\n", ";", "3348; 0 16385 TABLE DATA public t1 postgres",
                "3349; 0 16390 TABLE DATA public t 16385 x postgres", "3359; 0 0 SEQUENCE SET public t1_id_seq postgres",
                "3360; 0 13391 TABLE DATA information_schema sql_features postgres", "");
        String edited = RestoreList.onlyTableDataOf(list, Set.of(16385L));
        assertThat(edited).contains("\n3348; 0 16385 TABLE DATA public t1 postgres")
                .contains(";3349; 0 16390").contains(";3359; 0 0 SEQUENCE SET").contains(";3360; 0 13391");
        assertThat(RestoreList.countTableDataOf(list, Set.of(16385L, 16390L, 1L))).isEqualTo(2);
    }
}
