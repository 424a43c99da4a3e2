package io.pgmigrate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ExtensionOwnersTest {
    private static ExtensionOwners.Owned owned(String name, boolean superuser, boolean canCreate) {
        return new ExtensionOwners.Owned(16400, name, name, "app", superuser, canCreate);
    }

    @Test
    void aSuperuserCreatesAnyExtensionAnotherRoleATrustedOneWhereItMayCreate() {
        Set<String> trusted = Set.of("pgcrypto");
        assertThat(owned("postgres_fdw", true, false).creatableByOwner(trusted)).isTrue();
        assertThat(owned("pgcrypto", false, true).creatableByOwner(trusted)).isTrue();
        assertThat(owned("pgcrypto", false, false).creatableByOwner(trusted)).as("no CREATE on the database").isFalse();
        assertThat(owned("postgres_fdw", false, true).creatableByOwner(trusted)).as("not trusted").isFalse();
        assertThat(owned("pgcrypto", false, true).creatableByOwner(Set.of())).as("a target before 13").isFalse();
    }

    @Test
    void anExtensionIsNamedInTheListByPgExtensionAndItsOid() {
        assertThat(owned("pgcrypto", false, true).entry()).isEqualTo(new RestoreList.CatalogObject(3079, 16400));
    }
}
