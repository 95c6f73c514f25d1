package dev.harp.junit;

import dev.harp.tls.ClientTls;
import dev.harp.junit.client.HarpProxySelector;
import dev.harp.junit.client.JvmWiring;
import dev.harp.junit.testing.Http;
import dev.harp.junit.testing.Scenario;
import dev.harp.junit.testing.Scenarios;
import dev.harp.junit.testing.TestUpstream;
import dev.harp.junit.testing.Upstreams;
import dev.harp.tls.CertificateAuthority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import static dev.harp.junit.testing.Scenarios.params;
import static org.assertj.core.api.Assertions.assertThat;

/** The JVM-wide wiring: what it sets, that it restores exactly, and the JDK behaviour it relies on. */
class JvmWiringTest {
    private static final List<String> TOUCHED = List.of("http.proxyHost", "http.proxyPort", "https.proxyHost",
            "https.proxyPort", "http.nonProxyHosts", "javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
            "javax.net.ssl.trustStoreType");
    private final Map<String, String> before = snapshotProperties();

    @TempDir
    Path basedir;

    @AfterEach
    void putPropertiesBack() {
        before.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    private static Map<String, String> snapshotProperties() {
        Map<String, String> values = new HashMap<>();
        TOUCHED.forEach(name -> values.put(name, System.getProperty(name)));
        return values;
    }

    @Test
    void installPointsEverythingAtHarpAndCloseRestoresTheSameObjects() throws Exception {
        System.setProperty("http.proxyHost", "corp-proxy.example");
        System.clearProperty("https.proxyHost");
        System.clearProperty("http.nonProxyHosts");
        ProxySelector selector = ProxySelector.getDefault();
        SSLContext context = SSLContext.getDefault();
        SSLSocketFactory factory = HttpsURLConnection.getDefaultSSLSocketFactory();
        ClientTls tls = ClientTls.trusting(CertificateAuthority.inMemory().certificate());
        InetSocketAddress harp = new InetSocketAddress("127.0.0.1", 43210);

        try (JvmWiring wiring = JvmWiring.install(harp, tls)) {
            assertThat(wiring.savedProperties()).containsEntry("http.proxyHost", "corp-proxy.example")
                    .containsEntry("https.proxyHost", null);
            assertThat(System.getProperty("http.proxyHost")).isEqualTo("127.0.0.1");
            assertThat(System.getProperty("https.proxyPort")).isEqualTo("43210");
            assertThat(System.getProperty("http.nonProxyHosts")).isEmpty();
            assertThat(ProxySelector.getDefault()).isInstanceOf(HarpProxySelector.class);
            assertThat(ProxySelector.getDefault().select(URI.create("http://localhost:8080/x")))
                    .containsExactly(new Proxy(Proxy.Type.HTTP, harp));
            assertThat(ProxySelector.getDefault().select(URI.create("socket://db.example:5432")))
                    .isEqualTo(selector.select(URI.create("socket://db.example:5432")));
            assertThat(SSLContext.getDefault()).isSameAs(tls.sslContext());
            assertThat(HttpClient.newHttpClient().sslContext()).isSameAs(tls.sslContext());
        }

        assertThat(System.getProperty("http.proxyHost")).isEqualTo("corp-proxy.example");
        assertThat(System.getProperties()).doesNotContainKeys("https.proxyHost", "https.proxyPort", "http.nonProxyHosts");
        assertThat(ProxySelector.getDefault()).isSameAs(selector);
        assertThat(SSLContext.getDefault()).isSameAs(context);
        assertThat(HttpsURLConnection.getDefaultSSLSocketFactory()).isSameAs(factory);
    }

    @Test
    void theJdkSelectorProxiesLocalhostOnlyWhenNonProxyHostsIsEmpty() {
        ProxySelector jdk = ProxySelector.getDefault();
        assertThat(jdk).isNotInstanceOf(HarpProxySelector.class);
        System.setProperty("http.proxyHost", "127.0.0.1");
        System.setProperty("http.proxyPort", "9");
        URI local = URI.create("http://localhost:8080/");

        System.clearProperty("http.nonProxyHosts");
        assertThat(jdk.select(local)).containsExactly(Proxy.NO_PROXY);
        System.setProperty("http.nonProxyHosts", "example.com");
        assertThat(jdk.select(local)).containsExactly(Proxy.NO_PROXY);
        System.setProperty("http.nonProxyHosts", "");
        assertThat(jdk.select(local)).singleElement().extracting(Proxy::type).isEqualTo(Proxy.Type.HTTP);
    }

    static final Map<String, Object> OBSERVED = new HashMap<>();

    @Harp
    @Scenario
    static class Wired {
        @Test
        void inside(HarpProxy harp) throws Exception {
            OBSERVED.put("selector", ProxySelector.getDefault());
            OBSERVED.put("proxyPort", System.getProperty("http.proxyPort"));
            OBSERVED.put("harpPort", harp.port());
            OBSERVED.put("sslContext", SSLContext.getDefault());
            OBSERVED.put("harpContext", harp.sslContext());
            OBSERVED.put("wired", harp.jvmWired());
        }
    }

    @Test
    void theExtensionRestoresPropertiesSelectorContextAndFactoryExactlyAfterTheClass() throws Exception {
        Map<String, String> properties = snapshotProperties();
        ProxySelector selector = ProxySelector.getDefault();
        SSLContext context = SSLContext.getDefault();
        SSLSocketFactory factory = HttpsURLConnection.getDefaultSSLSocketFactory();
        OBSERVED.clear();

        EngineExecutionResults run = Scenarios.run(basedir, params("harp.mode", "record"), Wired.class);

        assertThat(Scenarios.failures(run)).isEmpty();
        assertThat(OBSERVED.get("selector")).isInstanceOf(HarpProxySelector.class);
        assertThat(OBSERVED.get("proxyPort")).isEqualTo(String.valueOf(OBSERVED.get("harpPort")));
        assertThat(OBSERVED.get("sslContext")).isSameAs(OBSERVED.get("harpContext"));
        assertThat(OBSERVED.get("wired")).isEqualTo(true);
        assertThat(snapshotProperties()).isEqualTo(properties);
        assertThat(ProxySelector.getDefault()).isSameAs(selector);
        assertThat(SSLContext.getDefault()).isSameAs(context);
        assertThat(HttpsURLConnection.getDefaultSSLSocketFactory()).isSameAs(factory);
    }

    @Harp
    @Scenario
    static class WiredOuter {
        @Test
        void outer(HarpProxy harp) {
            OBSERVED.put("outerPort", harp.port());
            Http.getWithNewDefaultClient(Upstreams.http().uri("/outer"));
        }

        @org.junit.jupiter.api.Nested
        @Harp(matchHeaders = "X-Tenant")
        class OwnProxy {
            @Test
            void inner(HarpProxy harp) {
                OBSERVED.put("innerPort", harp.port());
                OBSERVED.put("innerSelectorPort", ((HarpProxySelector) ProxySelector.getDefault()).harpAddress().getPort());
                assertThat(Http.getWithNewDefaultClient(Upstreams.http().uri("/inner")))
                        .isEqualTo(TestUpstream.expected("/inner"));
            }
        }
    }

    @Test
    void aNestedClassWithItsOwnProxyRewiresTheJvmAndNeitherProxyLoopsThroughTheOther() throws Exception {
        OBSERVED.clear();
        try (TestUpstream upstream = TestUpstream.http()) {
            Upstreams.http(upstream);
            EngineExecutionResults run = Scenarios.run(basedir, params("harp.mode", "record"), WiredOuter.class);
            assertThat(Scenarios.failures(run)).isEmpty();
            assertThat(upstream.requests()).isEqualTo(2);
        }
        assertThat(OBSERVED.get("innerPort")).isNotEqualTo(OBSERVED.get("outerPort"))
                .isEqualTo(OBSERVED.get("innerSelectorPort"));
        Path root = basedir.resolve("src/test/resources/harp");
        assertThat(java.nio.file.Files.readString(root.resolve("JvmWiringTest_WiredOuter_OwnProxy/inner.har")))
                .contains("/inner");
        assertThat(RecordReplayTest.fileNames(root.resolve("JvmWiringTest_WiredOuter"))).containsExactly("outer.har");
    }

    @Harp(upstreamTrust = "public-ca.pem")
    @Scenario
    static class RealHostsStillTrusted {
        @Test
        void directToARealHost() {
            HttpClient direct = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            assertThat(Http.get(direct, Upstreams.https().uri("/direct")).body())
                    .isEqualTo(TestUpstream.expected("/direct"));
        }

        @Test
        void throughHarp() {
            assertThat(Http.getWithUrlConnection(Upstreams.https().uri("/proxied")))
                    .isEqualTo(TestUpstream.expected("/proxied"));
        }
    }

    @Test
    void theMergedTrustManagerTrustsHarpAndStillTheJdksOwnCas() throws Exception {
        CertificateAuthority publicCa = CertificateAuthority.inMemory();
        publicCa.exportPem(basedir.resolve("public-ca.pem"));
        Path cacerts = basedir.resolve("cacerts.p12");
        publicCa.exportPkcs12TrustStore(cacerts, "changeit".toCharArray());
        try (TestUpstream upstream = TestUpstream.https(publicCa)) {
            Upstreams.https(upstream);

            EngineExecutionResults withoutJdkTrust = Scenarios.run(basedir, params("harp.mode", "record"),
                    RealHostsStillTrusted.class);
            assertThat(Scenarios.failures(withoutJdkTrust)).singleElement().asString()
                    .startsWith("directToARealHost() -> ").contains("PKIX");

            System.setProperty("javax.net.ssl.trustStore", cacerts.toString());
            System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            EngineExecutionResults withJdkTrust = Scenarios.run(basedir, params("harp.mode", "record"),
                    RealHostsStillTrusted.class);
            assertThat(Scenarios.failures(withJdkTrust)).isEmpty();
        }
    }
}
