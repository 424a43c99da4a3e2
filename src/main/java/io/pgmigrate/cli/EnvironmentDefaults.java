package io.pgmigrate.cli;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option can also be set by an environment variable: {@code --from-host} is read from
 * {@code PGMIGRATE_FROM_HOST}, {@code --dump-jobs} from {@code PGMIGRATE_DUMP_JOBS}, and so on. The command line
 * wins over the environment, the environment over the built-in default.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {
    private final Map<String, String> environment;
    private final Set<String> providedOptions = ConcurrentHashMap.newKeySet();

    public EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    public static String variableFor(String longOption) {
        return "PGMIGRATE_" + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        String value = environment.get(variableFor(option.longestName()));
        if (value == null || value.isEmpty()) {
            return null;
        }
        providedOptions.add(option.longestName());
        return value;
    }

    /** The long names of options whose value came from the environment. */
    public boolean provided(String longOption) {
        return providedOptions.contains(longOption);
    }
}
