package io.pgmigrate.verify;

import io.pgmigrate.config.Endpoint;
import io.pgmigrate.postgres.Catalog;
import io.pgmigrate.postgres.Connections;
import io.pgmigrate.postgres.SharedConnection;
import io.pgmigrate.postgres.DatabaseProperties;
import io.pgmigrate.postgres.Sql;
import io.pgmigrate.postgres.TableRef;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Proves a target equal to its source: the global objects, each database's properties and objects, and the rows
 * of every table (exact counts, or checksums of every row). Table queries run on the shared count executor, so
 * {@code --verify-concurrency} bounds them across databases and servers.
 */
public final class Verifier implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Endpoint source;
    private final Endpoint target;
    private final Connections connections;
    private final ExecutorService executor;
    private final RowCheck rowCheck;
    private final boolean checksums;
    /** Each database's properties are read in the maintenance databases: one login for them all, on each server. */
    private final SharedConnection sourceMaintenance;
    private final SharedConnection targetMaintenance;
    private Set<String> sourceRoles;
    private final List<String> notCompared = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Verifier(Endpoint source, Endpoint target, Connections connections, ExecutorService executor,
                    RowCheck rowCheck) {
        this.source = source;
        this.target = target;
        this.connections = connections;
        this.executor = executor;
        this.rowCheck = rowCheck;
        this.checksums = rowCheck == RowCheck.CHECKSUM;
        this.sourceMaintenance = new SharedConnection(source);
        this.targetMaintenance = new SharedConnection(target);
    }

    @Override
    public void close() {
        sourceMaintenance.close();
        targetMaintenance.close();
    }

    /**
     * Roles, memberships and role settings; the target's own login role (never migrated) and roles that exist only
     * on the target are left out ({@link GlobalObjects#comparable}). Memberships are compared grant by grant, with
     * their INHERIT and SET options, when both servers are 16 or later. A password the source keeps in plain text is
     * the same as the target's when the target's hash is a hash of it.
     */
    public List<Difference> globals() throws SQLException {
        try (Connection s = Connections.open(source, source.database());
             Connection t = Connections.open(target, target.database())) {
            boolean grants = Math.min(s.getMetaData().getDatabaseMajorVersion(),
                    t.getMetaData().getDatabaseMajorVersion()) >= 16;
            TableChecksum.pin(s);
            TableChecksum.pin(t);
            boolean passwords = superuser(s) && superuser(t);
            GlobalObjects sourceGlobals = GlobalObjects.read(s, grants, passwords);
            GlobalObjects targetGlobals = GlobalObjects.read(t, grants, passwords);
            targetGlobals.matchPlainTextOf(sourceGlobals);
            String own = quoteIdent(t, target.user());
            String bootstrap = quoteIdent(t, Sql.strings(t, "bootstrap_superuser").get(0));
            Set<String> targetOnly = new HashSet<>(targetGlobals.roles());
            targetOnly.removeAll(sourceGlobals.roles());
            if (!passwords) {
                notCompared.add("the roles' passwords: the " + (superuser(t) ? "source" : "target") + " login is not "
                        + "a superuser, and only a superuser may read the stored passwords (pg_authid)");
            }
            boolean ownMemberships = superuser(t);
            if (!ownMemberships) {
                notCompared.add("the memberships of the target login " + own + ": it is not a superuser, so it holds "
                        + "the roles whose objects it restores until the run ends, and from 16 on keeps the ADMIN "
                        + "OPTION that CREATEROLE gives it on each role it creates");
            }
            byte[] key = passwords ? key() : null;
            return Descriptions.compare(sourceGlobals.comparable(own, bootstrap, targetOnly, key, ownMemberships),
                    targetGlobals.comparable(own, bootstrap, targetOnly, key, ownMemberships));
        }
    }

    /** What {@link #globals()} could not compare, each said in the report: never counted as equal. */
    public List<String> notCompared() {
        return List.copyOf(notCompared);
    }

    private static boolean superuser(Connection c) throws SQLException {
        return Sql.strings(c, "login_is_superuser").get(0).equals("true");
    }

    /** A role name as the server's quote_ident writes it, as the global objects name roles. */
    private static String quoteIdent(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT quote_ident(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** A random key of one comparison's (of the globals, or of one database's objects), kept in memory only. */
    private static byte[] key() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** {@link #key()} as the hex text the catalog queries take. */
    private static String salt() {
        return HexFormat.of().formatHex(key());
    }

    /** Everything of one database; {@code ignoredTables} (keys) are left out of the row comparison. */
    public DatabaseVerdict database(String database, Set<String> ignoredTables)
            throws SQLException, InterruptedException {
        List<Difference> differences = new ArrayList<>();
        // ALTER ROLE ... IN DATABASE of a role only on the target is the target's own business, as its other settings
        Set<String> sourceRoles = sourceRoles();
        Map<String, String> sourceProperties = sourceMaintenance.use(c -> properties(c, database, role -> true));
        Map<String, String> targetProperties = targetMaintenance.use(c -> properties(c, database,
                sourceRoles::contains));
        int sourceVersion = version(source, database);
        int targetVersion = version(target, database);
        int floatDigits = CatalogSnapshot.floatDigits(sourceVersion, targetVersion);
        String salt = salt();
        Unreadable sourceUnreadable = unreadable(source, database, "source");
        Unreadable targetUnreadable = unreadable(target, database, "target");
        Map<String, String> sourceObjects = objects(source, database, sourceVersion, floatDigits, salt,
                sourceUnreadable);
        Map<String, String> targetObjects = objects(target, database, targetVersion, floatDigits, salt,
                targetUnreadable);
        if (targetVersion >= 160000) {
            try (Connection c = connections.pooled(target, database)) {
                IcuLocales.asTargetKeeps(c, sourceProperties, targetProperties);
                IcuLocales.asTargetKeeps(c, sourceObjects, targetObjects);
            }
        }
        differences.addAll(Descriptions.compare(sourceProperties, targetProperties));
        boolean withoutMaintain = Math.min(sourceVersion, targetVersion) < 170000;
        differences.addAll(Descriptions.compare(sourceObjects, targetObjects, withoutMaintain));

        List<TableRef> tables;
        try (Connection c = connections.pooled(source, database)) {
            tables = new ArrayList<>(new Catalog(c).tables().keySet());
        }
        tables.removeIf(t -> ignoredTables.contains(t.key()));
        if (rowCheck == RowCheck.NONE) {
            tables.clear();
        }
        List<String> names = displayNames(database, tables);
        List<Future<String>> sourceSums = submit(source, database, tables, names, sourceUnreadable);
        List<Future<String>> targetSums = submit(target, database, tables, names, targetUnreadable);
        String kind = checksums ? "rows" : "row count";
        long rows = 0;
        for (int i = 0; i < tables.size(); i++) {
            String s = get(sourceSums.get(i));
            String t = get(targetSums.get(i));
            String name = names.get(i);
            if (sourceUnreadable.contains(name) || targetUnreadable.contains(name)) {
                differences.add(new Difference(kind, name, sourceUnreadable.contains(name)
                        ? sourceUnreadable.notCompared("tables") : describe(s), targetUnreadable.contains(name)
                        ? targetUnreadable.notCompared("tables") : describe(t)));
                continue;
            }
            if (s == null) { // listed above, dropped on the source since: its rows cannot be compared
                differences.add(new Difference(kind, names.get(i), "dropped during the verification", describe(t)));
                continue;
            }
            rows += Long.parseLong(s.substring(0, s.indexOf(':') < 0 ? s.length() : s.indexOf(':')));
            if (!s.equals(t)) {
                differences.add(new Difference(kind, names.get(i), describe(s), describe(t)));
            }
        }
        return new DatabaseVerdict(database, sourceObjects.size(), tables.size(), rows, rowCheck, differences);
    }

    /** Table names as quote_ident writes them, like every other name in a report. */
    private List<String> displayNames(String database, List<TableRef> tables) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connections.pooled(source, database);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT format('%I.%I', s, t) FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS u(s, t, i) ORDER BY i")) {
            ps.setArray(1, c.createArrayOf("text", tables.stream().map(TableRef::schema).toArray()));
            ps.setArray(2, c.createArrayOf("text", tables.stream().map(TableRef::name).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** A table's count or checksum for the report; null (no such table) stays null. */
    private String describe(String result) {
        if (result == null) {
            return null;
        }
        if (!checksums) {
            return result + " rows";
        }
        return result.substring(0, result.indexOf(':')) + " rows, checksum "
                + String.format("%08x", result.hashCode());
    }

    /** Each table's count or checksum on {@code server}; null for one it cannot read (a standby's unlogged one). */
    private List<Future<String>> submit(Endpoint server, String database, List<TableRef> tables, List<String> names,
                                        Unreadable unreadable) {
        List<Future<String>> out = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            TableRef table = tables.get(i);
            if (unreadable.contains(names.get(i))) {
                out.add(CompletableFuture.completedFuture(null));
                continue;
            }
            Callable<String> task = () -> {
                try (Connection c = connections.pooled(server, database)) {
                    if (!checksums) {
                        return Long.toString(count(c, table));
                    }
                    TableChecksum.pin(c);
                    return TableChecksum.of(c, table);
                } catch (SQLException e) {
                    if ("42P01".equals(e.getSQLState())) {
                        return null; // no such table on this side
                    }
                    throw e;
                }
            };
            out.add(executor.submit(task));
        }
        return out;
    }

    private static long count(Connection c, TableRef table) throws SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM ONLY "
                + io.pgmigrate.postgres.Identifiers.quote(table.schema()) + "."
                + io.pgmigrate.postgres.Identifiers.quote(table.name()))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String get(Future<String> f) throws SQLException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private int version(Endpoint server, String database) throws SQLException {
        try (Connection c = connections.pooled(server, database);
             var st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version_num")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Map<String, String> objects(Endpoint server, String database, int version, int floatDigits, String salt,
                                        Unreadable unreadable) throws SQLException {
        try (Connection c = connections.pooled(server, database)) {
            TableChecksum.pin(c);
            return CatalogSnapshot.of(c, version, floatDigits, salt, unreadable, superuser(c));
        }
    }

    private Unreadable unreadable(Endpoint server, String database, String side) throws SQLException {
        try (Connection c = connections.pooled(server, database)) {
            return Unreadable.of(c, side);
        }
    }

    /** The source's roles (names as stored), read once. */
    private synchronized Set<String> sourceRoles() throws SQLException {
        if (sourceRoles == null) {
            sourceRoles = sourceMaintenance.use(c -> Set.copyOf(Sql.strings(c, "role_names")));
        }
        return sourceRoles;
    }

    /**
     * Encoding, locale, owner, connection limit, comment, privileges and settings of a database; of the
     * {@code ALTER ROLE ... IN DATABASE} settings, those of the roles {@code compared} accepts.
     */
    private static Map<String, String> properties(Connection c, String database, Predicate<String> compared)
            throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(Sql.get("database_description"))) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    out.put(Descriptions.key("database", "exists"), "no");
                    return out;
                }
                out.put(Descriptions.key("database", "exists"), "yes");
                out.put(Descriptions.key("database", "encoding"), rs.getString("encoding"));
                out.put(Descriptions.key("database", "collation"), rs.getString("datcollate"));
                out.put(Descriptions.key("database", "ctype"), rs.getString("datctype"));
                out.put(Descriptions.key("database", "owner"), rs.getString("owner"));
                String provider = rs.getString("locale_provider");
                if (provider != null && !provider.equals("c")) {
                    out.put(Descriptions.key("database", "locale provider"), provider + " "
                            + rs.getString("icu_locale"));
                }
            }
        }
        DatabaseProperties p = DatabaseProperties.read(c, database);
        out.put(Descriptions.key("database", "connection limit"), Integer.toString(p.connectionLimit()));
        out.put(Descriptions.key("database", "template"), Boolean.toString(p.template()));
        if (p.comment() != null) {
            out.put(Descriptions.key("database", "comment"), p.comment());
        }
        p.grants().forEach(g -> out.put(Descriptions.key("database privilege",
                (g.grantee() == null ? "PUBLIC" : g.grantee()) + " " + g.privilege() + " by " + g.grantor()),
                g.grantable() ? "with grant option" : "granted"));
        p.settings().stream().filter(s -> s.role() == null || compared.test(s.role()))
                .forEach(s -> out.put(Descriptions.key("database setting",
                        (s.role() == null ? "" : "role " + s.role() + ": ") + s.name()), s.value()));
        return out;
    }
}
