package io.pgmigrate.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.Identifiers;
import io.pgmigrate.postgres.PostgresErrors;
import io.pgmigrate.postgres.Sql;
import io.pgmigrate.state.StateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a managed target ({@link ManagedTarget}): the memberships its login needs to restore objects owned by other
 * roles (CREATE DATABASE ... OWNER, ALTER ... OWNER TO, pg_restore --role, ALTER DEFAULT PRIVILEGES FOR ROLE, reading
 * their tables for the counts), granted with INHERIT and SET on 16+, where CREATEROLE alone gives the creator only
 * ADMIN OPTION. Only the memberships the login lacked are granted, and they are recorded in the state folder
 * <em>before</em> they are granted, then given back at the end of the run (success, failure or Ctrl-C), or by the
 * next run after a crash: the target's memberships end as the source's. On 16+ the REVOKE removes only the grant
 * the login made, not the ADMIN OPTION CREATEROLE gave it; a grant the login had made itself before the run (one
 * without INHERIT or SET, as createrole_self_grant may give) is the one the run's GRANT changes, so its options are
 * recorded and put back instead. {@code pg-migrate revert-settings} gives them back too, as the next run would, when
 * the crashed run is given up.
 */
public final class LoginMemberships {
    private static final Logger log = LoggerFactory.getLogger(LoginMemberships.class);
    static final String FILE = "login_memberships.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the state folder records: the login and the roles granted to it, present until they are given back;
     * {@code kept}: those of them whose grant by the login existed before the run, with its options then (16+).
     */
    public record Record(String login, List<String> roles, Map<String, Options> kept) {
        public Record {
            kept = kept == null ? Map.of() : kept;
        }
    }

    /** The INHERIT and SET options of a membership grant. */
    public record Options(boolean inherit, boolean set) {
    }

    private final Endpoint target;
    private final StateStore state;

    public LoginMemberships(Endpoint target, StateStore state) {
        this.target = target;
        this.state = state;
    }

    /** What the state folder records as granted and not given back yet. */
    public Optional<Record> recorded() {
        return state.readJson(FILE, Record.class);
    }

    /** Revokes what a crashed run left granted; what there was, if anything. */
    public Optional<Record> revokeLeftovers() throws SQLException {
        Optional<Record> left = recorded();
        if (left.isEmpty()) {
            return left;
        }
        log.info("revoking the {} membership(s) an earlier run granted to {} and did not give back",
                left.get().roles().size(), Identifiers.quote(left.get().login()));
        revoke();
        return left;
    }

    /**
     * Grants the login every role of the source it lacks on the target (each role of {@code source} that exists on
     * the target and is no superuser), after recording them.
     */
    void grant(Endpoint source) throws SQLException {
        List<String> roles;
        try (Connection s = Connections.open(source, source.database())) {
            roles = Sql.strings(s, "role_names");
        }
        try (Connection t = Connections.open(target, target.database())) {
            List<String> missing = new ArrayList<>();
            Map<String, Options> kept = new TreeMap<>();
            try (PreparedStatement ps = t.prepareStatement(Sql.get("login_missing_memberships"))) {
                ps.setString(1, json(roles));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        missing.add(rs.getString(1));
                        if (rs.getString(2) != null) {
                            kept.put(rs.getString(1), new Options(rs.getBoolean(2), rs.getBoolean(3)));
                        }
                    }
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            Optional<Record> earlier = recorded();
            List<String> recorded = new ArrayList<>(earlier.map(Record::roles).orElse(List.of()));
            missing.stream().filter(r -> !recorded.contains(r)).forEach(recorded::add);
            earlier.ifPresent(e -> { // what the grant was before the first run that changed it, or that it made it
                kept.keySet().removeIf(r -> e.roles().contains(r) && !e.kept().containsKey(r));
                kept.putAll(e.kept());
            });
            state.writeJson(FILE, new Record(target.user(), recorded, kept));
            boolean options = t.getMetaData().getDatabaseMajorVersion() >= 16;
            try (Statement st = t.createStatement()) {
                for (String role : missing) {
                    st.execute("GRANT " + Identifiers.quote(role) + " TO " + Identifiers.quote(target.user())
                            + (options ? " WITH INHERIT TRUE, SET TRUE" : ""));
                }
            }
            log.info("managed target: {} granted {} role(s) for the run (given back at its end): {}",
                    Identifiers.quote(target.user()), missing.size(), missing.stream().map(Identifiers::quote).toList());
        }
    }

    /**
     * Revokes every membership recorded, then forgets the record. A role dropped since is no longer a membership;
     * any other refusal leaves the record for the next run and is thrown.
     */
    void revoke() throws SQLException {
        Optional<Record> granted = recorded();
        if (granted.isEmpty()) {
            return;
        }
        String login = Identifiers.quote(granted.get().login());
        try (Connection t = Connections.open(target, target.database()); Statement st = t.createStatement()) {
            // 16+: only the login's own grant, whoever revokes (a superuser's REVOKE would name the bootstrap
            // superuser's, the ADMIN OPTION CREATEROLE gave)
            String grantor = t.getMetaData().getDatabaseMajorVersion() >= 16 ? " GRANTED BY " + login : "";
            for (String role : granted.get().roles()) {
                Options before = granted.get().kept().get(role);
                try {
                    st.execute(before == null ? "REVOKE " + Identifiers.quote(role) + " FROM " + login + grantor
                            : "GRANT " + Identifiers.quote(role) + " TO " + login + " WITH INHERIT " + before.inherit()
                            + ", SET " + before.set() + grantor);
                } catch (SQLException e) {
                    if (!"42704".equals(e.getSQLState())) { // undefined_object: the role is gone
                        throw e;
                    }
                    log.debug("role {} is gone: {}", role, PostgresErrors.oneLine(e));
                }
            }
        }
        state.deleteJson(FILE);
        log.info("managed target: gave back the {} membership(s) the run granted to {}", granted.get().roles().size(),
                login);
    }

    /** Names as a JSON array, the parameter of the queries that take a list of roles. */
    static String json(List<String> names) {
        try {
            return JSON.writeValueAsString(names);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
