package dev.harp.maven;

import dev.harp.HarpConfig;
import dev.harp.ModeResolution;
import dev.harp.options.Face;
import dev.harp.options.HarpOption;
import dev.harp.options.OptionCatalog;
import dev.harp.options.OptionValues;
import dev.harp.usage.Selection;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The proxy options every goal that starts Harp shares ({@code start}, {@code run}), each named as in
 * {@link OptionCatalog} and handed to the core through {@link OptionValues}: the plugin maps no option onto the
 * configuration itself, and leaves every default to the catalogue (a parameter left out of the POM is null here).
 * The listening port is declared by each goal, as its default and property differ.
 */
abstract class ProxyMojo extends AbstractMojo {

    /** record, replay, auto or passthrough; {@code -Dharp.mode} and {@code HARP_MODE} override it. */
    @Parameter
    String mode;

    /** HAR file to record to or replay from. */
    @Parameter(property = "harp.har")
    File har;

    /** Address to listen on. */
    @Parameter(property = "harp.bindAddress")
    String bindAddress;

    /** Reverse-proxy mode: requests to Harp's own address go to this base URL. */
    @Parameter(property = "harp.upstream")
    String upstream;

    /** Folder of the CA, created on first use (unset: $HARP_CA_DIR, else ~/.harp; harp:start: a CA in memory). */
    @Parameter(property = "harp.caDirectory")
    File caDirectory;

    /** Accept any upstream certificate (self-signed test servers). */
    @Parameter(property = "harp.insecureUpstream")
    Boolean insecureUpstream;

    /** PEM file of extra CA certificates trusted for upstreams. */
    @Parameter(property = "harp.upstreamTrust")
    File upstreamTrust;

    /** Host globs tunnelled without interception (certificate pinning). */
    @Parameter(property = "harp.noIntercept")
    List<String> noIntercept;

    /** Replay: query parameters left out of matching. */
    @Parameter(property = "harp.ignoreQueryParams")
    List<String> ignoreQueryParams;

    /** Replay: JSON body members left out of matching. */
    @Parameter(property = "harp.ignoreJsonPaths")
    List<String> ignoreJsonPaths;

    /** Replay: headers that must also be equal. */
    @Parameter(property = "harp.matchHeaders")
    List<String> matchHeaders;

    /** Replay: request bodies are not compared. */
    @Parameter(property = "harp.ignoreBody")
    Boolean ignoreBody;

    /** Replay: LIVE=RECORDED, a live origin answered from entries recorded for another. */
    @Parameter(property = "harp.hostAliases")
    List<String> hostAliases;

    /** Replay: what repeated identical requests get (sequence, reuse-first, reuse-last). */
    @Parameter(property = "harp.sequence")
    String sequence;

    /** Replay: none, recorded, or a fixed delay such as 250ms. */
    @Parameter(property = "harp.latency")
    String latency;

    /** Record: also redact headers, parameters and fields with this name. */
    @Parameter(property = "harp.redact")
    List<String> redact;

    /** Record: keep secrets in the HAR (never commit such a file). */
    @Parameter(property = "harp.noRedact")
    Boolean noRedact;

    /** Record: names whose values are recorded as they are instead of REDACTED. */
    @Parameter(property = "harp.keepValues")
    List<String> keepValues;

    /**
     * USER:PASSWORD clients must send as Proxy-Authorization: Basic. Prefer {@code ${env.HARP_PROXY_AUTH}} to a
     * password written into the POM.
     */
    @Parameter(property = "harp.proxyAuth")
    String proxyAuth;

    /** Body bytes stored in the HAR per body. */
    @Parameter(property = "harp.captureLimit")
    Long captureLimit;

    /** Bound on connecting to an upstream (seconds). */
    @Parameter(property = "harp.upstreamConnectTimeout")
    Long upstreamConnectTimeout;

    /** Bound on waiting for an upstream's response head (seconds). */
    @Parameter(property = "harp.upstreamResponseTimeout")
    Long upstreamResponseTimeout;

    /** Close a keep-alive client connection idle this long (seconds). */
    @Parameter(property = "harp.idleTimeout")
    Long idleTimeout;

    /** Close a client that takes longer to send a request head (seconds). */
    @Parameter(property = "harp.requestTimeout")
    Long requestTimeout;

    /** Close a CONNECT tunnel whose TLS handshake takes longer (seconds). */
    @Parameter(property = "harp.handshakeTimeout")
    Long handshakeTimeout;

    /** Client connections accepted at once (0: from the descriptor limit). */
    @Parameter(property = "harp.maxConnections")
    Integer maxConnections;

    /** Largest request head accepted, in bytes. */
    @Parameter(property = "harp.maxHeaderSize")
    Integer maxHeaderSize;

    /** The listening port this goal was given, or null for the catalogue's default of {@link #defaultsFace()}. */
    abstract Integer port();

    /**
     * @return the face whose defaults apply to options left unset: {@code start} is the plugin's own face (any free
     *         port, a CA in memory); {@code run} behaves like the command line (port 8080, the CA in ~/.harp)
     */
    abstract Face defaultsFace();

    /**
     * @return every option given in the POM or with {@code -Dharp.NAME}, keyed by catalogue name, typed as the
     *         catalogue declares it
     * @throws MojoExecutionException naming the parameter when a value is not valid
     */
    OptionValues optionValues() throws MojoExecutionException {
        Map<String, Object> given = new HashMap<>();
        given.put("port", port());
        given.put("bindAddress", bindAddress);
        given.put("upstream", upstream);
        given.put("caDirectory", path(caDirectory));
        given.put("insecureUpstream", insecureUpstream);
        given.put("upstreamTrust", path(upstreamTrust));
        given.put("noIntercept", noIntercept);
        given.put("ignoreQueryParams", ignoreQueryParams);
        given.put("ignoreJsonPaths", ignoreJsonPaths);
        given.put("matchHeaders", matchHeaders);
        given.put("ignoreBody", ignoreBody);
        given.put("hostAliases", hostAliases);
        given.put("sequence", sequence);
        given.put("latency", latency);
        given.put("redact", redact);
        given.put("noRedact", noRedact);
        given.put("keepValues", keepValues);
        given.put("proxyAuth", proxyAuth);
        given.put("captureLimit", captureLimit);
        given.put("upstreamConnectTimeout", upstreamConnectTimeout);
        given.put("upstreamResponseTimeout", upstreamResponseTimeout);
        given.put("idleTimeout", idleTimeout);
        given.put("requestTimeout", requestTimeout);
        given.put("handshakeTimeout", handshakeTimeout);
        given.put("maxConnections", maxConnections);
        given.put("maxHeaderSize", maxHeaderSize);
        OptionValues.Builder values = OptionValues.builder(defaultsFace());
        try {
            for (Map.Entry<String, Object> e : given.entrySet()) {
                if (e.getValue() instanceof List<?> list) {
                    // Lists go over typed: an element may itself hold a comma (a JSON path, a glob).
                    values.set(listOption(e.getKey()), list.isEmpty() ? null : list.stream().map(String::valueOf).toList());
                } else {
                    values.parse(e.getKey(), e.getValue() == null ? null : e.getValue().toString());
                }
            }
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("Harp: " + e.getMessage(), e);
        }
        return values.build();
    }

    /**
     * The configuration these parameters give, with the HAR file resolved against {@code baseDirectory} and the mode
     * resolved as in every face: {@code -Dharp.mode}, else {@code HARP_MODE}, else the POM, else {@code auto};
     * {@code CI=true} makes {@code auto} act as {@code replay}.
     *
     * @param session       the build session (its user and system properties carry {@code -Dharp.mode})
     * @param environment   the environment ({@code HARP_MODE}, {@code CI}); injected so tests need not change the real one
     * @param baseDirectory the folder relative paths are resolved against
     * @return a configuration builder, face {@code MAVEN}
     * @throws MojoExecutionException naming the parameter when a value is not valid
     */
    HarpConfig.Builder configuration(MavenSession session, Map<String, String> environment, Path baseDirectory)
            throws MojoExecutionException {
        OptionValues values = optionValues();
        try {
            HarpConfig.Builder builder = values.applyTo(HarpConfig.builder().environment(environment)).face(Face.MAVEN);
            String harText = har != null ? har.getPath() : OptionCatalog.HAR.defaultIn(defaultsFace());
            builder.har(baseDirectory.resolve(harText).toAbsolutePath().normalize());
            builder.modeResolution(ModeResolution.resolve(null, mode == null ? null : OptionCatalog.MODE.parse(mode),
                    properties(session), environment));
            return builder;
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("Harp: " + e.getMessage(), e);
        }
    }

    /** @return the session's system properties overlaid with its user properties ({@code -D} on the command line) */
    /**
     * @param session the build session
     * @return how its command line narrowed the tests ({@code -Dit.test=OrderIT}), or empty
     */
    static String selection(MavenSession session) {
        Properties user = session == null ? null : session.getUserProperties();
        return Selection.describe(name -> user == null ? null : user.getProperty(name));
    }

    static Map<String, String> properties(MavenSession session) {
        Map<String, String> all = new HashMap<>();
        copy(session.getSystemProperties(), all);
        copy(session.getUserProperties(), all);
        return all;
    }

    private static void copy(Properties from, Map<String, String> to) {
        if (from != null) {
            for (String name : from.stringPropertyNames()) {
                to.put(name, from.getProperty(name));
            }
        }
    }

    private static String path(File file) {
        return file == null ? null : file.getAbsolutePath();
    }

    @SuppressWarnings("unchecked")
    private static HarpOption<List<String>> listOption(String name) {
        HarpOption<?> option = OptionCatalog.named(name).orElseThrow();
        if (!option.repeatable()) {
            throw new IllegalStateException(name + " is not a list option");
        }
        return (HarpOption<List<String>>) option;
    }
}
