package io.pgmigrate.postgres;

import io.pgmigrate.ExitCode;
import io.pgmigrate.MigrationException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replay logic against a scripted fake connection; GlobalsReplayIT runs it against real servers. */
class GlobalsReplayerTest {

    /** A connection whose statements fail with the SQLState mapped to their text, and that records what ran. */
    private static final class FakeServer {
        final List<String> executed = new ArrayList<>();
        final Map<String, SQLException> errors;
        boolean autoCommit;

        FakeServer(boolean autoCommit, Map<String, SQLException> errors) {
            this.autoCommit = autoCommit;
            this.errors = errors;
        }

        Connection connection() {
            Statement statement = (Statement) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{Statement.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "execute" -> {
                            String sql = (String) args[0];
                            if (!autoCommit) {
                                throw new AssertionError("ran outside autocommit: " + sql);
                            }
                            executed.add(sql);
                            SQLException error = errors.get(sql);
                            if (error != null) {
                                throw error;
                            }
                            yield false;
                        }
                        case "setEscapeProcessing", "close" -> null;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "createStatement" -> statement;
                        case "getAutoCommit" -> autoCommit;
                        case "setAutoCommit" -> {
                            autoCommit = (Boolean) args[0];
                            yield null;
                        }
                        case "isClosed" -> false;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    private static PSQLException serverError(String sqlState, String message) {
        return new PSQLException(new ServerErrorMessage("SERROR\0VERROR\0C" + sqlState + "\0M" + message + "\0"));
    }

    @Test
    void countsExecutedAndAlreadyExistingAndCollectsOtherFailures() {
        String badAlter = "ALTER ROLE ghost WITH LOGIN PASSWORD 'SCRAM-SHA-256$4096:topsecret'";
        String badSyntax = "ALTER ROLE x PASSWORD 'md5leak' NONSENSE";
        FakeServer server = new FakeServer(true, Map.of(
                "CREATE ROLE app", serverError("42710", "role \"app\" already exists"),
                badAlter, serverError("42704", "role \"ghost\" does not exist"),
                badSyntax, serverError("42601", "syntax error at or near \"'md5leak'\"")));
        List<String> statements = List.of("CREATE ROLE app", "ALTER ROLE app WITH LOGIN PASSWORD 'md5aaa'",
                badAlter, badSyntax, "GRANT a TO b");

        GlobalsReplayer.Result result = new GlobalsReplayer(server.connection()).replay(statements);

        assertThat(server.executed).containsExactlyElementsOf(statements); // the ALTER after a failed CREATE runs
        assertThat(result.executed()).isEqualTo(2);
        assertThat(result.alreadyExisted()).isEqualTo(1);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.failures()).containsExactly(
                new GlobalsReplayer.Failure("ALTER ROLE ghost WITH LOGIN PASSWORD '***'", "42704",
                        "role \"ghost\" does not exist"),
                new GlobalsReplayer.Failure("ALTER ROLE x PASSWORD '***' NONSENSE", "42601",
                        "syntax error at or near \"'***'\""));
        assertThat(result.failures().toString()).doesNotContain("topsecret", "md5leak");
    }

    @Test
    void abbreviatesLongStatementsInFailures() {
        String longStatement = "COMMENT ON ROLE app IS '" + "x".repeat(300) + "'";
        FakeServer server = new FakeServer(true, Map.of(longStatement, serverError("42704", "role does not exist")));

        GlobalsReplayer.Result result = new GlobalsReplayer(server.connection()).replay(List.of(longStatement));

        assertThat(result.failures()).singleElement()
                .satisfies(f -> assertThat(f.statement()).hasSizeLessThanOrEqualTo(120).endsWith("..."));
    }

    @Test
    void runsInAutocommitAndRestoresTheCallersMode() {
        FakeServer server = new FakeServer(false, Map.of());

        GlobalsReplayer.Result result = new GlobalsReplayer(server.connection()).replay(List.of("SELECT 1"));

        assertThat(result).isEqualTo(new GlobalsReplayer.Result(1, 0, List.of()));
        assertThat(server.autoCommit).isFalse();
    }

    @Test
    void aBrokenConnectionStopsTheReplay() {
        FakeServer server = new FakeServer(true, Map.of("CREATE ROLE b",
                new PSQLException("An I/O error occurred while sending to the backend.",
                        org.postgresql.util.PSQLState.CONNECTION_FAILURE)));

        assertThatThrownBy(() -> new GlobalsReplayer(server.connection())
                .replay(List.of("CREATE ROLE a", "CREATE ROLE b", "CREATE ROLE c")))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("after 1 statement(s)")
                .extracting(e -> ((MigrationException) e).exitCode()).isEqualTo(ExitCode.CONNECTION);
        assertThat(server.executed).containsExactly("CREATE ROLE a", "CREATE ROLE b");
    }
}
