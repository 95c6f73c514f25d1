package dev.harp.junit;

import dev.harp.Mode;
import dev.harp.ProxyAuth;
import dev.harp.replay.Latency;
import dev.harp.replay.MatchOptions;

import java.util.List;
import java.util.Objects;

/**
 * The options of one {@link Harp @Harp} or one {@link HarpExtension.Builder}, immutable. The fields that shape the
 * proxy itself are grouped in {@link ProxyOptions}: tests whose proxy options are equal can share one proxy.
 */
final class HarpOptions {
    private static final HarpOptions DEFAULTS = HarpExtension.builder().options();

    private final String har;
    private final String directory;
    private final Mode mode;
    private final boolean failOnMiss;
    private final boolean failOnUnused;
    private final ProxyOptions proxy;

    HarpOptions(String har, String directory, Mode mode, boolean failOnMiss, boolean failOnUnused, ProxyOptions proxy) {
        this.har = Objects.requireNonNull(har, "har").trim();
        this.directory = Objects.requireNonNull(directory, "directory").trim();
        this.mode = Objects.requireNonNull(mode, "mode");
        this.failOnMiss = failOnMiss;
        this.failOnUnused = failOnUnused;
        this.proxy = Objects.requireNonNull(proxy, "proxy");
    }

    /** @return the options of a bare {@code @ExtendWith(HarpExtension.class)} */
    static HarpOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param a an annotation
     * @return its options
     * @throws IllegalArgumentException naming the bad value (JSON path, host alias, latency)
     */
    static HarpOptions from(Harp a) {
        MatchOptions.Builder match = MatchOptions.builder()
                .ignoreQueryParams(a.ignoreQueryParams())
                .ignoreJsonPaths(a.ignoreJsonPaths())
                .matchHeaders(a.matchHeaders())
                .ignoreBody(a.ignoreBody())
                .sequence(a.sequence());
        for (String alias : a.hostAliases()) {
            match.hostAlias(alias);
        }
        ProxyOptions proxy = new ProxyOptions(match.build(), a.latency(), a.wireJvm(), a.insecureUpstream(),
                a.upstreamTrust(), List.of(a.noIntercept()), a.bindAddress(), List.of(a.keepValues()),
                proxyAuth(a.proxyAuth()));
        return new HarpOptions(a.har(), a.directory(), a.mode(), a.failOnMiss(), a.failOnUnused(), proxy);
    }

    /** @return the credentials for {@code USER:PASSWORD}, or null for an empty value */
    static ProxyAuth proxyAuth(String userColonPassword) {
        String value = Objects.requireNonNull(userColonPassword, "proxyAuth");
        return value.isEmpty() ? null : ProxyAuth.parse(value);
    }

    /** @return the explicit HAR file, or empty for one file per test */
    String har() {
        return har;
    }

    /** @return whether one explicit HAR file serves every test */
    boolean sharedHar() {
        return !har.isEmpty();
    }

    /** @return the fixture directory, relative to the base directory unless absolute */
    String directory() {
        return directory;
    }

    /** @return the mode asked for */
    Mode mode() {
        return mode;
    }

    /** @return whether replay misses fail the test */
    boolean failOnMiss() {
        return failOnMiss;
    }

    /** @return whether unused entries fail the test */
    boolean failOnUnused() {
        return failOnUnused;
    }

    /** @return what shapes the proxy */
    ProxyOptions proxy() {
        return proxy;
    }

    /**
     * What a proxy is started with; equal values mean one proxy can serve both.
     *
     * @param match            request matching
     * @param latency          replay latency as written ({@code none}, {@code recorded}, {@code 250ms})
     * @param wireJvm          whether the JVM's defaults point at the proxy
     * @param insecureUpstream whether any upstream certificate is accepted
     * @param upstreamTrust    extra upstream CA PEM file, relative to the base directory, or empty
     * @param noIntercept      host globs tunnelled without interception
     * @param bindAddress      the listening address
     * @param keepValues       names whose values are recorded instead of {@code REDACTED}
     * @param proxyAuth        the credentials clients must present, or null (its toString masks the password)
     */
    record ProxyOptions(MatchOptions match, String latency, boolean wireJvm, boolean insecureUpstream,
                        String upstreamTrust, List<String> noIntercept, String bindAddress, List<String> keepValues,
                        ProxyAuth proxyAuth) {
        ProxyOptions {
            Objects.requireNonNull(match, "match");
            latency = Latency.parse(Objects.requireNonNull(latency, "latency")).toString();
            upstreamTrust = Objects.requireNonNull(upstreamTrust, "upstreamTrust").trim();
            noIntercept = List.copyOf(noIntercept);
            bindAddress = Objects.requireNonNull(bindAddress, "bindAddress").trim();
            keepValues = List.copyOf(keepValues);
        }

        // equals and hashCode by hand: a record's own are bootstrapped through method handles the first time they
        // run, a few milliseconds of the first @Harp class in a test JVM, where proxies are looked up by these options

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof ProxyOptions p && wireJvm == p.wireJvm
                    && insecureUpstream == p.insecureUpstream && match.equals(p.match) && latency.equals(p.latency)
                    && upstreamTrust.equals(p.upstreamTrust) && noIntercept.equals(p.noIntercept)
                    && bindAddress.equals(p.bindAddress) && keepValues.equals(p.keepValues)
                    && Objects.equals(proxyAuth, p.proxyAuth);
        }

        @Override
        public int hashCode() {
            int h = match.hashCode();
            h = 31 * h + latency.hashCode();
            h = 31 * h + Boolean.hashCode(wireJvm);
            h = 31 * h + Boolean.hashCode(insecureUpstream);
            h = 31 * h + upstreamTrust.hashCode();
            h = 31 * h + noIntercept.hashCode();
            h = 31 * h + bindAddress.hashCode();
            h = 31 * h + keepValues.hashCode();
            return 31 * h + Objects.hashCode(proxyAuth);
        }
    }
}
