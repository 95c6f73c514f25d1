package dev.harp.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class HostKeyManagerTest {
    private static final CertificateAuthority CA = CertificateAuthority.inMemory();
    private final LeafCertificates leaves = new LeafCertificates(CA);
    private final HostKeyManager manager = new HostKeyManager(leaves);

    @Test
    void servesOnlyTheLeafKeyType() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("a.test", 443);

        assertThat(manager.chooseEngineServerAlias("EC", null, engine)).isEqualTo("a.test");
        assertThat(manager.chooseEngineServerAlias("RSA", null, engine)).isNull();
        assertThat(manager.chooseEngineServerAlias("RSASSA-PSS", null, engine)).isNull();
        assertThat(manager.chooseEngineServerAlias(null, null, engine)).isNull();
    }

    @Test
    void rsaLeavesServeOnlyRsa() throws Exception {
        HostKeyManager rsa = new HostKeyManager(new LeafCertificates(CA, 10, KeyAlgorithm.RSA_2048));
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("a.test", 443);

        assertThat(rsa.chooseEngineServerAlias("RSA", null, engine)).isEqualTo("a.test");
        assertThat(rsa.chooseEngineServerAlias("EC", null, engine)).isNull();
        assertThat(rsa.getPrivateKey("a.test").getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void peerHostIsNormalizedIntoTheAlias() throws Exception {
        assertThat(manager.chooseEngineServerAlias("EC", null,
                SSLContext.getDefault().createSSLEngine("WWW.Example.TEST", 443))).isEqualTo("www.example.test");
        assertThat(manager.chooseEngineServerAlias("EC", null,
                SSLContext.getDefault().createSSLEngine("[::1]", 443))).isEqualTo("::1");
    }

    @Test
    void missingOrUnusablePeerHostFallsBack() throws Exception {
        assertThat(manager.chooseEngineServerAlias("EC", null, null)).isEqualTo("localhost");
        assertThat(manager.chooseEngineServerAlias("EC", null, SSLContext.getDefault().createSSLEngine()))
                .isEqualTo("localhost");
        assertThat(manager.chooseEngineServerAlias("EC", null,
                SSLContext.getDefault().createSSLEngine("not a host", 443))).isEqualTo("localhost");
        assertThat(new HostKeyManager(leaves, "Fallback.TEST").chooseEngineServerAlias("EC", null, null))
                .isEqualTo("fallback.test");
        assertThat(manager.chooseServerAlias("EC", null, null)).isEqualTo("localhost");
    }

    @Test
    void invalidFallbackIsRejectedAtConstruction() {
        assertThatThrownBy(() -> new HostKeyManager(leaves, "bad host")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chainAndKeyComeFromTheLeaves() {
        assertThat(manager.getCertificateChain("example.test"))
                .containsExactly(leaves.leafFor("example.test").certificate(), CA.certificate());
        assertThat(manager.getPrivateKey("example.test")).isSameAs(leaves.leafFor("example.test").privateKey());
        assertThat(manager.getCertificateChain("not a host")).isNull();
        assertThat(manager.getPrivateKey(null)).isNull();
    }

    @Test
    void neverActsAsAClient() {
        assertThat(manager.chooseClientAlias(new String[] {"EC"}, null, null)).isNull();
        assertThat(manager.chooseEngineClientAlias(new String[] {"EC"}, null, null)).isNull();
        assertThat(manager.getClientAliases("EC", null)).isNull();
        assertThat(manager.getServerAliases("EC", null)).isNull();
    }
}
