package dev.harp.cli;

import dev.harp.Mode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads the command line into a {@link HarpCommand} from a table written in code. The flags are also declared as
 * picocli annotations on {@link HarpCommand}, which render {@code --help}; {@code CliFlagsTest} keeps the two in step
 * (names, switches, repeatable flags, and the value each flag produces).
 *
 * <p>Why not picocli for parsing too: building its model from the annotations is reflection-heavy work that took
 * 75-190 ms of a CLI start measured at 550 ms (issue 17 asks for under 400 ms), while this table reads the same flags in
 * well under a millisecond. picocli still renders the help, which is read by people, not timed.
 *
 * <p>Accepted forms: {@code --flag value}, {@code --flag=value}, a switch alone ({@code --ignore-body}), repeatable
 * flags given several times or with comma-separated values, {@code -v} for {@code --verbose}, and {@code --} before
 * nothing (Harp takes no positional arguments).
 */
final class Flags {
    /** How a flag's value lands in the command. */
    private record Flag(String name, boolean takesValue, boolean repeatable, BiConsumer<HarpCommand, String> apply) {
    }

    private static final Map<String, Flag> TABLE = new LinkedHashMap<>();

    static {
        value("--mode", (c, v) -> c.mode = mode(v));
        value("--har", (c, v) -> c.har = path("--har", v));
        value("--port", (c, v) -> c.port = integer("--port", v));
        value("--bind", (c, v) -> c.bind = v);
        value("--upstream", (c, v) -> c.upstream = uri("--upstream", v));
        value("--ca-dir", (c, v) -> c.caDir = path("--ca-dir", v));
        value("--export-ca", (c, v) -> c.exportCa = path("--export-ca", v));
        toggle("--insecure-upstream", c -> c.insecureUpstream = true);
        value("--upstream-trust", (c, v) -> c.upstreamTrust = path("--upstream-trust", v));
        list("--no-intercept", c -> c.noIntercept);
        list("--ignore-query-param", c -> c.ignoreQueryParams);
        list("--ignore-json-path", c -> c.ignoreJsonPaths);
        list("--match-header", c -> c.matchHeaders);
        toggle("--ignore-body", c -> c.ignoreBody = true);
        repeated("--host-alias", (c, v) -> c.hostAliases.add(v)); // not split: one alias per flag
        value("--sequence", (c, v) -> c.sequence = v);
        value("--latency", (c, v) -> c.latency = v);
        list("--redact", c -> c.redact);
        toggle("--no-redact", c -> c.noRedact = true);
        list("--keep-value", c -> c.keepValues);
        value("--scan-secrets", (c, v) -> c.scanSecrets = path("--scan-secrets", v));
        value("--lint", (c, v) -> c.lint = path("--lint", v));
        value("--capture-limit", (c, v) -> c.captureLimit = longValue("--capture-limit", v));
        value("--upstream-connect-timeout", (c, v) -> c.upstreamConnectTimeout = longValue("--upstream-connect-timeout", v));
        value("--upstream-response-timeout",
                (c, v) -> c.upstreamResponseTimeout = longValue("--upstream-response-timeout", v));
        value("--idle-timeout", (c, v) -> c.idleTimeout = longValue("--idle-timeout", v));
        value("--request-timeout", (c, v) -> c.requestTimeout = longValue("--request-timeout", v));
        value("--handshake-timeout", (c, v) -> c.handshakeTimeout = longValue("--handshake-timeout", v));
        value("--max-connections", (c, v) -> c.maxConnections = integer("--max-connections", v));
        value("--max-header-size", (c, v) -> c.maxHeaderSize = integer("--max-header-size", v));
        value("--proxy-auth", (c, v) -> c.proxyAuth = v);
        value("--usage-dir", (c, v) -> c.usageDir = path("--usage-dir", v));
        toggle("--verbose", c -> c.verbose = true);
        TABLE.put("-v", TABLE.get("--verbose"));
    }

    /** A flag the command line does not know, a missing or bad value: the message says which. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private Flags() {
    }

    /** Whether the arguments ask for the help or the version (then nothing else is read). */
    static boolean asksForHelpOrVersion(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version")) {
                return true;
            }
            Flag flag = TABLE.get(arg);
            if (flag != null && flag.takesValue()) {
                i++; // its value, whatever it looks like (--proxy-auth -h:secret)
            }
        }
        return false;
    }

    /** Every flag of the table, long and short names (for the test that keeps it in step with the annotations). */
    static List<String> names() {
        return List.copyOf(TABLE.keySet());
    }

    /** Whether the flag takes a value (false for a switch). */
    static boolean takesValue(String name) {
        return TABLE.get(name).takesValue();
    }

    /**
     * Reads the arguments into {@code command}.
     *
     * @throws UsageException naming the flag or argument that is wrong
     */
    static void parse(String[] args, HarpCommand command) throws UsageException {
        java.util.Set<Flag> given = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                if (i + 1 < args.length) {
                    throw new UsageException("unexpected argument '" + args[i + 1] + "': Harp takes only flags");
                }
                return;
            }
            int equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = equals > 0 ? arg.substring(0, equals) : arg;
            Flag flag = TABLE.get(name);
            if (flag == null) {
                throw new UsageException(arg.startsWith("-") ? "unknown option '" + name + "'"
                        : "unexpected argument '" + arg + "': Harp takes only flags");
            }
            if (!flag.repeatable() && !given.add(flag)) {
                throw new UsageException("option '" + name + "' should be given only once");
            }
            if (!flag.takesValue()) {
                if (equals > 0) {
                    throw new UsageException("option '" + name + "' takes no value");
                }
                flag.apply().accept(command, null);
                continue;
            }
            String value;
            if (equals > 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length && !TABLE.containsKey(args[i + 1])) {
                value = args[++i];
            } else if (i + 1 < args.length) {
                throw new UsageException("option '" + name + "' needs a value, but '" + args[i + 1] + "' follows it");
            } else {
                throw new UsageException("option '" + name + "' needs a value");
            }
            try {
                flag.apply().accept(command, value);
            } catch (BadValue e) {
                throw new UsageException(e.getMessage());
            }
        }
    }

    private static void value(String name, BiConsumer<HarpCommand, String> apply) {
        TABLE.put(name, new Flag(name, true, false, apply));
    }

    /** A repeatable flag whose every occurrence adds its value as it is. */
    private static void repeated(String name, BiConsumer<HarpCommand, String> apply) {
        TABLE.put(name, new Flag(name, true, true, apply));
    }

    private static void toggle(String name, Consumer<HarpCommand> apply) {
        TABLE.put(name, new Flag(name, false, false, (c, v) -> apply.accept(c)));
    }

    /** A repeatable flag: each occurrence adds its comma-separated values. */
    private static void list(String name, Function<HarpCommand, List<String>> list) {
        TABLE.put(name, new Flag(name, true, true, (c, v) -> {
            for (String part : v.split(",", -1)) {
                list.apply(c).add(part);
            }
        }));
    }

    /** A value that does not fit its flag; turned into a {@link UsageException} by {@link #parse}. */
    private static final class BadValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadValue(String flag, String value, String expected) {
            super("invalid value for option '" + flag + "': '" + value + "' is not " + expected);
        }
    }

    private static Mode mode(String value) {
        try {
            return Mode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BadValue("--mode", value, "one of record, replay, auto or passthrough");
        }
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadValue(flag, value, "a whole number");
        }
    }

    private static long longValue(String flag, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new BadValue(flag, value, "a whole number");
        }
    }

    private static Path path(String flag, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new BadValue(flag, value, "a valid path (" + e.getReason() + ")");
        }
    }

    private static URI uri(String flag, String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new BadValue(flag, value, "a URL (" + e.getReason() + ")");
        }
    }
}
