package dev.harp.options;

import dev.harp.HarpConfig;
import dev.harp.replay.MatchOptions;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The core's own defaults (HarpConfig, MatchOptions) are the catalogue's. */
class OptionCatalogTest {

    @Test
    void harpConfigAndMatchOptionsDefaultAsTheCatalogueSays() {
        HarpConfig config = HarpConfig.builder().build();
        MatchOptions match = MatchOptions.defaults();
        Map<HarpOption<?>, Object> actual = new LinkedHashMap<>();
        actual.put(OptionCatalog.HAR, config.har());
        actual.put(OptionCatalog.PORT, config.port());
        actual.put(OptionCatalog.BIND_ADDRESS, config.bindAddress());
        actual.put(OptionCatalog.UPSTREAM, config.upstream());
        actual.put(OptionCatalog.INSECURE_UPSTREAM, config.insecureUpstream());
        actual.put(OptionCatalog.UPSTREAM_TRUST, config.upstreamTrust());
        actual.put(OptionCatalog.NO_INTERCEPT, config.noIntercept());
        actual.put(OptionCatalog.KEEP_VALUES, config.keepValues());
        actual.put(OptionCatalog.PROXY_AUTH, config.proxyAuth());
        actual.put(OptionCatalog.CAPTURE_LIMIT, config.captureLimit());
        actual.put(OptionCatalog.UPSTREAM_CONNECT_TIMEOUT, config.upstreamConnectTimeout());
        actual.put(OptionCatalog.UPSTREAM_RESPONSE_TIMEOUT, config.upstreamResponseTimeout());
        actual.put(OptionCatalog.IDLE_TIMEOUT, config.idleTimeout());
        actual.put(OptionCatalog.REQUEST_TIMEOUT, config.requestTimeout());
        actual.put(OptionCatalog.HANDSHAKE_TIMEOUT, config.handshakeTimeout());
        actual.put(OptionCatalog.MAX_HEADER_SIZE, config.maxHeaderSize());
        actual.put(OptionCatalog.LATENCY, config.latency());
        actual.put(OptionCatalog.IGNORE_QUERY_PARAMS, match.ignoreQueryParams().stream().toList());
        actual.put(OptionCatalog.IGNORE_JSON_PATHS, match.ignoreJsonPaths().stream().toList());
        actual.put(OptionCatalog.MATCH_HEADERS, match.matchHeaders().stream().toList());
        actual.put(OptionCatalog.IGNORE_BODY, match.ignoreBody());
        actual.put(OptionCatalog.HOST_ALIASES, match.hostAliases().keySet().stream().toList());
        actual.put(OptionCatalog.SEQUENCE, match.sequence());
        actual.forEach((option, value) -> assertThat(option.format(value)).as(option.name())
                .isEqualTo(option.defaultText(Face.CLI)));
    }

    @Test
    void spellsAnOptionAsEachFaceWritesIt() {
        assertThat(OptionCatalog.IGNORE_QUERY_PARAMS.spell(Face.CLI, "ts")).isEqualTo("--ignore-query-param ts");
        assertThat(OptionCatalog.IGNORE_QUERY_PARAMS.spell(Face.JUNIT, "ts")).isEqualTo("ignoreQueryParams = \"ts\"");
        assertThat(OptionCatalog.IGNORE_QUERY_PARAMS.spell(Face.MAVEN, "ts"))
                .isEqualTo("<ignoreQueryParams>ts</ignoreQueryParams>");
        assertThat(OptionCatalog.IGNORE_BODY.spell(Face.CLI, "true")).isEqualTo("--ignore-body");
        assertThat(OptionCatalog.IGNORE_BODY.spell(Face.JUNIT, "true")).isEqualTo("ignoreBody = true");
        assertThat(OptionCatalog.SEQUENCE.spell(Face.JUNIT, "sequence")).isEqualTo("sequence = SequencePolicy.SEQUENCE");
        assertThat(OptionCatalog.SEQUENCE.spell(Face.MAVEN, "reuse-first")).isEqualTo("<sequence>reuse-first</sequence>");
    }
}
