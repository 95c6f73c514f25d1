package dev.harp.junit;

import dev.harp.Mode;
import dev.harp.replay.SequencePolicy;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records the HTTP(S) traffic of the annotated tests into HAR fixtures and replays it afterwards.
 *
 * <pre>{@code
 * @Harp
 * class WeatherClientTest {
 *     @Test
 *     void forecast() { ... }   // traffic recorded to src/test/resources/harp/WeatherClientTest/forecast.har
 * }
 * }</pre>
 *
 * <p>On a class, one proxy serves the whole class and is switched to each test's fixture before the test runs
 * ({@code <directory>/<Class>/<method>.har}; requests made before the first test, e.g. in {@code @BeforeAll}, go to
 * {@code <Class>/beforeAll.har}, requests after a test, e.g. in {@code @AfterAll}, to {@code <Class>/afterAll.har}).
 * On a method, it replaces the class's {@code @Harp} for that test; a test whose proxy options (matching, latency,
 * upstream TLS, wiring, bind address) differ from its class's gets a proxy of its own. Nested classes use the
 * closest {@code @Harp} of their own or of an enclosing class. The annotation is {@link Inherited} and may be used
 * as a meta-annotation.
 *
 * <p>The mode named here is overridden by the JUnit configuration parameter or system property {@code harp.mode},
 * else by the environment variable {@code HARP_MODE}; {@code auto} acts as {@code replay} when {@code CI=true}.
 *
 * <p>The {@link ResourceLock} provider {@link HarpLocks} keeps the tests of one class sequential and serialises
 * tests that wire the JVM ({@link #wireJvm()}) against all other Harp tests, so parallel runs stay correct.
 *
 * @see HarpExtension#builder() the same options for {@code @RegisterExtension}
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(HarpExtension.class)
@ResourceLock(providers = HarpLocks.class)
public @interface Harp {

    /**
     * One HAR file instead of one per test: on a class, every test of the class (and its {@code @BeforeAll}) uses
     * it; on a method, that test does. Relative paths are resolved against {@link #directory()}. Default: one file
     * per test.
     *
     * @return the HAR file, or empty for one file per test
     */
    String har() default "";

    /**
     * Where fixtures live, relative to the module's base directory (Surefire's {@code basedir}, else the working
     * directory; the configuration parameter {@code harp.basedir} overrides both). Never the classpath: recording
     * writes here.
     *
     * @return the fixture directory
     */
    String directory() default HarpExtension.DEFAULT_DIRECTORY;

    /**
     * The mode asked for; {@code harp.mode} and {@code HARP_MODE} override it.
     *
     * @return the mode, default {@link Mode#AUTO}
     */
    Mode mode() default Mode.AUTO;

    /** @return query parameters left out of request matching (cache-busters, timestamps) */
    String[] ignoreQueryParams() default {};

    /** @return JSON paths removed from both bodies before matching, e.g. {@code $.timestamp} */
    String[] ignoreJsonPaths() default {};

    /** @return headers that must also be equal for a request to match (none by default) */
    String[] matchHeaders() default {};

    /** @return whether request bodies are left out of matching */
    boolean ignoreBody() default false;

    /** @return {@code ALIAS=RECORDED} pairs, e.g. {@code localhost:8089=api.example.com:443} */
    String[] hostAliases() default {};

    /** @return what repeated identical requests get */
    SequencePolicy sequence() default SequencePolicy.SEQUENCE;

    /**
     * Whether to point the JVM's proxy properties, default {@code ProxySelector}, default {@code SSLContext} and
     * {@code HttpsURLConnection} socket factory at Harp while the tests run, restoring them afterwards. Without it,
     * configure clients from the injected {@link HarpProxy}, and tests may run in parallel.
     *
     * @return whether to wire the JVM, default true
     */
    boolean wireJvm() default true;

    /** @return whether a replay miss fails the test, with the diagnostic; default true */
    boolean failOnMiss() default true;

    /** @return whether recorded entries the test never requested fail it; default false (they are logged) */
    boolean failOnUnused() default false;

    /** @return replay latency: {@code none}, {@code recorded}, or a fixed delay such as {@code 250ms} */
    String latency() default "none";

    /** @return whether Harp accepts any upstream certificate when it forwards (self-signed test servers) */
    boolean insecureUpstream() default false;

    /**
     * @return a PEM file of extra CAs Harp trusts upstream, relative to the base directory; empty for none. Read only
     *         in modes that forward (a missing file fails them at start); replay never reads it
     */
    String upstreamTrust() default "";

    /** @return host globs tunnelled without interception (certificate-pinning hosts) */
    String[] noIntercept() default {};

    /** @return the address Harp listens on; {@code 0.0.0.0} lets containers on a bridge network reach it */
    String bindAddress() default "127.0.0.1";

    /**
     * @return names (JSON members, form and query fields, headers, cookies) whose values are recorded as they are
     *     instead of {@code REDACTED}, e.g. a login answer's {@code session} that the test reads back on replay;
     *     never a real credential
     */
    String[] keepValues() default {};

    /**
     * @return {@code USER:PASSWORD} that clients must present as {@code Proxy-Authorization: Basic} (407 otherwise),
     *         for a proxy other machines can reach (see {@link #bindAddress()}); empty for none. When the extension wires
     *         the JVM it installs a default {@link java.net.Authenticator} that answers Harp's challenge
     */
    String proxyAuth() default "";
}
