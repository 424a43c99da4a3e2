package io.pgmigrate.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.testbed.TcpKeepalive;
import io.pgmigrate.testbed.TestServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The tool's JDBC logins, against a real server. */
class ConnectionsIT {
    private final Endpoint server = TestServers.get(TestServers.TARGET_17).endpoint("target");

    /** As libpq's tools do, the tool's JDBC sessions take the user's PGOPTIONS, escapes included. */
    @Test
    void theUsersPgoptionsReachesTheJdbcSessions() throws SQLException {
        Properties withOptions = Connections.properties(server,
                Map.of("PGOPTIONS", "-c work_mem=5MB -c pgm_test.note=two\\ words"));
        assertThat(settings(withOptions)).isEqualTo("5MB|two words");

        Properties without = Connections.properties(server, Map.of("PGOPTIONS", " "));
        assertThat(without).doesNotContainKey("options");
        assertThat(settings(without)).isEqualTo("4MB|");
    }

    /**
     * A server that vanishes without closing the connection (a failed-over address, a dropped VPN) is noticed after
     * a minute of silence and a few probes, not after the system's two hours: the kernel's first probe of an idle
     * connection is due within {@link KeepAliveSocketFactory#IDLE_SECONDS}.
     */
    @Test
    void anIdleConnectionIsProbedWithinAMinute() throws Exception {
        try (Connection c = Connections.open(server, "postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT inet_client_port()")) {
            rs.next();
            assertThat(TcpKeepalive.secondsToProbe(rs.getInt(1), server.port()))
                    .isGreaterThan(KeepAliveSocketFactory.IDLE_SECONDS - 20)
                    .isLessThanOrEqualTo(KeepAliveSocketFactory.IDLE_SECONDS);
        }
    }

    private String settings(Properties properties) throws SQLException {
        try (Connection c = DriverManager.getConnection(Connections.url(server, "postgres"), properties);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('work_mem') || '|' "
                     + "|| coalesce(current_setting('pgm_test.note', true), '')")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
